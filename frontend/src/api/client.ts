import { Client, cacheExchange, fetchExchange, mapExchange } from '@urql/core';

export const TENANT_HEADER = 'X-Hotline-Tenant';

/**
 * Whether a response says the session is gone (idle timeout, sign-out elsewhere, revoked):
 * the API answers `me: null` to a query that asked for `me`, or a mutation's ValidationErrors
 * carry the code `unauthenticated`.
 */
export function sessionEnded(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  return Object.entries(data).some(([field, value]) => {
    if (field === 'me') return value === null;
    if (typeof value !== 'object' || value === null) return false;
    const errors: unknown = (value as { errors?: unknown }).errors;
    return (
      Array.isArray(errors) &&
      errors.some((e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'unauthenticated')
    );
  });
}

export interface ClientOptions {
  /** The tenant to act in (X-Hotline-Tenant); null acts in the account's home tenant. */
  tenantCode: string | null;
  /** Called when a response shows that the session has ended. */
  onSessionEnded: () => void;
  url?: string;
}

/** One client per signed-in session and acting tenant: switching either starts with an empty cache. */
export function makeClient({ tenantCode, onSessionEnded, url = '/graphql' }: ClientOptions): Client {
  return new Client({
    url,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: (): RequestInit => {
      const headers: Record<string, string> = tenantCode ? { [TENANT_HEADER]: tenantCode } : {};
      return { credentials: 'same-origin', headers };
    },
    exchanges: [
      mapExchange({
        onResult(result) {
          if (sessionEnded(result.data)) onSessionEnded();
          return result;
        },
      }),
      cacheExchange,
      fetchExchange,
    ],
  });
}

/** Operation context for queries about the home tenant's scope (sent without X-Hotline-Tenant). */
export const homeScope = { fetchOptions: { credentials: 'same-origin' as const, headers: {} } };
