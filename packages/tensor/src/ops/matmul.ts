import { record } from '../autodiff/graph.js';
import { promoteTypes } from '../dtype.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { broadcastView, mul, sumToShape } from './binary.js';
import { asTensors, backendOf, fromStorage } from './core.js';
import { expandDims, reshape, squeeze, swapAxes } from './shape.js';

/**
 * Matrix product with NumPy semantics (`np.matmul`, `torch.matmul`, the `@` operator): 1-D operands are
 * promoted (and the added axis removed), leading batch axes broadcast.
 *
 * Shapes: `[..., m, k] @ [..., k, n] → [..., m, n]`; a 1-D left operand acts as a row vector, a 1-D
 * right one as a column vector. Mixed dtypes promote; the gradient of each operand keeps its dtype.
 *
 * @param aIn - Left operand, at least 1-D.
 * @param bIn - Right operand, at least 1-D.
 * @returns The product.
 * @throws {ShapeError} for 0-d operands, mismatched inner dimensions or non-broadcasting batch axes.
 * @throws {DTypeError} for bool operands.
 *
 * @example
 * ```ts
 * import { matmul, tensor, ones, ShapeError } from '@difflab/tensor';
 * const a = tensor([[1, 2], [3, 4]]);
 * matmul(a, tensor([[1], [1]])).toArray(); // => [[3], [7]]
 * matmul(a, tensor([1, 1])).toArray(); // => [3, 7]
 * matmul(ones([5, 2, 3]), ones([3, 4])).shape; // => [5, 2, 4]
 * matmul(ones([2, 3]), ones([2, 3])); // throws ShapeError
 * ```
 */
export function matmul(aIn: Tensor, bIn: Tensor): Tensor {
  const [a0, b0] = asTensors('matmul', aIn, bIn) as [Tensor, Tensor];
  if (a0.ndim === 0 || b0.ndim === 0)
    throw new ShapeError(`matmul: operands must be at least 1-D, got ${fmtShape(a0.shape)} and ${fmtShape(b0.shape)}`);
  if (a0.dtype === 'bool' || b0.dtype === 'bool') throw new DTypeError(`matmul: bool operands are not supported (${fmtShape(a0.shape)}, ${fmtShape(b0.shape)})`);
  const a = a0.ndim === 1 ? expandDims(a0, 0) : a0;
  const b = b0.ndim === 1 ? expandDims(b0, 1) : b0;
  const out = matmulNd(a, b);
  let res = out;
  if (a0.ndim === 1) res = squeeze(res, -2);
  if (b0.ndim === 1) res = squeeze(res, -1);
  return res;
}

function matmulNd(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 2]!;
  const k = a.shape[a.ndim - 1]!;
  const k2 = b.shape[b.ndim - 2]!;
  const n = b.shape[b.ndim - 1]!;
  if (k !== k2) throw new ShapeError(`matmul: inner dimensions differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}`);
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const B = batch.reduce((x, y) => x * y, 1);
  const dt = promoteTypes(a.dtype, b.dtype);
  const av = a.dtype === dt ? a : a.astype(dt);
  const bv = b.dtype === dt ? b : b.astype(dt);
  const a3 = reshape(broadcastView(av, [...batch, m, k]), [B, m, k]);
  const b3 = reshape(broadcastView(bv, [...batch, k, n]), [B, k, n]);
  const out = fromStorage(backendOf(a).matmul(a3, b3, dt), [...batch, m, n], dt);
  // Record against the promoted operands: their cast nodes carry the gradient back to each input's dtype.
  return record(out, 'matmul', [av, bv], (g, needs) => [
    needs[0] ? sumToShape(matmulNd(g, swapAxes(bv, -1, -2)), av.shape) : null,
    needs[1] ? sumToShape(matmulNd(swapAxes(av, -1, -2), g), bv.shape) : null,
  ]);
}

/**
 * Outer product of two 1-D tensors (`torch.outer`): `out[i, j] = a[i] * b[j]`.
 *
 * Inputs of higher rank are flattened first.
 *
 * @param a - Left vector, length m.
 * @param b - Right vector, length n.
 * @returns An m × n tensor.
 *
 * @example
 * ```ts
 * import { outer, tensor } from '@difflab/tensor';
 * outer(tensor([1, 2]), tensor([3, 4, 5])).toArray(); // => [[3, 4, 5], [6, 8, 10]]
 * ```
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  return mul(reshape(a, [-1, 1]), reshape(b, [1, -1]));
}

/**
 * Dot product of 1-D tensors (a 0-d result); {@link matmul} otherwise.
 *
 * @param a - Left operand.
 * @param b - Right operand.
 * @returns `Σ a[i] b[i]` for vectors, else `matmul(a, b)`.
 * @throws {ShapeError} as {@link matmul}.
 *
 * @example
 * ```ts
 * import { dot, tensor } from '@difflab/tensor';
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(); // => 32
 * ```
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  return matmul(a, b);
}
