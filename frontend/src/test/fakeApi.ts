import { vi } from 'vitest';

export interface Call {
  operationName: string;
  variables: Record<string, unknown>;
  tenant: string | null;
}

type Answer = (variables: Record<string, unknown>, call: Call) => unknown;

/**
 * Stands in for the API at the network edge: the console's real GraphQL client sends its requests,
 * this answers them by operation name and records what was sent (headers included).
 */
export function fakeApi(answers: Record<string, Answer>): { calls: Call[] } {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', (_url: string, init: RequestInit) => {
    const body = JSON.parse(typeof init.body === 'string' ? init.body : '{}') as { operationName: string; variables?: Record<string, unknown> };
    const headers = new Headers(init.headers);
    const call: Call = { operationName: body.operationName, variables: body.variables ?? {}, tenant: headers.get('X-Hotline-Tenant') };
    calls.push(call);
    const answer = answers[body.operationName];
    const data = answer ? answer(call.variables, call) : null;
    const payload = answer ? { data } : { data: null, errors: [{ message: `no fake answer for ${body.operationName}` }] };
    return Promise.resolve(new Response(JSON.stringify(payload), { status: 200, headers: { 'content-type': 'application/json' } }));
  });
  return { calls };
}

export function viewer(login: string, displayName: string, roles: string[], tenant = { code: '320100', name: '南京市12345政务服务便民热线' }) {
  return {
    __typename: 'Me',
    userId: '00000000-0000-7000-8000-000000000001',
    login,
    displayName,
    roles,
    actingTenant: { __typename: 'Tenant', id: '00000000-0000-7000-8000-000000000002', kind: 'CITY', status: 'ACTIVE', divisionCode: tenant.code, ...tenant },
  };
}

export function refused(code: string, path: string[], message: string) {
  return { __typename: 'ValidationErrors', errors: [{ __typename: 'FieldError', path, message, code }] };
}
