import { describe, expect, test } from 'vitest';
import { satisfactionShades, significant, tileColumns, volumeByDivision, volumeShades } from './places';

const NANJING = [{ code: '320102', name: '玄武区' }, { code: '320104', name: '秦淮区' }, { code: '320115', name: '江宁区' }];

describe('volumeByDivision', () => {
  test('streets count for their district; the city itself and unknown places count apart', () => {
    const { rows, unplaced } = volumeByDivision(NANJING, [
      { key: '320102003', count: 4 }, { key: '320102001', count: 1 }, { key: '320115', count: 2 },
      { key: '320100', count: 3 }, { key: '', count: 5 },
    ]);
    expect(rows).toEqual([
      { code: '320102', name: '玄武区', count: 5 }, { code: '320104', name: '秦淮区', count: 0 },
      { code: '320115', name: '江宁区', count: 2 },
    ]);
    expect(unplaced).toBe(8);
  });

  test('a province adds up its cities by the significant digits of their codes', () => {
    const { rows } = volumeByDivision([{ code: '320100', name: '南京市' }, { code: '320500', name: '苏州市' }],
      [{ key: '320102003', count: 2 }, { key: '320506', count: 1 }]);
    expect(rows.map((r) => r.count)).toEqual([2, 1]);
  });
});

test('significant digits of division codes', () => {
  expect([significant('320000'), significant('320100'), significant('320102'), significant('320102003')])
    .toEqual(['32', '3201', '320102', '320102003']);
});

test('tile grids stay near square', () => {
  expect([tileColumns(1), tileColumns(4), tileColumns(11), tileColumns(50)]).toEqual([1, 2, 4, 6]);
});

describe('satisfactionShades', () => {
  const divisions = [{ code: '320102', name: '玄武区' }, { code: '320104', name: '秦淮区' }, { code: '320115', name: '江宁区' }];

  test('adds up the verdicts of each district’s streets into its rate, in percent with one decimal', () => {
    const { shades, scale } = satisfactionShades(divisions, [
      { key: '320102003', rated: 2, satisfied: 1 }, { key: '320102002', rated: 1, satisfied: 1 },
      { key: '320115', rated: 3, satisfied: 3 }, { key: '320506001', rated: 4, satisfied: 0 },
    ]);
    expect(shades).toEqual([
      { code: '320102', name: '玄武区', value: 66.7, text: '66.7%' },
      { code: '320115', name: '江宁区', value: 100, text: '100%' },
    ]);
    expect(scale).toEqual({ max: 100, ends: ['100%', '0%'] });
  });

  test('leaves out a district without callback verdicts rather than calling it 0%', () => {
    const { shades } = satisfactionShades(divisions, [{ key: '320104001', rated: 0, satisfied: 0 }]);
    expect(shades).toEqual([]);
  });
});

describe('volumeShades', () => {
  test('shades by the count and reads it as is, the scale topped by the largest', () => {
    const { shades, scale } = volumeShades([{ code: '320102', name: '玄武区', count: 5 }, { code: '320104', name: '秦淮区', count: 0 }]);
    expect(shades.map((s) => [s.value, s.text])).toEqual([[5, '5'], [0, '0']]);
    expect(scale).toEqual({ max: 5, ends: ['5', '0'] });
  });
});
