import type { Client } from '@urql/core';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Provider } from 'urql';
import { makeClient } from './api/client';
import { SessionDocument, SignOutDocument, type Role, type ViewerFragment } from './generated/graphql';

const TENANT_KEY = 'lianxin.actingTenant';

export type Notice = 'expired' | 'signedOut' | null;

export type SessionState =
  | { status: 'loading' }
  | { status: 'unreachable' }
  | { status: 'signedOut'; notice: Notice }
  | { status: 'signedIn'; viewer: ViewerFragment };

export interface Session {
  state: SessionState;
  /** The tenant chosen with the switcher; null means the account's home tenant. */
  tenantCode: string | null;
  switchTenant: (code: string | null) => void;
  /** After a successful sign-in: load who we are. */
  signedIn: () => void;
  signOut: () => Promise<void>;
  reload: () => void;
}

const SessionContext = createContext<Session | null>(null);

function storedTenant(): string | null {
  return sessionStorage.getItem(TENANT_KEY);
}

function storeTenant(code: string | null): void {
  if (code) sessionStorage.setItem(TENANT_KEY, code);
  else sessionStorage.removeItem(TENANT_KEY);
}

export function hasRole(viewer: ViewerFragment, ...roles: Role[]): boolean {
  return viewer.roles.some((r) => roles.includes(r));
}

export function isAdmin(viewer: ViewerFragment): boolean {
  return hasRole(viewer, 'TENANT_ADMIN', 'PROVINCE_ADMIN');
}

export function SessionProvider({ children, clientFactory = makeClient }: {
  children: ReactNode;
  clientFactory?: typeof makeClient | undefined;
}) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [tenantCode, setTenantCode] = useState<string | null>(storedTenant);
  // A new client (and an empty cache) for every session and every acting tenant.
  const [generation, setGeneration] = useState(0);
  // A response said the session is gone: back to the sign-in form with a notice. The next sign-in
  // starts a new client, so nothing of this session's cache survives.
  const onSessionEnded = useCallback(() => {
    setState((s) => (s.status === 'signedIn' ? { status: 'signedOut', notice: 'expired' } : s));
  }, []);

  const client: Client = useMemo(
    () => clientFactory({ tenantCode, onSessionEnded }),
    // generation is a dependency on purpose: bumping it drops the old client's cache.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [clientFactory, tenantCode, onSessionEnded, generation],
  );

  const [loadCount, setLoadCount] = useState(0);

  // Who are we, acting where? Asked again for every new client (sign-in, switch, sign-out) and on reload.
  useEffect(() => {
    let live = true;
    void client.query(SessionDocument, {}, { requestPolicy: 'network-only' }).toPromise().then((result) => {
      if (!live) return;
      if (result.error || !result.data) {
        setState({ status: 'unreachable' });
        return;
      }
      const viewer = result.data.me;
      if (!viewer) {
        setState((s) => ({ status: 'signedOut', notice: s.status === 'signedOut' ? s.notice : null }));
      } else if (!viewer.actingTenant && tenantCode) {
        // The chosen tenant is gone or out of reach now: fall back to the home tenant.
        storeTenant(null);
        setTenantCode(null);
      } else {
        setState({ status: 'signedIn', viewer });
      }
    });
    return () => {
      live = false;
    };
  }, [client, tenantCode, loadCount]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setLoadCount((n) => n + 1);
  }, []);

  const switchTenant = useCallback((code: string | null) => {
    storeTenant(code);
    setState({ status: 'loading' });
    setTenantCode(code);
    setGeneration((g) => g + 1);
  }, []);

  const signedIn = useCallback(() => {
    storeTenant(null);
    setState({ status: 'loading' });
    setTenantCode(null);
    setGeneration((g) => g + 1);
  }, []);

  const signOut = useCallback(async () => {
    await client.mutation(SignOutDocument, {}).toPromise();
    storeTenant(null);
    setTenantCode(null);
    setState({ status: 'signedOut', notice: 'signedOut' });
    setGeneration((g) => g + 1);
  }, [client]);

  const value = useMemo<Session>(
    () => ({ state, tenantCode, switchTenant, signedIn, signOut, reload }),
    [state, tenantCode, switchTenant, signedIn, signOut, reload],
  );
  return (
    <SessionContext.Provider value={value}>
      <Provider value={client}>{children}</Provider>
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in viewer; only for screens rendered inside the signed-in layout. */
export function useViewer(): ViewerFragment {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useViewer without a signed-in session');
  return state.viewer;
}
