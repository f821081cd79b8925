// What publishing the draft would change: items of the effective configuration compared by (kind, key).

export interface Comparable {
  kind: string;
  key: string;
  body: unknown;
  mandatory: boolean;
  source: { code: string };
}

export interface Difference {
  kind: string;
  key: string;
  change: 'added' | 'changed' | 'removed';
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function differences(published: readonly Comparable[], draft: readonly Comparable[]): Difference[] {
  const id = (i: Comparable): string => `${i.kind}\u0000${i.key}`;
  const before = new Map(published.map((i) => [id(i), i]));
  const after = new Map(draft.map((i) => [id(i), i]));
  const out: Difference[] = [];
  for (const [k, i] of after) {
    const old = before.get(k);
    if (!old) out.push({ kind: i.kind, key: i.key, change: 'added' });
    else if (stable(old.body) !== stable(i.body) || old.mandatory !== i.mandatory || old.source.code !== i.source.code) {
      out.push({ kind: i.kind, key: i.key, change: 'changed' });
    }
  }
  for (const [k, i] of before) if (!after.has(k)) out.push({ kind: i.kind, key: i.key, change: 'removed' });
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));
}
