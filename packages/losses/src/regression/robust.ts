import {
  ValueError,
  abs,
  equal,
  maximum,
  mul,
  neg,
  softplus,
  sqrt,
  square,
  sub,
  where,
  type Tensor,
} from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkPositiveNumber } from '../core/validate.js';
import { residual } from '../core/residual.js';

/**
 * Options of {@link pseudoHuber}.
 *
 * @example
 * ```ts
 * import type { PseudoHuberOptions } from '@difflab/losses';
 * const o: PseudoHuberOptions = { delta: 0.1 };
 * ```
 */
export interface PseudoHuberOptions extends ReductionOptions {
  /** Scale δ: quadratic for |r| << δ, slope δ for |r| >> δ. Default 1. */
  delta?: number;
}

/**
 * Pseudo-Huber loss δ² (sqrt(1 + (r/δ)²) - 1), a smooth Huber (Charbonnier 1994; Hartley & Zisserman).
 *
 * @param input - Predictions (float).
 * @param target - Targets of the same shape.
 * @param opts - See {@link PseudoHuberOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for a non-positive delta.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { pseudoHuber } from '@difflab/losses';
 * pseudoHuber(tensor([0.1, 10]), tensor([0, 0]), { reduction: 'none' }).toArray(); // [0.004988, 9.05]
 * ```
 */
export function pseudoHuber(input: Tensor, target: Tensor, opts: PseudoHuberOptions = {}): Tensor {
  const op = 'pseudoHuber';
  const delta = opts.delta ?? 1;
  checkPositiveNumber(op, 'delta', delta);
  const r = residual(op, input, target);
  return reduce(
    op,
    mul(
      sub(
        sqrt(
          square(r)
            .div(delta * delta)
            .add(1),
        ),
        1,
      ),
      delta * delta,
    ),
    opts.reduction,
  );
}

/**
 * log(cosh(r)), evaluated as |r| + softplus(-2|r|) - log 2 so large residuals do not overflow.
 *
 * @param input - Predictions (float).
 * @param target - Targets of the same shape.
 * @param opts - The {@link Reduction}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { logCosh } from '@difflab/losses';
 * logCosh(tensor([0.5, 100]), tensor([0, 0]), { reduction: 'none' }).toArray(); // [0.1201, 99.31]
 * ```
 */
export function logCosh(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'logCosh';
  const a = abs(residual(op, input, target));
  return reduce(op, a.add(softplus(mul(a, -2))).sub(Math.LN2), opts.reduction);
}

/**
 * Options of {@link quantile}.
 *
 * @example
 * ```ts
 * import type { QuantileOptions } from '@difflab/losses';
 * const o: QuantileOptions = { q: 0.9 };
 * ```
 */
export interface QuantileOptions extends ReductionOptions {
  /** Quantile level q in (0, 1). Default 0.5 (half the absolute error). */
  q?: number;
}

/**
 * Pinball / quantile loss (Koenker & Bassett 1978): max(q e, (q - 1) e) with e = target - input.
 *
 * @param input - Predictions (float).
 * @param target - Targets of the same shape.
 * @param opts - See {@link QuantileOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for q outside (0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { quantile } from '@difflab/losses';
 * // under-prediction costs q, over-prediction 1 - q
 * quantile(tensor([0, 2]), tensor([1, 1]), { q: 0.9, reduction: 'none' }).toArray(); // [0.9, 0.1]
 * ```
 */
export function quantile(input: Tensor, target: Tensor, opts: QuantileOptions = {}): Tensor {
  const op = 'quantile';
  const q = opts.q ?? 0.5;
  if (!(q > 0 && q < 1)) throw new ValueError(`${op}: q must be in (0, 1), got ${q}`);
  const e = neg(residual(op, input, target));
  return reduce(op, maximum(mul(e, q), mul(e, q - 1)), opts.reduction);
}

/**
 * Options of {@link mape}.
 *
 * @example
 * ```ts
 * import type { MapeOptions } from '@difflab/losses';
 * const o: MapeOptions = { eps: 1e-8 };
 * ```
 */
export interface MapeOptions extends ReductionOptions {
  /** Lower bound of |target| in the denominator. Default 2.220446049250313e-16 (scikit-learn's). */
  eps?: number;
}

/**
 * Mean absolute percentage error as a fraction (not %): |target - input| / max(|target|, eps), as
 * scikit-learn's `mean_absolute_percentage_error`.
 *
 * @param input - Predictions (float).
 * @param target - Targets of the same shape.
 * @param opts - See {@link MapeOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { mape } from '@difflab/losses';
 * mape(tensor([90, 220]), tensor([100, 200])).item(); // 0.1
 * ```
 */
export function mape(input: Tensor, target: Tensor, opts: MapeOptions = {}): Tensor {
  const op = 'mape';
  const eps = opts.eps ?? Number.EPSILON;
  checkPositiveNumber(op, 'eps', eps);
  const r = residual(op, input, target);
  return reduce(op, abs(r).div(maximum(abs(target), eps)), opts.reduction);
}

/**
 * Symmetric MAPE as a fraction in [0, 2]: 2 |target - input| / (|target| + |input|), with 0/0 := 0
 * (the M4 competition's definition without the 100 factor).
 *
 * @param input - Predictions (float).
 * @param target - Targets of the same shape.
 * @param opts - The {@link Reduction}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { smape } from '@difflab/losses';
 * smape(tensor([90, 0]), tensor([100, 0]), { reduction: 'none' }).toArray(); // [0.1053, 0]
 * ```
 */
export function smape(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'smape';
  const r = residual(op, input, target);
  const den = abs(input).add(abs(target));
  const zero = equal(den, 0);
  return reduce(op, where(zero, 0, mul(abs(r), 2).div(where(zero, 1, den))), opts.reduction);
}
