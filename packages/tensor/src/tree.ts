import { ValueError } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * A pytree: a tensor, or a plain object or array of pytrees (JAX's pytree, PyTorch's
 * `torch.utils._pytree`).
 *
 * Tensors are the leaves; numbers, strings, booleans, null, undefined and class instances are
 * static structure. Parameters, gradients and optimizer states are pytrees, so one transform or
 * optimizer handles any model layout. Objects are traversed in sorted-key order.
 *
 * @example
 * ```ts
 * import { tensor, tree, type PyTree } from '@difflab/tensor';
 * const params: PyTree = { layers: [{ w: tensor([1, 2]), b: tensor([0]) }], scale: 2 };
 * tree.leaves(params).length; // => 2
 * ```
 */
export type PyTree = Tensor | PyTree[] | { [key: string]: PyTree } | number | string | boolean | null | undefined;

/**
 * The structure of a pytree without its tensor leaves, as returned by `tree.flatten`;
 * `tree.unflatten` rebuilds a pytree from it and a list of leaves (JAX's `PyTreeDef`).
 *
 * @example
 * ```ts
 * import { tensor, tree, type TreeDef } from '@difflab/tensor';
 * const def: TreeDef = tree.flatten({ a: tensor([1]), n: 3 }).treedef;
 * def.kind; // => 'object'
 * ```
 */
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

/**
 * Splits a pytree into its tensor leaves and its structure (`jax.tree.flatten`).
 *
 * Leaves come in depth-first order with object keys sorted, so two pytrees of the same structure
 * flatten to aligned lists.
 *
 * @param tree - any value; non-tensor, non-container values become static structure.
 * @returns `{ leaves, treedef }`.
 *
 * @example
 * ```ts
 * import { tensor, tree } from '@difflab/tensor';
 * const { leaves, treedef } = tree.flatten({ w: tensor([1, 2]), b: tensor([0]) });
 * leaves.map((t) => t.size); // => [1, 2]
 * tree.unflatten<{ w: unknown }>(treedef, leaves).w === leaves[1]; // => true
 * ```
 */
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

/**
 * Rebuilds a pytree of structure `treedef` from `leaves`, the inverse of {@link flatten}
 * (`jax.tree.unflatten`).
 *
 * Leaves may be any values (not only tensors), which is how per-leaf results such as optimizer
 * moments are put back into the parameter layout.
 *
 * @param treedef - a structure from {@link flatten}.
 * @param leaves - one value per leaf, in flatten order.
 * @returns the rebuilt pytree, typed `T`.
 * @throws {ValueError} when the number of leaves differs from the structure's.
 *
 * @example
 * ```ts
 * import { tensor, tree, Tensor } from '@difflab/tensor';
 * const { leaves, treedef } = tree.flatten([tensor([1]), { x: tensor([2]) }]);
 * const neg = tree.unflatten<[Tensor, { x: Tensor }]>(treedef, leaves.map((t) => t.neg()));
 * neg[1].x.toArray(); // => [-2]
 * ```
 */
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

/**
 * Applies `f` leaf-wise over one or more pytrees of identical structure (`jax.tree.map`).
 *
 * Static structure (numbers, strings, ...) is kept from the first tree. This is the building
 * block of hand-written optimizer steps.
 *
 * @param f - called with the corresponding leaf of every tree.
 * @param tree - the tree whose structure the result takes.
 * @param rest - further trees with the same structure.
 * @returns the mapped pytree, typed `T`.
 * @throws {ValueError} when the trees' structures differ.
 *
 * @example
 * ```ts
 * import { tensor, tree, Tensor } from '@difflab/tensor';
 * const params = { w: tensor([1, 2]), b: tensor([0]) };
 * const grads = { w: tensor([10, 10]), b: tensor([5]) };
 * const next = tree.map<typeof params>((p: Tensor, g: Tensor) => p.sub(g.mul(0.1)), params, grads);
 * next.w.toArray(); // => [0, 1]
 * ```
 */
export function map<T = unknown>(f: (...leaves: Tensor[]) => unknown, tree: unknown, ...rest: unknown[]): T {
  const { leaves, treedef } = flatten(tree);
  const others = rest.map((r) => flatten(r));
  for (const o of others)
    if (!sameStructure(treedef, o.treedef)) throw new ValueError('tree.map: pytrees have different structures');
  return unflatten<T>(treedef, leaves.map((l, i) => f(l, ...others.map((o) => o.leaves[i]!))));
}

/**
 * Returns the tensor leaves of a pytree, in {@link flatten} order (`jax.tree.leaves`).
 *
 * @param tree - any pytree.
 * @returns the tensors it contains.
 *
 * @example
 * ```ts
 * import { tensor, tree } from '@difflab/tensor';
 * tree.leaves({ b: tensor([1]), a: [tensor([2, 3]), 'static'] }).map((t) => t.size); // => [2, 1]
 * ```
 */
export function leaves(tree: unknown): Tensor[] {
  return flatten(tree).leaves;
}

/**
 * Tells whether two pytrees have the same structure: keys, array lengths and leaf positions
 * (static values are not compared).
 *
 * @param a - a pytree.
 * @param b - another pytree.
 * @returns true when {@link map} could combine them.
 *
 * @example
 * ```ts
 * import { tensor, tree } from '@difflab/tensor';
 * tree.structureEquals({ w: tensor([1]) }, { w: tensor([5, 6]) }); // => true
 * tree.structureEquals({ w: tensor([1]) }, [tensor([1])]); // => false
 * ```
 */
export function structureEquals(a: unknown, b: unknown): boolean {
  return sameStructure(flatten(a).treedef, flatten(b).treedef);
}

/**
 * Pytree utilities in the style of `jax.tree`: `tree.map`, `tree.flatten`, `tree.unflatten`,
 * `tree.leaves`, `tree.structureEquals`.
 *
 * @example
 * ```ts
 * import { tensor, tree, Tensor } from '@difflab/tensor';
 * const doubled = tree.map<{ w: Tensor; n: number }>((t) => t.mul(2), { w: tensor([1, 2]), n: 3 });
 * doubled.w.toArray(); // => [2, 4]
 * doubled.n; // => 3
 * ```
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
