import type { Locale } from '../i18n';

/** A span of time as a person reads it on a deadline: 2天3小时, 45分钟 / 2d 3h, 45 min. Largest two units. */
export function humanDuration(locale: Locale, ms: number): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const zh = locale === 'zh-CN';
  const parts: string[] = [];
  if (days > 0) parts.push(zh ? `${String(days)}天` : `${String(days)}d`);
  if (hours > 0) parts.push(zh ? `${String(hours)}小时` : `${String(hours)}h`);
  if (days === 0 && (mins > 0 || parts.length === 0)) parts.push(zh ? `${String(mins)}分钟` : `${String(mins)} min`);
  return parts.slice(0, 2).join(zh ? '' : ' ');
}

export type DeadlineStatus =
  | { kind: 'met' }
  | { kind: 'missed'; lateMs: number }
  | { kind: 'due'; leftMs: number; soon: boolean }
  | { kind: 'overdue'; lateMs: number };

export const DUE_SOON_MS = 24 * 3_600_000; // the queues' "due soon": within a day

/** Where a deadline stands at `now`: done on time or late, still running, or running late. */
export function deadlineStatus(dueAt: string, doneAt: string | null | undefined, now: number): DeadlineStatus {
  const due = Date.parse(dueAt);
  if (doneAt) {
    const done = Date.parse(doneAt);
    return done <= due ? { kind: 'met' } : { kind: 'missed', lateMs: done - due };
  }
  return now <= due ? { kind: 'due', leftMs: due - now, soon: due - now <= DUE_SOON_MS } : { kind: 'overdue', lateMs: now - due };
}
