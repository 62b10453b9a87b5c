import { add, logsumexp, mul, sub, type Tensor } from '@difflab/tensor';
import { checkPositiveNumber } from '../core/validate.js';
import { asPointPair, sqDistances } from './pairwise.js';

/**
 * Options of {@link csDivergence}.
 *
 * @example
 * ```ts
 * import type { CsDivergenceOptions } from '@difflab/losses';
 * const o: CsDivergenceOptions = { sigma: 0.5 };
 * ```
 */
export interface CsDivergenceOptions {
  /** Gaussian kernel width σ. Default 1. */
  sigma?: number;
}

/** log of the mean of exp(-D/(2σ²)) over all pairs, by log-sum-exp. */
function logMeanKernel(sqDist: Tensor, sigma: number): Tensor {
  return sub(logsumexp(mul(sqDist, -1 / (2 * sigma * sigma))), Math.log(sqDist.size));
}

/**
 * Cauchy-Schwarz divergence D_CS(p ‖ q) = -log((∫pq)² / (∫p² ∫q²)) (Principe et al. 2000; the kernel
 * estimator used by Yu et al., "Cauchy-Schwarz Divergence Information Bottleneck for Regression",
 * ICLR 2024), estimated from samples x [n, d] ~ p and y [m, d] ~ q with Gaussian Parzen windows:
 * log mean K_xx + log mean K_yy - 2 log mean K_xy. The kernels' normalising constants cancel. It is
 * >= 0 (Cauchy-Schwarz), symmetric, and 0 iff the two Parzen densities coincide.
 *
 * @param x - Samples `[n, d]` (or `[n]` for d = 1) from the first distribution.
 * @param y - Samples `[m, d]` from the second distribution.
 * @param opts - See {@link CsDivergenceOptions}.
 * @returns A scalar Tensor, differentiable in the samples.
 * @throws {ShapeError} when the point dimensions differ or inputs are not 1-D/2-D.
 * @throws {ValueError} for a non-positive sigma.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { csDivergence } from '@difflab/losses';
 * const x = tensor([[0, 0], [1, 0], [0, 1]]);
 * const y = x.add(0.5);
 * csDivergence(x, y).item(); // 0.4019
 * csDivergence(x, x).item(); // 0
 * ```
 */
export function csDivergence(x: Tensor, y: Tensor, opts: CsDivergenceOptions = {}): Tensor {
  const op = 'csDivergence';
  const [a, b] = asPointPair(op, x, y);
  const sigma = opts.sigma ?? 1;
  checkPositiveNumber(op, 'sigma', sigma);
  const xx = logMeanKernel(sqDistances(a, a), sigma);
  const yy = logMeanKernel(sqDistances(b, b), sigma);
  const xy = logMeanKernel(sqDistances(a, b), sigma);
  return sub(add(xx, yy), mul(xy, 2));
}
