// Plain functions of the intake form: the category tree, the path of a suggested category, the input sent.
import type { Channel, CreateWorkOrderInput, IntakeCategoriesQuery, RequestType } from '../../generated/graphql';

export type TaxonomyItem = IntakeCategoriesQuery['dispatchTaxonomy'][number];

export interface CategoryOption {
  value: string;
  label: string;
  children?: CategoryOption[];
}

/** The tenant's taxonomy as cascader options; only the leaves (no children) can be chosen. */
export function categoryOptions(items: readonly TaxonomyItem[]): CategoryOption[] {
  const byParent = new Map<string | null, TaxonomyItem[]>();
  const codes = new Set(items.map((i) => i.code));
  for (const item of items) {
    const parent = item.parentCode !== null && codes.has(item.parentCode) ? item.parentCode : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), item]);
  }
  const build = (parent: string | null): CategoryOption[] =>
    (byParent.get(parent) ?? []).map((item) => {
      const children = build(item.code);
      return children.length > 0 ? { value: item.code, label: item.name, children } : { value: item.code, label: item.name };
    });
  return build(null);
}

/** The codes from the top down to a category (what the cascader holds), or [] for an unknown code. */
export function categoryPath(items: readonly TaxonomyItem[], code: string): string[] {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const path: string[] = [];
  for (let item = byCode.get(code); item && path.length < 10; item = item.parentCode ? byCode.get(item.parentCode) : undefined) {
    path.unshift(item.code);
  }
  return path;
}

export interface IntakeValues {
  phone?: string;
  callerName?: string;
  confidential?: boolean;
  channel: Channel;
  requestType: RequestType;
  title?: string;
  content?: string;
  categoryCode?: string[];
  divisionCode?: string[];
  address?: string;
  responseLevel: number;
  enterpriseName?: string;
  creditCode?: string;
  directAnswer?: string;
}

const text = (value: string | undefined): string | null => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

/** The mutation's input from the form (empty fields become null so the server can say what is missing). */
export function intakeInput(values: IntakeValues, enterpriseLine: boolean): CreateWorkOrderInput {
  const division = values.divisionCode?.[values.divisionCode.length - 1] ?? null;
  const address = text(values.address);
  const phone = text(values.phone);
  const name = text(values.callerName);
  return {
    channel: values.channel,
    requestType: values.requestType,
    categoryCode: values.categoryCode?.[values.categoryCode.length - 1] ?? '',
    title: values.title?.trim() ?? '',
    content: values.content?.trim() ?? '',
    responseLevel: values.responseLevel,
    location: division || address ? { divisionCode: division, address } : null,
    caller: phone || name || values.confidential ? { phone, name, confidential: values.confidential ?? false } : null,
    enterprise: enterpriseLine && (text(values.enterpriseName) || text(values.creditCode))
      ? { name: text(values.enterpriseName), creditCode: text(values.creditCode) } : null,
    directAnswer: values.requestType === 'CONSULTATION' ? text(values.directAnswer) : null,
  };
}
