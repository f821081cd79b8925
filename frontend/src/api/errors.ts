import type { FormInstance } from 'antd';
import type { MessageKey } from '../i18n/messages';
import type { Translate, Locale } from '../i18n';

export interface FieldError {
  path: readonly string[];
  message: string;
  code: string;
}

const CODES: ReadonlySet<string> = new Set([
  'not_found', 'forbidden', 'invalid_credentials', 'locked', 'already_exists', 'required', 'invalid_format',
  'invalid_division', 'invalid_parent', 'invalid_target', 'cycle', 'too_short', 'unauthenticated',
  'out_of_range', 'invalid_value', 'invalid_state', 'too_long', 'duplicate', 'too_many', 'invalid', 'invalid_range', 'invalid_cursor', 'division_taken', 'unknown_category', 'unknown_division', 'unknown_unit', 'invalid_pattern', 'unknown_deadline_policy',
  'invalid_json', 'too_large', 'not_feature_collection', 'not_feature', 'invalid_geometry', 'invalid_coordinate',
  'coordinate_out_of_range', 'ring_too_short', 'ring_not_closed', 'not_within_tenant', 'nested', 'no_division',
]);

/** A message for one error: the localized text for a known code in Chinese, the server's own words in English. */
export function errorText(error: FieldError, t: Translate, locale: Locale): string {
  if (locale === 'en-US' && error.message) return error.message;
  return CODES.has(error.code) ? t(`error.${error.code}` as MessageKey) : error.message;
}

export interface SplitErrors {
  /** Errors for a form field, by field name (the last element of the path). */
  fields: Map<string, string[]>;
  /** Errors about the whole form (no path, or a field the form does not show). */
  general: string[];
}

export function splitErrors(
  errors: readonly FieldError[], fieldNames: readonly string[], t: Translate, locale: Locale,
): SplitErrors {
  const fields = new Map<string, string[]>();
  const general: string[] = [];
  for (const error of errors) {
    const name = error.path[error.path.length - 1];
    const text = errorText(error, t, locale);
    if (name !== undefined && fieldNames.includes(name)) fields.set(name, [...(fields.get(name) ?? []), text]);
    else general.push(text);
  }
  return { fields, general };
}

/** Puts each error next to its field in an antd form; returns the ones that belong to no field. */
export function showFormErrors(
  form: FormInstance, errors: readonly FieldError[], fieldNames: readonly string[], t: Translate, locale: Locale,
): string[] {
  const { fields, general } = splitErrors(errors, fieldNames, t, locale);
  form.setFields([...fields].map(([name, texts]) => ({ name, errors: texts })));
  return general;
}
