import { describe, expect, test } from 'vitest';
import { significant, tileColumns, volumeByDivision } from './places';

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
