// Items of the dispatch configuration come back as JSON bodies (lower-case, as stored); the mutations take typed
// inputs (upper-case enums, unitCode). These functions translate between the two.
import type { DispatchActionInput, DispatchActionType, DispatchRole, UnitTargetInput } from '../../../generated/graphql';
import type { Condition } from './conditions';

export interface StoredUnit { unit?: string; street?: boolean; role?: string }
export interface StoredAction { type: string; units?: StoredUnit[]; level?: number; tag?: string; policy?: string }
export interface RuleBody { name: string; when: Condition; then: StoredAction[] }
export interface EntryBody { category: string; place: string | null; units: StoredUnit[] }
export interface CategoryBody {
  name?: string | null; parent?: string | null; hidden?: boolean; keywords?: string[]; synonyms?: string[];
}

export function toUnitInput(u: StoredUnit): UnitTargetInput {
  const role = (u.role ?? 'lead').toUpperCase() as DispatchRole;
  return u.street ? { street: true, role } : { unitCode: u.unit ?? '', street: false, role };
}

export function toActionInput(a: StoredAction): DispatchActionInput {
  const type = a.type.toUpperCase() as DispatchActionType;
  switch (type) {
    case 'DISPATCH':
      return { type, units: (a.units ?? []).map(toUnitInput) };
    case 'SET_LEVEL':
      return { type, level: a.level ?? null };
    case 'TAG':
      return { type, tag: a.tag ?? '' };
    case 'DEADLINE_POLICY':
      return { type, policy: a.policy ?? '' };
    default:
      return { type };
  }
}

export function ruleBody(body: unknown): RuleBody {
  const b = (body ?? {}) as Partial<RuleBody>;
  return { name: b.name ?? '', when: b.when ?? { category: [] }, then: b.then ?? [] };
}

export function entryBody(body: unknown): EntryBody {
  const b = (body ?? {}) as Partial<EntryBody>;
  return { category: b.category ?? '', place: b.place ?? null, units: b.units ?? [] };
}
