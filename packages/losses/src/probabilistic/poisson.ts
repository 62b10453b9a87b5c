import { exp, greater, log, mul, stopGradient, sub, where, type Tensor } from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkNonNegative, checkPositiveNumber, requireFloat, requireSameShape } from '../core/validate.js';

/**
 * Options of {@link poissonNll} (PyTorch's `log_input`, `full`, `eps`).
 *
 * @example
 * ```ts
 * import type { PoissonNllOptions } from '@difflab/losses';
 * const o: PoissonNllOptions = { logInput: false, full: true };
 * ```
 */
export interface PoissonNllOptions extends ReductionOptions {
  /** The input is the log-rate (default true); otherwise it is the rate itself. */
  logInput?: boolean;
  /** Adds the Stirling approximation of log(target!) for targets > 1. Default false. */
  full?: boolean;
  /** Added to the rate inside the log when `logInput` is false. Default 1e-8. */
  eps?: number;
}

/**
 * Poisson negative log-likelihood (PyTorch's `poisson_nll_loss`): `exp(x) - t x` for log-rates,
 * or `x - t log(x + eps)` for rates, plus the Stirling term `t log t - t + 0.5 log(2π t)` where
 * `t > 1` when `full`.
 *
 * @param input - Log-rates (default) or rates (`logInput: false`, then >= 0).
 * @param target - Non-negative counts, same shape.
 * @param opts - See {@link PoissonNllOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for negative targets or rates, or a negative eps.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { poissonNll } from '@difflab/losses';
 * poissonNll(tensor([0, 1]), tensor([1, 3])).item(); // 0.3591
 * ```
 */
export function poissonNll(input: Tensor, target: Tensor, opts: PoissonNllOptions = {}): Tensor {
  const op = 'poissonNll';
  requireFloat(op, 'input', input);
  requireSameShape(op, ['input', 'target'], input, target);
  const eps = opts.eps ?? 1e-8;
  checkPositiveNumber(op, 'eps', eps, true);
  const t = target.astype(input.dtype);
  checkNonNegative(op, 'target', t);
  const logInput = opts.logInput ?? true;
  if (!logInput) checkNonNegative(op, 'input (a rate when logInput is false)', input);
  let loss = logInput ? sub(exp(input), mul(t, input)) : sub(input, mul(t, log(input.add(eps))));
  if (opts.full) {
    // The Stirling term only depends on the target; the where keeps log(t <= 1) out of the graph.
    const big = greater(t, 1);
    const ts = where(big, t, 2);
    const stirling = mul(ts, log(ts))
      .sub(ts)
      .add(mul(log(mul(ts, 2 * Math.PI)), 0.5));
    loss = loss.add(stopGradient(where(big, stirling, 0)));
  }
  return reduce(op, loss, opts.reduction);
}
