import { ValueError } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * Pytrees: nested plain objects and arrays whose leaves are Tensors. Anything else
 * (numbers, strings, null, class instances) is kept as static structure, not a leaf.
 */
export type PyTree = Tensor | PyTree[] | { [key: string]: PyTree } | number | string | boolean | null | undefined;

/** Structure of a pytree without its leaves, as returned by `tree.flatten`; `tree.unflatten` rebuilds from it. */
export type TreeDef =
  | {
      /** A tensor leaf. */
      kind: 'leaf';
    }
  | {
      /** An array node. */
      kind: 'array';
      /** One structure per element. */
      children: TreeDef[];
    }
  | {
      /** A plain-object node. */
      kind: 'object';
      /** Keys in sorted order. */
      keys: string[];
      /** One structure per key. */
      children: TreeDef[];
    }
  | {
      /** A non-tensor value kept as structure (number, string, null, class instance, ...). */
      kind: 'static';
      /** The value itself. */
      value: unknown;
    };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/** The tensor leaves of a pytree (objects in sorted-key order) and its structure. */
export function flatten(tree: unknown): {
  /** Tensor leaves in traversal order. */
  leaves: Tensor[];
  /** The structure, for {@link unflatten}. */
  treedef: TreeDef;
} {
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

/** Rebuilds a pytree of structure `treedef` from `leaves` (inverse of {@link flatten}). */
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

/** The tensor leaves of a pytree, in {@link flatten} order. */
export function leaves(tree: unknown): Tensor[] {
  return flatten(tree).leaves;
}

/** True when two pytrees have the same structure (keys, lengths, leaf positions). */
export function structureEquals(a: unknown, b: unknown): boolean {
  return sameStructure(flatten(a).treedef, flatten(b).treedef);
}

/**
 * Pytree utilities in the style of `jax.tree`: `tree.map`, `tree.flatten`, `tree.unflatten`,
 * `tree.leaves`, `tree.structureEquals`.
 *
 * @namespace
 */
export const tree = {
  // `@function` makes typedoc document each member with the function's own doc comment.
  /** @function */
  map,
  /** @function */
  flatten,
  /** @function */
  unflatten,
  /** @function */
  leaves,
  /** @function */
  structureEquals,
};
