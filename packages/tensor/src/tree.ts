import { ValueError } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * Pytrees: nested plain objects and arrays whose leaves are Tensors. Anything else
 * (numbers, strings, null, class instances) is kept as static structure, not a leaf.
 */
export type PyTree = Tensor | PyTree[] | { [key: string]: PyTree } | number | string | boolean | null | undefined;

export type TreeDef =
  | { kind: 'leaf' }
  | { kind: 'array'; children: TreeDef[] }
  | { kind: 'object'; keys: string[]; children: TreeDef[] }
  | { kind: 'static'; value: unknown };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

export function flatten(tree: unknown): { leaves: Tensor[]; treedef: TreeDef } {
  const leaves: Tensor[] = [];
  const walk = (x: unknown): TreeDef => {
    if (x instanceof Tensor) {
      leaves.push(x);
      return { kind: 'leaf' };
    }
    if (Array.isArray(x)) return { kind: 'array', children: x.map(walk) };
    if (isPlainObject(x)) {
      const keys = Object.keys(x).sort();
      return { kind: 'object', keys, children: keys.map((k) => walk(x[k])) };
    }
    return { kind: 'static', value: x };
  };
  const treedef = walk(tree);
  return { leaves, treedef };
}

export function unflatten<T = unknown>(treedef: TreeDef, leaves: readonly unknown[]): T {
  let i = 0;
  const build = (d: TreeDef): unknown => {
    switch (d.kind) {
      case 'leaf':
        if (i >= leaves.length) throw new ValueError(`tree.unflatten: too few leaves (${leaves.length})`);
        return leaves[i++];
      case 'array':
        return d.children.map(build);
      case 'object': {
        const o: Record<string, unknown> = {};
        d.keys.forEach((k, j) => (o[k] = build(d.children[j]!)));
        return o;
      }
      case 'static':
        return d.value;
    }
  };
  const out = build(treedef);
  if (i !== leaves.length) throw new ValueError(`tree.unflatten: ${leaves.length} leaves for a structure with ${i}`);
  return out as T;
}

function sameStructure(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'array' && b.kind === 'array')
    return a.children.length === b.children.length && a.children.every((c, i) => sameStructure(c, b.children[i]!));
  if (a.kind === 'object' && b.kind === 'object')
    return a.keys.join('\u0000') === b.keys.join('\u0000') && a.children.every((c, i) => sameStructure(c, b.children[i]!));
  return true;
}

/** Applies `f` leaf-wise over one or more pytrees of identical structure. */
export function map<T = unknown>(f: (...leaves: Tensor[]) => unknown, tree: unknown, ...rest: unknown[]): T {
  const { leaves, treedef } = flatten(tree);
  const others = rest.map((r) => flatten(r));
  for (const o of others)
    if (!sameStructure(treedef, o.treedef)) throw new ValueError('tree.map: pytrees have different structures');
  return unflatten<T>(treedef, leaves.map((l, i) => f(l, ...others.map((o) => o.leaves[i]!))));
}

export function leaves(tree: unknown): Tensor[] {
  return flatten(tree).leaves;
}

export function structureEquals(a: unknown, b: unknown): boolean {
  return sameStructure(flatten(a).treedef, flatten(b).treedef);
}

/** Namespace-style access: `tree.map`, `tree.flatten`, `tree.unflatten`, `tree.leaves`. */
export const tree = { map, flatten, unflatten, leaves, structureEquals };
