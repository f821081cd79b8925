import { describe, expect, test } from 'vitest';
import { translate } from '../i18n';
import { errorText, splitErrors } from './errors';

const zh = (key: Parameters<typeof translate>[1]) => translate('zh-CN', key);
const en = (key: Parameters<typeof translate>[1]) => translate('en-US', key);

describe('API errors in forms', () => {
  const errors = [
    { path: ['divisionCode'], message: 'not a county division code within 南京', code: 'invalid_division' },
    { path: ['code'], message: 'a tenant with this code already exists', code: 'already_exists' },
    { path: [], message: 'not allowed for your roles', code: 'forbidden' },
    { path: ['parentCode'], message: 'tenant not found', code: 'not_found' },
  ];

  test('each error goes next to the field its path names; the rest belongs to the whole form', () => {
    const { fields, general } = splitErrors(errors, ['divisionCode', 'code', 'name'], zh, 'zh-CN');
    expect(fields.get('divisionCode')).toEqual(['行政区划不正确或不在上级热线范围内。']);
    expect(fields.get('code')).toEqual(['已存在，请换一个。']);
    expect(general).toEqual(['您没有此操作的权限。', '未找到，或不在您的管辖范围内。']);
  });

  test('Chinese uses the words for the code; English shows the server message; unknown codes keep the message', () => {
    const duplicate = { path: ['code'], message: 'a tenant with this code already exists', code: 'already_exists' };
    expect(errorText(duplicate, zh, 'zh-CN')).toBe('已存在，请换一个。');
    expect(errorText(duplicate, en, 'en-US')).toBe('a tenant with this code already exists');
    expect(errorText({ path: [], message: 'something new', code: 'brand_new' }, zh, 'zh-CN')).toBe('something new');
  });
});
