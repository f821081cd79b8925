// Flat lists from the API into the nested nodes antd's Tree and TreeSelect draw.

export interface TreeNode<T> {
  key: string;
  item: T;
  children: TreeNode<T>[];
}

/**
 * Nests items by their parent key. Items whose parent is absent (outside the scope) become roots,
 * so the acting tenant is the root of what one sees. Siblings keep the input order.
 */
export function buildTree<T>(items: readonly T[], key: (item: T) => string, parentKey: (item: T) => string | null): TreeNode<T>[] {
  const nodes = new Map<string, TreeNode<T>>();
  for (const item of items) nodes.set(key(item), { key: key(item), item, children: [] });
  const roots: TreeNode<T>[] = [];
  for (const item of items) {
    const node = nodes.get(key(item));
    if (!node) continue;
    const parent = parentKey(item);
    const parentNode = parent === null ? undefined : nodes.get(parent);
    if (parentNode && parentNode !== node) parentNode.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** The keys of a node and everything below it. */
export function subtreeKeys<T>(node: TreeNode<T>): Set<string> {
  const keys = new Set<string>();
  const stack = [node];
  for (let current = stack.pop(); current; current = stack.pop()) {
    keys.add(current.key);
    stack.push(...current.children);
  }
  return keys;
}

export function findNode<T>(roots: readonly TreeNode<T>[], key: string): TreeNode<T> | undefined {
  const stack = [...roots];
  for (let current = stack.pop(); current; current = stack.pop()) {
    if (current.key === key) return current;
    stack.push(...current.children);
  }
  return undefined;
}

/** Keys of the nodes to expand so that every match (and its ancestors) shows. */
export function keysToReveal<T>(roots: readonly TreeNode<T>[], matches: (item: T) => boolean): Set<string> {
  const reveal = new Set<string>();
  const visit = (node: TreeNode<T>, ancestors: string[]): void => {
    if (matches(node.item)) for (const a of ancestors) reveal.add(a);
    for (const child of node.children) visit(child, [...ancestors, node.key]);
  };
  for (const root of roots) visit(root, []);
  return reveal;
}

export function countNodes<T>(roots: readonly TreeNode<T>[]): number {
  return roots.reduce((n, r) => n + 1 + countNodes(r.children), 0);
}
