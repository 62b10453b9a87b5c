import { ShapeError, ValueError, concat, fmtShape, fromTypedArray, matmul, reshape, split, type Tensor } from '@difflab/tensor';
import { flat, matchLeaves, rebuild } from '../core/tree-utils.js';

/** The m gradients (pytrees of one structure) as the rows of an m×d Jacobian. */
export interface GradientMatrix<P> {
  J: Tensor;
  /** Rebuilds a d-vector into the gradients' pytree structure. */
  unflatten: (v: Tensor) => P;
}

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

/** The Gram matrix J Jᵀ on the host (m×m, row-major). */
export function gram(J: Tensor): Float64Array {
  return Float64Array.from(matmul(J, J.T).dataSync());
}

/** wᵀ J: the combination of the rows with host weights w. */
export function combineRows(J: Tensor, w: Float64Array | number[]): Tensor {
  const wt = fromTypedArray(Float64Array.from(w), [1, J.shape[0]!], { dtype: J.dtype, device: J.device });
  return reshape(matmul(wt, J), [J.shape[1]!]);
}
