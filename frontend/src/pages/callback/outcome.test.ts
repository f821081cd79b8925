import { describe, expect, test } from 'vitest';
import { callbackOutcome } from './outcome';

const none = { satisfaction: null, resolved: null };

describe('callbackOutcome', () => {
  test('an unreached citizen below the limit leaves the order waiting for the next attempt', () => {
    expect(callbackOutcome({ state: 'PENDING_CALLBACK', callbackAttempts: 2, reopenCount: 0 }, false, 3, none))
      .toEqual({ kind: 'retry', attempts: 2, max: 3 });
  });

  test('the last unreached attempt closes the order as unreachable', () => {
    expect(callbackOutcome({ state: 'CLOSED', callbackAttempts: 3, reopenCount: 0 }, false, 3, none))
      .toEqual({ kind: 'unreachable', attempts: 3 });
  });

  test('a reached citizen closes the order with what was recorded', () => {
    expect(callbackOutcome(
      { state: 'CLOSED', callbackAttempts: 1, reopenCount: 0, resolved: true, satisfaction: 'BASICALLY_SATISFIED' }, true, 3,
      { satisfaction: 'BASICALLY_SATISFIED', resolved: true },
    )).toEqual({ kind: 'closed', satisfaction: 'BASICALLY_SATISFIED', resolved: true });
  });

  test('a dissatisfied citizen whose order went back to the unit is told as a reopening', () => {
    expect(callbackOutcome(
      { state: 'IN_PROGRESS', callbackAttempts: 1, reopenCount: 2, resolved: null, satisfaction: null }, true, 3,
      { satisfaction: 'DISSATISFIED', resolved: false },
    )).toEqual({ kind: 'reopened', reopenCount: 2 });
  });

  test('dissatisfaction where the tenant does not reopen closes the order and keeps the answer', () => {
    expect(callbackOutcome(
      { state: 'CLOSED', callbackAttempts: 1, reopenCount: 0, resolved: false, satisfaction: 'DISSATISFIED' }, true, 3,
      { satisfaction: 'DISSATISFIED', resolved: false },
    )).toEqual({ kind: 'closed', satisfaction: 'DISSATISFIED', resolved: false });
  });
});
