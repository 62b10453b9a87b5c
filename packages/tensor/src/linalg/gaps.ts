import { abs, reciprocal } from '../ops/unary.js';
import { lessEqual, mul, sub, where } from '../ops/binary.js';
import { max } from '../ops/reduce.js';
import { expandDims } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';
import { epsOf } from './checks.js';

/**
 * `F[..., i, j] = 1 / (x_j - x_i)` for the spectral gradients of eigh and svd, with 0 on the
 * diagonal and wherever `|x_j - x_i| <= 16 k · eps · max|x|`: gaps below the eigensolver's own
 * backward error cannot be resolved, the computed vectors inside such a cluster are an arbitrary
 * basis, and 1/gap would only amplify rounding noise.
 *
 * Zeroing degenerate pairs is exact for losses that do not depend on the choice of basis inside a
 * degenerate eigen/singular subspace (functions of the values, of projectors, of reconstructions);
 * for other losses the derivative does not exist and this is the conventional finite surrogate.
 * Built from differentiable ops (the mask is a constant), so it can be differentiated again.
 */
export function inverseGaps(x: Tensor): Tensor {
  const k = x.shape[x.ndim - 1]!;
  const diff = sub(expandDims(x, -2), expandDims(x, -1));
  const scale = mul(max(abs(x), -1, true), 16 * Math.max(k, 1) * epsOf(x.dtype));
  const degenerate = lessEqual(abs(diff), expandDims(scale, -1));
  return where(degenerate, 0, reciprocal(where(degenerate, 1, diff)));
}
