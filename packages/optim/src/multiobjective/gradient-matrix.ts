import { ShapeError, ValueError, concat, fmtShape, fromTypedArray, matmul, reshape, split, type Tensor } from '@difflab/tensor';
import { flat, matchLeaves, rebuild } from '../core/tree-utils.js';

/**
 * The m gradients (pytrees of one structure) as the rows of an m×d Jacobian `J`, with the inverse
 * map from a d-vector back to the pytree structure.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { gradientMatrix, type GradientMatrix } from '@difflab/optim';
 * const gm: GradientMatrix<{ w: Tensor }> = gradientMatrix('demo', [{ w: tensor([1, 2]) }, { w: tensor([3, 4]) }]);
 * gm.J.shape; // [2, 2]
 * ```
 */
export interface GradientMatrix<P> {
  /** The m×d Jacobian: row i is gradient i flattened in `tree.flatten` order. */
  J: Tensor;
  /** Rebuilds a d-vector into the gradients' pytree structure. */
  unflatten: (v: Tensor) => P;
}

/**
 * Stacks per-objective gradient pytrees into the rows of an m×d Jacobian and returns the inverse
 * map (`unflatten`) for the combined d-vector.
 *
 * @param op - Name of the calling op, used in error messages.
 * @param grads - One gradient pytree per objective, all of one structure.
 * @returns The Jacobian and `unflatten`.
 * @throws {ValueError} for an empty list or pytrees without leaves or of different structures.
 * @throws {ShapeError} when leaf shapes differ (or `unflatten` gets a vector of the wrong size).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { gradientMatrix } from '@difflab/optim';
 * const { J, unflatten } = gradientMatrix('demo', [{ a: tensor([1]), b: tensor([2, 3]) }]);
 * J.toArray(); // [[1, 2, 3]]
 * unflatten(tensor([4, 5, 6])).b.toArray(); // [5, 6]
 * ```
 */
export function gradientMatrix<P>(op: string, grads: readonly P[]): GradientMatrix<P> {
  if (!Array.isArray(grads) || grads.length === 0) throw new ValueError(`${op}: needs a non-empty array of gradients (one pytree per objective)`);
  const f0 = flat(grads[0]);
  if (f0.leaves.length === 0) throw new ValueError(`${op}: gradients contain no Tensor leaves`);
  const rows = grads.map((g, i) => {
    const leaves = i === 0 ? f0.leaves : matchLeaves(op, `gradient ${i}`, grads[0], g);
    const v = leaves.length === 1 ? reshape(leaves[0]!, [-1]) : concat(leaves.map((l) => reshape(l, [-1])));
    return reshape(v, [1, v.size]);
  });
  const J = rows.length === 1 ? rows[0]! : concat(rows, 0);
  const shapes = f0.leaves.map((l) => l.shape);
  const sizes = f0.leaves.map((l) => l.size);
  const unflatten = (v: Tensor): P => {
    if (v.size !== J.shape[1]) throw new ShapeError(`${op}: vector of shape ${fmtShape(v.shape)} does not match ${J.shape[1]} parameters`);
    const parts = sizes.length === 1 ? [reshape(v, [-1])] : split(reshape(v, [-1]), sizes);
    return rebuild<P>(f0.treedef, parts.map((p, i) => reshape(p, shapes[i]!).astype(f0.leaves[i]!.dtype)));
  };
  return { J, unflatten };
}

/**
 * The Gram matrix `J Jᵀ` of a Jacobian, copied to the host (m×m, row-major), as the weight
 * functions consume it.
 *
 * @param J - An m×d Tensor.
 * @returns The m×m Gram matrix as a `Float64Array`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { gram } from '@difflab/optim';
 * Array.from(gram(tensor([[1, 0], [-1, 1]]))); // [1, -1, -1, 2]
 * ```
 */
export function gram(J: Tensor): Float64Array {
  return Float64Array.from(matmul(J, J.T).dataSync());
}

/**
 * The combination `wᵀ J` of a Jacobian's rows with host weights `w`.
 *
 * @param J - An m×d Tensor.
 * @param w - m weights.
 * @returns A d-vector Tensor (J's dtype and device).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { combineRows } from '@difflab/optim';
 * combineRows(tensor([[1, 0], [0, 1]]), [2, 3]).toArray(); // [2, 3]
 * ```
 */
export function combineRows(J: Tensor, w: Float64Array | number[]): Tensor {
  const wt = fromTypedArray(Float64Array.from(w), [1, J.shape[0]!], { dtype: J.dtype, device: J.device });
  return reshape(matmul(wt, J), [J.shape[1]!]);
}
