import { ValueError, add, exp, mean, mul, stack, sub, sum, type Tensor } from '@difflab/tensor';
import { checkPositiveNumber } from '../core/validate.js';
import { asPointPair, sqDistances } from './pairwise.js';

/**
 * Options of {@link mmd}.
 *
 * @example
 * ```ts
 * import type { MmdOptions } from '@difflab/losses';
 * const o: MmdOptions = { bandwidths: [0.1, 1, 10], estimator: 'unbiased' };
 * ```
 */
export interface MmdOptions {
  /**
   * RBF bandwidths σ; the kernel is Σ_σ exp(-‖a - b‖² / (2σ²)) (a multi-bandwidth mixture, as in
   * Li et al. 2015 and Gretton et al. 2012, Section 7). Default [0.5, 1, 2, 4, 8]: scale your data or
   * pass bandwidths near the typical pairwise distance.
   */
  bandwidths?: readonly number[];
  /** 'biased' V-statistic (default; >= 0, differentiable everywhere) or 'unbiased' U-statistic. */
  estimator?: 'biased' | 'unbiased';
}

/**
 * Σ_σ exp(-D / (2σ²)) for a matrix D of squared distances.
 *
 * @param sqDist - Squared distances (any shape).
 * @param bandwidths - The σ values of the mixture.
 * @returns The kernel values, same shape.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { rbfKernel } from '@difflab/losses';
 * rbfKernel(tensor([0, 2]), [1]).toArray(); // [1, 0.3679]
 * ```
 */
export function rbfKernel(sqDist: Tensor, bandwidths: readonly number[]): Tensor {
  const parts = bandwidths.map((s) => exp(mul(sqDist, -1 / (2 * s * s))));
  return parts.length === 1 ? parts[0]! : sum(stack(parts, 0), 0);
}

/** Mean of the off-diagonal entries of a self-kernel matrix, whose diagonal is exactly `diag`. */
function offDiagonalMean(k: Tensor, diag: number): Tensor {
  const n = k.shape[0]!;
  return sub(sum(k), n * diag).div(n * (n - 1));
}

/**
 * Squared maximum mean discrepancy MMD² (Gretton et al., "A Kernel Two-Sample Test", JMLR 2012,
 * eqs. 3 (unbiased) and 5 (biased)) between samples x [n, d] and y [m, d] with an RBF mixture kernel:
 * E k(x, x') + E k(y, y') - 2 E k(x, y).
 *
 * @param x - Samples `[n, d]` (or `[n]` for d = 1) from the first distribution.
 * @param y - Samples `[m, d]` from the second distribution.
 * @param opts - See {@link MmdOptions}.
 * @returns A scalar Tensor, differentiable in the samples.
 * @throws {ShapeError} when the point dimensions differ or inputs are not 1-D/2-D.
 * @throws {ValueError} for empty or non-positive bandwidths, an unknown estimator, or fewer than 2 samples for the unbiased one.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { mmd } from '@difflab/losses';
 * const x = tensor([[0, 0], [1, 0], [0, 1]]);
 * const y = x.add(0.5);
 * mmd(x, y, { bandwidths: [1] }).item(); // 0.2493
 * mmd(x, x).item(); // 0
 * ```
 */
export function mmd(x: Tensor, y: Tensor, opts: MmdOptions = {}): Tensor {
  const op = 'mmd';
  const [a, b] = asPointPair(op, x, y);
  const bw = opts.bandwidths ?? [0.5, 1, 2, 4, 8];
  if (bw.length === 0) throw new ValueError(`${op}: bandwidths must not be empty`);
  bw.forEach((s, i) => checkPositiveNumber(op, `bandwidths[${i}]`, s));
  const kxx = rbfKernel(sqDistances(a, a), bw);
  const kyy = rbfKernel(sqDistances(b, b), bw);
  const kxy = rbfKernel(sqDistances(a, b), bw);
  const estimator = opts.estimator ?? 'biased';
  if (estimator === 'biased') return sub(add(mean(kxx), mean(kyy)), mul(mean(kxy), 2));
  if (estimator !== 'unbiased')
    throw new ValueError(`${op}: estimator must be 'biased' or 'unbiased', got '${String(estimator)}'`);
  if (a.shape[0]! < 2 || b.shape[0]! < 2)
    throw new ValueError(`${op}: the unbiased estimator needs at least 2 samples on each side`);
  return sub(add(offDiagonalMean(kxx, bw.length), offDiagonalMean(kyy, bw.length)), mul(mean(kxy), 2));
}
