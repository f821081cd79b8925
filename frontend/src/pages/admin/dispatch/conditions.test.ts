import { describe, expect, it } from 'vitest';
import { emptyCondition, errorsAt, fieldOf, leafErrors, summarize } from './conditions';
import { differences } from './diff';

describe('dispatch rule conditions', () => {
  it('reads the field of a condition and refuses malformed ones', () => {
    expect(fieldOf({ pattern: 'x' })).toBe('pattern');
    expect(fieldOf({ a: 1, b: 2 })).toBeNull();
    expect(fieldOf([])).toBeNull();
  });

  it('starts each field with a value of the shape the API validates', () => {
    expect(emptyCondition('any')).toEqual({ any: [{ category: [] }] });
    expect(emptyCondition('keywords')).toEqual({ keywords: { words: [], match: 'any' } });
    expect(emptyCondition('time_of_day')).toEqual({ time_of_day: { from: '22:00', to: '06:00' } });
  });

  it('puts an error at the node its path names, list elements at their leaf', () => {
    const errors = [
      { path: ['when', 'all', '1', 'pattern'], message: 'bad', code: 'invalid_pattern' },
      { path: ['when', 'all', '0', 'place', '0'], message: 'unknown', code: 'unknown_division' },
    ];
    expect(errorsAt(errors, ['when', 'all', '1', 'pattern'])).toHaveLength(1);
    expect(errorsAt(errors, ['when', 'all', '0', 'place'])).toHaveLength(0);
    expect(leafErrors(errors, ['when', 'all', '0', 'place'])).toHaveLength(1);
    expect(leafErrors(errors, ['when', 'all', '2'])).toHaveLength(0);
  });

  it('summarizes nested conditions on one line', () => {
    expect(summarize({ all: [{ category: ['0102'] }, { not: { channel: ['sms'] } }] }))
      .toBe('all(category: 0102, not(channel: sms))');
  });
});

describe('draft against published', () => {
  const item = (key: string, body: unknown, code = '320100') => ({ kind: 'RULE', key, body, mandatory: false, source: { code } });
  it('lists added, changed and removed items, ignoring key order inside bodies', () => {
    const published = [item('a', { x: 1, y: 2 }), item('b', { x: 1 }), item('c', {})];
    const draft = [item('a', { y: 2, x: 1 }), item('b', { x: 2 }), item('d', {})];
    expect(differences(published, draft)).toEqual([
      { kind: 'RULE', key: 'b', change: 'changed' },
      { kind: 'RULE', key: 'c', change: 'removed' },
      { kind: 'RULE', key: 'd', change: 'added' },
    ]);
  });
});
