import { describe, expect, test } from 'vitest';
import { sessionEnded } from './client';

describe('sessionEnded', () => {
  test('a query answered with me: null means the session is gone', () => {
    expect(sessionEnded({ me: null, tenants: [] })).toBe(true);
  });

  test('a mutation refused as unauthenticated means the session is gone', () => {
    expect(sessionEnded({ createUnit: { __typename: 'ValidationErrors', errors: [{ path: [], message: 'sign in first', code: 'unauthenticated' }] } })).toBe(true);
  });

  test('ordinary answers and other refusals do not', () => {
    expect(sessionEnded({ me: { userId: 'u' }, tenants: [] })).toBe(false);
    expect(sessionEnded({ createUnit: { __typename: 'ValidationErrors', errors: [{ path: ['code'], message: 'x', code: 'already_exists' }] } })).toBe(false);
    expect(sessionEnded({ regions: [] })).toBe(false);
    expect(sessionEnded(null)).toBe(false);
    expect(sessionEnded(undefined)).toBe(false);
  });
});
