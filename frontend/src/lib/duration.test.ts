import { describe, expect, test } from 'vitest';
import { deadlineStatus, humanDuration } from './duration';

describe('humanDuration', () => {
  test('keeps the two largest units, in Chinese and English', () => {
    expect(humanDuration('zh-CN', (2 * 24 + 3) * 3_600_000 + 5 * 60_000)).toBe('2天3小时');
    expect(humanDuration('en-US', (2 * 24 + 3) * 3_600_000)).toBe('2d 3h');
    expect(humanDuration('zh-CN', 45 * 60_000)).toBe('45分钟');
    expect(humanDuration('zh-CN', 90 * 60_000)).toBe('1小时30分钟');
    expect(humanDuration('en-US', 0)).toBe('0 min');
  });
});

describe('deadlineStatus', () => {
  const due = '2026-11-23T09:00:00Z';
  const at = (iso: string) => Date.parse(iso);
  test('a running clock is due, soon within a day, and overdue after', () => {
    expect(deadlineStatus(due, null, at('2026-11-21T09:00:00Z'))).toEqual({ kind: 'due', leftMs: 48 * 3_600_000, soon: false });
    expect(deadlineStatus(due, null, at('2026-11-23T08:00:00Z'))).toMatchObject({ kind: 'due', soon: true });
    expect(deadlineStatus(due, null, at('2026-11-23T10:00:00Z'))).toEqual({ kind: 'overdue', lateMs: 3_600_000 });
  });
  test('a stopped clock was met or missed', () => {
    expect(deadlineStatus(due, '2026-11-23T08:59:00Z', 0)).toEqual({ kind: 'met' });
    expect(deadlineStatus(due, '2026-11-23T11:00:00Z', 0)).toEqual({ kind: 'missed', lateMs: 2 * 3_600_000 });
  });
});
