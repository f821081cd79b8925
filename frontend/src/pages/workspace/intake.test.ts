import { describe, expect, test } from 'vitest';
import { categoryOptions, categoryPath, intakeInput, type TaxonomyItem } from './intake';

const item = (code: string, parentCode: string | null, name: string): TaxonomyItem => ({
  code, parentCode, name, level: code.length / 2, hidden: false,
});
const TAXONOMY = [
  item('01', null, '城乡建设'), item('0102', '01', '城市建设和市政管理'), item('010202', '0102', '城管执法'),
  item('010213', '0102', '燃气供应'), item('02', null, '环境保护'),
];

describe('the category cascader', () => {
  test('nests the taxonomy; only categories without children are leaves', () => {
    const options = categoryOptions(TAXONOMY);
    expect(options.map((o) => o.label)).toEqual(['城乡建设', '环境保护']);
    expect(options[0]?.children?.[0]?.children?.map((o) => o.value)).toEqual(['010202', '010213']);
    expect(options[1]?.children).toBeUndefined();
  });

  test('a suggested category becomes the path from the top', () => {
    expect(categoryPath(TAXONOMY, '010213')).toEqual(['01', '0102', '010213']);
    expect(categoryPath(TAXONOMY, '99')).toEqual([]);
  });
});

describe('the order sent', () => {
  const base = {
    channel: 'PHONE' as const, requestType: 'COMPLAINT' as const, responseLevel: 4, title: ' 噪音 ', content: '夜间施工',
    categoryCode: ['01', '0102', '010202'],
  };

  test('takes the deepest codes, trims texts and leaves out empty parts', () => {
    const input = intakeInput({ ...base, divisionCode: ['320102', '320102003'], phone: ' ', address: '' }, false);
    expect(input).toMatchObject({ categoryCode: '010202', title: '噪音', caller: null, enterprise: null, directAnswer: null });
    expect(input.location).toEqual({ divisionCode: '320102003', address: null });
  });

  test('a direct answer only for a consultation; enterprise fields only on an enterprise line', () => {
    const values = { ...base, directAnswer: '已答复', enterpriseName: '某公司', creditCode: '91320100MA1XXXXX0X' };
    expect(intakeInput(values, false)).toMatchObject({ directAnswer: null, enterprise: null });
    expect(intakeInput({ ...values, requestType: 'CONSULTATION' }, true)).toMatchObject({
      directAnswer: '已答复', enterprise: { name: '某公司', creditCode: '91320100MA1XXXXX0X' },
    });
  });

  test('a confidential caller stays confidential', () => {
    expect(intakeInput({ ...base, phone: '13900000000', confidential: true }, false).caller).toEqual({
      phone: '13900000000', name: null, confidential: true,
    });
  });
});
