import { ShapeError, Tensor, ValueError, add, fmtShape, mul, sqrt, sum, tree, zerosLike, type TreeDef } from '@difflab/tensor';

/** Leaves of a pytree (tree.flatten order) and its structure. */
export interface Flat {
  leaves: Tensor[];
  treedef: TreeDef;
}

export function flat(tree_: unknown): Flat {
  return tree.flatten(tree_);
}

export function rebuild<T = any>(treedef: TreeDef, leaves: readonly Tensor[]): T {
  return tree.unflatten<T>(treedef, leaves);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}

/**
 * Dotted paths of a pytree's leaves, in `tree.flatten` order (object keys sorted, array indices
 * as numbers). A bare Tensor has the single path `''`. These are the paths masks see.
 *
 * @param t - A pytree.
 * @returns One path per leaf.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { leafPaths } from '@difflab/optim';
 * leafPaths({ w: tensor([1]), layers: [{ b: tensor([0]) }] }); // ['layers.0.b', 'w']
 * ```
 */
export function leafPaths(t: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown, path: string): void => {
    if (x instanceof Tensor) out.push(path);
    else if (Array.isArray(x)) x.forEach((c, i) => walk(c, path ? `${path}.${i}` : String(i)));
    else if (isPlainObject(x)) for (const k of Object.keys(x).sort()) walk(x[k], path ? `${path}.${k}` : k);
  };
  walk(t, '');
  return out;
}

function describe(t: unknown): string {
  const paths = leafPaths(t);
  const leaves = flat(t).leaves;
  const items = paths.map((p, i) => `${p || '<root>'} ${fmtShape(leaves[i]!.shape)}`);
  return items.length > 6 ? `${items.slice(0, 6).join(', ')}, …` : items.join(', ');
}

/**
 * Checks that `other` (grads, updates, state leaves) has exactly the structure and leaf shapes of
 * `params` and returns its leaves. Throws naming `op`, `what` and the offending leaves.
 */
export function matchLeaves(op: string, what: string, params: unknown, other: unknown): Tensor[] {
  const p = flat(params);
  const o = flat(other);
  if (p.leaves.length === 0) throw new ValueError(`${op}: params contain no Tensor leaves`);
  if (!tree.structureEquals(params, other))
    throw new ValueError(`${op}: ${what} do not match the params pytree: params have {${describe(params)}} but ${what} have {${describe(other)}}`);
  const paths = leafPaths(params);
  o.leaves.forEach((l, i) => {
    const pl = p.leaves[i]!;
    if (l.shape.length !== pl.shape.length || l.shape.some((d, k) => d !== pl.shape[k]))
      throw new ShapeError(`${op}: ${what} leaf '${paths[i] || '<root>'}' has shape ${fmtShape(l.shape)} but the param has shape ${fmtShape(pl.shape)}`);
  });
  return o.leaves;
}

/** Leaves of the params, with a clear error when there are none. */
export function paramLeaves(op: string, params: unknown): Flat {
  const f = flat(params);
  if (f.leaves.length === 0) throw new ValueError(`${op}: params contain no Tensor leaves`);
  return f;
}

export function zerosLikeLeaves(leaves: readonly Tensor[]): Tensor[] {
  return leaves.map((l) => zerosLike(l));
}

/** Sum over leaves of <a_i, b_i> as a scalar Tensor. */
export function dotLeaves(a: readonly Tensor[], b: readonly Tensor[]): Tensor {
  let acc: Tensor | null = null;
  a.forEach((x, i) => {
    const d = sum(mul(x, b[i]!));
    acc = acc ? add(acc, d) : d;
  });
  if (!acc) throw new ValueError('dot: empty pytree');
  return acc;
}

/**
 * Euclidean norm of all leaves taken together (optax's `global_norm`), as a scalar Tensor.
 *
 * @param leaves - The leaves (e.g. `tree.flatten(grads).leaves`).
 * @returns `sqrt(sum_i ||leaves_i||^2)`.
 * @throws {ValueError} when `leaves` is empty.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { globalNorm } from '@difflab/optim';
 * globalNorm([tensor([3]), tensor([4])]).item(); // 5
 * ```
 */
export function globalNorm(leaves: readonly Tensor[]): Tensor {
  return sqrt(dotLeaves(leaves, leaves));
}

/**
 * Leafwise sum `a + b` of two pytrees with the same structure.
 *
 * @param a - First pytree (its structure is kept).
 * @param b - Second pytree.
 * @returns The sum pytree.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { treeAdd } from '@difflab/optim';
 * treeAdd({ w: tensor([1, 2]) }, { w: tensor([3, 4]) }).w.toArray(); // [4, 6]
 * ```
 */
export const treeAdd = (a: unknown, b: unknown): any => tree.map((x, y) => add(x, y), a, b);
/**
 * Multiplies every leaf of a pytree by a scalar (number or scalar Tensor).
 *
 * @param a - The pytree.
 * @param s - The factor.
 * @returns `s * a`, leafwise.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { treeScale } from '@difflab/optim';
 * treeScale({ w: tensor([1, 2]) }, 3).w.toArray(); // [3, 6]
 * ```
 */
export const treeScale = (a: unknown, s: number | Tensor): any => tree.map((x) => mul(x, s), a);
/**
 * Leafwise `alpha * x + y` (BLAS axpy) on pytrees with the same structure.
 *
 * @param alpha - The scale (number or scalar Tensor).
 * @param x - Pytree that is scaled.
 * @param y - Pytree that is added.
 * @returns The result pytree.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { treeAxpy } from '@difflab/optim';
 * treeAxpy(2, { w: tensor([1, 1]) }, { w: tensor([0, 1]) }).w.toArray(); // [2, 3]
 * ```
 */
export const treeAxpy = (alpha: number | Tensor, x: unknown, y: unknown): any => tree.map((u, v) => add(mul(u, alpha), v), x, y);
/**
 * Inner product of two pytrees: the sum over leaves of `sum(a_i * b_i)`, as a scalar Tensor.
 *
 * @param a - First pytree.
 * @param b - Second pytree with the same structure.
 * @returns The scalar inner product (differentiable).
 * @throws {ValueError} when the pytrees have no leaves.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { treeDot } from '@difflab/optim';
 * treeDot({ w: tensor([1, 2]) }, { w: tensor([3, 4]) }).item(); // 11
 * ```
 */
export const treeDot = (a: unknown, b: unknown): Tensor => dotLeaves(flat(a).leaves, flat(b).leaves);
/**
 * A pytree of zeros with the structure, shapes and dtypes of `a`.
 *
 * @param a - Template pytree.
 * @returns The zero pytree.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { treeZerosLike } from '@difflab/optim';
 * treeZerosLike({ w: tensor([1, 2]) }).w.toArray(); // [0, 0]
 * ```
 */
export const treeZerosLike = (a: unknown): any => tree.map((x) => zerosLike(x), a);

/** Plain-number view of a scalar tensor or a number. */
export function num(x: number | Tensor): number {
  return typeof x === 'number' ? x : x.item();
}
