import { record } from '../autodiff/graph.js';
import { fmtShape, ShapeError } from '../errors.js';
import { mul } from '../ops/binary.js';
import { fromTypedArray } from '../ops/creation.js';
import { viewOf } from '../ops/core.js';
import { expandDims, pad, swapAxes } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';

/** Matrix transpose of the last two axes (a view). */
export function mT(x: Tensor): Tensor {
  return swapAxes(x, -1, -2);
}

/** Constant m×n matrix with entries `f(i, j)` in `like`'s dtype and device (not differentiated). */
export function constMatrix(like: Tensor, m: number, n: number, f: (i: number, j: number) => number): Tensor {
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[i * n + j] = f(i, j);
  return fromTypedArray(data, [m, n], { dtype: like.dtype, device: like.device });
}

/** Zeroes entries outside the lower (or upper) triangle; `diag` scales the diagonal (0 drops it). */
export function triPart(x: Tensor, lower: boolean, diag = 1): Tensor {
  const m = x.shape[x.ndim - 2]!;
  const n = x.shape[x.ndim - 1]!;
  return mul(
    x,
    constMatrix(x, m, n, (i, j) => (i === j ? diag : lower === i > j ? 1 : 0)),
  );
}

/**
 * Main diagonal of the last two axes, `[..., min(m, n)]` (`torch.linalg.diagonal` with offset 0).
 *
 * A strided view (no copy); differentiable (the gradient is embedded back on the diagonal).
 * Handy for Cholesky log-determinants, `2 * sum(log(diagonal(L)))`.
 *
 * @param x - a (batch of) matrices `[..., m, n]`.
 * @returns the diagonals `[..., min(m, n)]`.
 * @throws {ShapeError} when `x` has fewer than 2 dims.
 *
 * @example
 * ```ts
 * import { linalg, tensor } from '@difflab/tensor';
 * linalg.diagonal(tensor([[1, 2, 3], [4, 5, 6]])).toArray(); // => [1, 5]
 * const L = linalg.cholesky(tensor([[4, 2], [2, 3]]));
 * linalg.diagonal(L).log().sum().mul(2).item(); // => 2.0794
 * ```
 */
export function diagonal(x: Tensor): Tensor {
  if (x.ndim < 2) throw new ShapeError(`diagonal: input must be at least 2-D, got shape ${fmtShape(x.shape)}`);
  const m = x.shape[x.ndim - 2]!;
  const n = x.shape[x.ndim - 1]!;
  const k = Math.min(m, n);
  const out = viewOf(
    x,
    [...x.shape.slice(0, -2), k],
    [...x.strides.slice(0, -2), x.strides[x.ndim - 2]! + x.strides[x.ndim - 1]!],
    x.offset,
  );
  return record(out, 'diagonal', [x], (g) => [diagEmbed(g, m, n)]);
}

/** `[..., k]` -> `[..., m, n]` with the vector on the main diagonal (default square k×k). */
export function diagEmbed(v: Tensor, m = v.shape[v.ndim - 1]!, n = m): Tensor {
  const k = v.shape[v.ndim - 1]!;
  const rows = mul(
    expandDims(v, -1),
    constMatrix(v, k, n, (i, j) => (i === j ? 1 : 0)),
  );
  if (m === k) return rows;
  return pad(rows, [...v.shape.slice(0, -1).map(() => [0, 0] as [number, number]), [0, m - k], [0, 0]]);
}
