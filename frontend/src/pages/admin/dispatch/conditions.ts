// The condition language of dispatch rules (docs/dispatch.md, platform/hotline/dispatch/rules.py) as plain data,
// so the editor, the summaries and the error placement share one description.

export type Condition = Record<string, unknown>;

export const GROUPS = ['all', 'any', 'not'] as const;
export const LEAVES = [
  'category', 'request_type', 'channel', 'place', 'keywords', 'pattern', 'time_of_day', 'weekday', 'holiday',
  'caller', 'response_level',
] as const;
export type Group = (typeof GROUPS)[number];
export type Leaf = (typeof LEAVES)[number];
export type Field = Group | Leaf;

export const REQUEST_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export const CHANNELS = ['phone', 'sms', 'web', 'mailbox', 'wechat', 'weibo', 'app', 'message_board'] as const;
export const CALLER_FLAGS = ['repeat', 'enterprise', 'confidential'] as const;

/** The one key of a condition object ("all", "pattern"…), or null for something malformed. */
export function fieldOf(cond: unknown): string | null {
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) return null;
  const keys = Object.keys(cond);
  return keys.length === 1 ? (keys[0] ?? null) : null;
}

/** A fresh condition of a field, with an empty value of the right shape. */
export function emptyCondition(field: Field): Condition {
  switch (field) {
    case 'all':
    case 'any':
      return { [field]: [{ category: [] }] };
    case 'not':
      return { not: { category: [] } };
    case 'keywords':
      return { keywords: { words: [], match: 'any' } };
    case 'pattern':
      return { pattern: '' };
    case 'time_of_day':
      return { time_of_day: { from: '22:00', to: '06:00' } };
    case 'holiday':
      return { holiday: true };
    case 'caller':
      return { caller: { repeat: true } };
    default:
      return { [field]: [] };
  }
}

export interface PathError {
  path: readonly string[];
  message: string;
  code: string;
}

/** The errors whose path is exactly `path`, or (when `deep`) starts with it. */
export function errorsAt<E extends PathError>(errors: readonly E[], path: readonly string[], deep = false): E[] {
  return errors.filter((e) => {
    if (e.path.length < path.length || (!deep && e.path.length !== path.length)) return false;
    return path.every((p, i) => e.path[i] === p);
  });
}

/** Errors of a leaf: at its path or below it (a list element such as place.0, or from/to). */
export function leafErrors<E extends PathError>(errors: readonly E[], path: readonly string[]): E[] {
  return errorsAt(errors, path, true);
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => String(v)) : [];
}

/** A one-line reading of a condition, e.g. `all(category: 0102, not(channel: sms))`. */
export function summarize(cond: unknown, label: (field: string) => string = (f) => f): string {
  const field = fieldOf(cond);
  if (field === null) return '?';
  const value = (cond as Condition)[field];
  if (field === 'all' || field === 'any') {
    return `${label(field)}(${(Array.isArray(value) ? value : []).map((c) => summarize(c, label)).join(', ')})`;
  }
  if (field === 'not') return `${label(field)}(${summarize(value, label)})`;
  if (field === 'keywords') {
    const v = (value ?? {}) as { words?: unknown; match?: unknown };
    return `${label(field)}: ${list(v.words).join('/')}${v.match === 'all' ? ' (all)' : ''}`;
  }
  if (field === 'time_of_day') {
    const v = (value ?? {}) as { from?: unknown; to?: unknown };
    return `${label(field)}: ${String(v.from)}–${String(v.to)}`;
  }
  if (field === 'caller') {
    return `${label(field)}: ${Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`;
  }
  if (Array.isArray(value)) return `${label(field)}: ${list(value).join(', ')}`;
  return `${label(field)}: ${String(value)}`;
}
