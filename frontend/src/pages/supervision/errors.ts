import { errorText, type FieldError } from '../../api/errors';
import type { Locale, Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';

/** The oversight screens' own refusals (not in the shared list), in Chinese; English keeps the server's words. */
const OWN: Record<string, MessageKey> = {
  not_assigned: 'oversightError.not_assigned',
  duplicate: 'oversightError.duplicate',
  invalid_state: 'oversightError.invalid_state',
  out_of_range: 'oversightError.out_of_range',
  too_long: 'oversightError.too_long',
  invalid_reason: 'oversightError.invalid_reason',
};

export function oversightErrorText(error: FieldError, t: Translate, locale: Locale): string {
  const own = OWN[error.code];
  if (own && locale === 'zh-CN') return t(own);
  return errorText(error, t, locale);
}

/** Same as `showFormErrors`, with the oversight screens' wording for their refusals. */
export function withOwnWording(errors: readonly FieldError[], t: Translate, locale: Locale): FieldError[] {
  if (locale !== 'zh-CN') return [...errors];
  return errors.map((e) => (OWN[e.code] ? { ...e, message: oversightErrorText(e, t, locale), code: `own.${e.code}` } : e));
}
