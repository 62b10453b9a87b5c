import { abs, erf, exp, log, mul, square, sub, type Tensor as T } from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkNonNegative, requireFloat, requireSameShape } from '../core/validate.js';

/**
 * Options of {@link laplaceNll}.
 *
 * @example
 * ```ts
 * import type { FullOptions } from '@difflab/losses';
 * const o: FullOptions = { full: false, reduction: 'sum' };
 * ```
 */
export interface FullOptions extends ReductionOptions {
  /** Include the constant term (log 2 for Laplace). Default true. */
  full?: boolean;
}

function checkTriple(op: string, input: T, target: T, scale: T, scaleName: string): void {
  requireFloat(op, 'input', input);
  requireFloat(op, 'target', target);
  requireFloat(op, scaleName, scale);
  requireSameShape(op, ['input', 'target'], input, target);
  requireSameShape(op, ['input', scaleName], input, scale);
  checkNonNegative(op, scaleName, scale);
}

/**
 * Laplace negative log-likelihood log(2b) + |target - input| / b with scale b > 0.
 *
 * @param input - Predicted locations.
 * @param target - Observations, same shape.
 * @param scale - Predicted scales b > 0, same shape.
 * @param opts - See {@link FullOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes do not fit.
 * @throws {ValueError} for negative scales.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { laplaceNll } from '@difflab/losses';
 * laplaceNll(tensor([0, 1]), tensor([1, 1]), tensor([1, 0.5])).item(); // 0.8466
 * ```
 */
export function laplaceNll(input: T, target: T, scale: T, opts: FullOptions = {}): T {
  const op = 'laplaceNll';
  checkTriple(op, input, target, scale, 'scale');
  let loss = log(scale).add(abs(sub(target, input)).div(scale));
  if (opts.full ?? true) loss = loss.add(Math.LN2);
  return reduce(op, loss, opts.reduction);
}

/**
 * Closed-form CRPS of a Gaussian forecast N(μ, σ²) at the observation y (Gneiting et al. 2005,
 * eq. 5): σ [z (2Φ(z) - 1) + 2φ(z) - 1/√π], z = (y - μ)/σ. A proper scoring rule in the units of y.
 *
 * Lower is better; it is in the units of y, so scores of different targets compare directly.
 *
 * @param input - Predicted means μ.
 * @param target - Observations y, same shape.
 * @param std - Predicted standard deviations σ > 0, same shape.
 * @param opts - The {@link Reduction}.
 * @returns The reduced score.
 * @throws {ShapeError} when the shapes do not fit.
 * @throws {ValueError} for negative standard deviations.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { gaussianCrps } from '@difflab/losses';
 * gaussianCrps(tensor([0]), tensor([0]), tensor([1])).item(); // 0.2337
 * ```
 */
export function gaussianCrps(input: T, target: T, std: T, opts: ReductionOptions = {}): T {
  const op = 'gaussianCrps';
  checkTriple(op, input, target, std, 'std');
  const z = sub(target, input).div(std);
  const cdfTerm = mul(z, erf(mul(z, Math.SQRT1_2)));
  const pdf = mul(exp(mul(square(z), -0.5)), 1 / Math.sqrt(2 * Math.PI));
  const loss = mul(std, cdfTerm.add(mul(pdf, 2)).sub(1 / Math.sqrt(Math.PI)));
  return reduce(op, loss, opts.reduction);
}
