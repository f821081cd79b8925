import type { TreeNode } from './tree';

export interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}

/** Tree nodes as TreeSelect options by code; nodes in `exclude` (and so their subtrees) are left out. */
export function treeOptions<T extends { code: string; name: string }>(
  nodes: readonly TreeNode<T>[], exclude: ReadonlySet<string> = new Set(),
): TreeOption[] {
  return nodes
    .filter((n) => !exclude.has(n.key))
    .map((n) => ({ value: n.item.code, title: `${n.item.name}（${n.item.code}）`, children: treeOptions(n.children, exclude) }));
}
