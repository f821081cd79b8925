import { describe, expect, test } from 'vitest';
import { buildTree, countNodes, findNode, keysToReveal, subtreeKeys } from './tree';

interface Item {
  code: string;
  parent: string | null;
  name: string;
}

const items: Item[] = [
  { code: '320100', parent: '320000', name: '南京' }, // its parent is outside the scope: a root
  { code: '320102', parent: '320100', name: '玄武' },
  { code: '320102003', parent: '320102', name: '新街口' },
  { code: '320104', parent: '320100', name: '秦淮' },
  { code: 'yql', parent: null, name: '一企来' },
];
const roots = buildTree(items, (i) => i.code, (i) => i.parent);

describe('buildTree', () => {
  test('nests by parent and makes items whose parent is out of scope into roots, in input order', () => {
    expect(roots.map((r) => r.key)).toEqual(['320100', 'yql']);
    expect(roots[0]?.children.map((c) => c.key)).toEqual(['320102', '320104']);
    expect(countNodes(roots)).toBe(5);
  });

  test('an item naming itself as parent does not vanish', () => {
    const odd = buildTree([{ code: 'a', parent: 'a', name: 'a' }], (i) => i.code, (i) => i.parent);
    expect(odd.map((r) => r.key)).toEqual(['a']);
  });
});

describe('walking the tree', () => {
  test('subtreeKeys is the node and all below it (what a unit cannot be moved under)', () => {
    const node = findNode(roots, '320102');
    expect(node && [...subtreeKeys(node)].sort()).toEqual(['320102', '320102003']);
  });

  test('keysToReveal opens the ancestors of every match, not the matches themselves', () => {
    expect([...keysToReveal(roots, (i) => i.name === '新街口')].sort()).toEqual(['320100', '320102']);
    expect(keysToReveal(roots, () => false).size).toBe(0);
  });
});
