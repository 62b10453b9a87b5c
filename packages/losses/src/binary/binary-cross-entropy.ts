import { customGrad, log, maximum, mul, neg, softplus, sub, type Tensor } from '@difflab/tensor';
import { requireBroadcastsTo } from '../core/broadcast.js';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkNonNegative, checkRange, requireFloat, requireSameShape } from '../core/validate.js';

/**
 * Options of {@link bce}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { BceOptions } from '@difflab/losses';
 * const o: BceOptions = { weight: tensor([1, 0.5]), reduction: 'sum' };
 * ```
 */
export interface BceOptions extends ReductionOptions {
  /** Element weights broadcast to the input's shape. */
  weight?: Tensor;
}

/**
 * Options of {@link bceWithLogits}: those of {@link BceOptions} plus `posWeight`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { BceWithLogitsOptions } from '@difflab/losses';
 * const o: BceWithLogitsOptions = { posWeight: tensor([3]) }; // positives are 3x rarer
 * ```
 */
export interface BceWithLogitsOptions extends BceOptions {
  /** Weight of the positive term, broadcast along the last (class) axis: PyTorch's `pos_weight`. */
  posWeight?: Tensor;
}

/** log(x) clamped below at -100, PyTorch's guard that keeps bce finite at x = 0 or 1. */
const clampedLog = (x: Tensor): Tensor => maximum(log(x), -100);

/** PyTorch's EPSILON is a C++ float, so 1e-12 rounded to float32. */
const BCE_EPS = Math.fround(1e-12);

/**
 * PyTorch's gradient of the clamped BCE: w (x - t) / max(x (1 - x), 1e-12) for the input, and the
 * difference of the clamped logs for the target. Written in differentiable ops so it nests.
 */
const bceElementwise = customGrad(
  (x: Tensor, t: Tensor) => neg(mul(t, clampedLog(x)).add(mul(sub(1, t), clampedLog(sub(1, x))))),
  (g: Tensor, _out: Tensor, x: Tensor, t: Tensor) => [
    mul(g, sub(x, t).div(maximum(mul(x, sub(1, x)), BCE_EPS))),
    mul(g, sub(clampedLog(sub(1, x)), clampedLog(x))),
  ],
);

/**
 * Binary cross-entropy on probabilities in [0, 1] (PyTorch's `binary_cross_entropy`):
 * `-w [t log x + (1 - t) log(1 - x)]`, with each log clamped at -100 as PyTorch does, and PyTorch's
 * gradient `w (x - t) / max(x (1 - x), 1e-12)` (finite even at x = 0 or 1). Prefer
 * {@link bceWithLogits} when you have logits.
 *
 * @param input - Probabilities in [0, 1].
 * @param target - Targets in [0, 1], same shape.
 * @param opts - See {@link BceOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ or `weight` does not broadcast.
 * @throws {ValueError} for inputs outside [0, 1] or a negative weight.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { bce } from '@difflab/losses';
 * bce(tensor([0.9, 0.2]), tensor([1, 0])).item(); // 0.1643
 * ```
 */
export function bce(input: Tensor, target: Tensor, opts: BceOptions = {}): Tensor {
  const op = 'bce';
  requireFloat(op, 'input', input);
  requireFloat(op, 'target', target);
  requireSameShape(op, ['input', 'target'], input, target);
  checkRange(op, 'input', input, 0, 1);
  let loss = bceElementwise(input, target.astype(input.dtype));
  if (opts.weight) {
    requireBroadcastsTo(op, 'weight', opts.weight, input.shape);
    checkNonNegative(op, 'weight', opts.weight);
    loss = mul(loss, opts.weight);
  }
  return reduce(op, loss, opts.reduction);
}

/**
 * Binary cross-entropy on logits (PyTorch's `binary_cross_entropy_with_logits`):
 * `w [(1 - t) x + (1 + (pw - 1) t) softplus(-x)]`, the log-sum-exp form that stays finite for
 * logits of any size.
 *
 * @param input - Logits.
 * @param target - Targets in [0, 1], same shape.
 * @param opts - See {@link BceWithLogitsOptions}; `posWeight` broadcasts along the last axis.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ or a weight does not broadcast.
 * @throws {ValueError} for a negative weight or posWeight.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { bceWithLogits } from '@difflab/losses';
 * bceWithLogits(tensor([2, -1]), tensor([1, 0])).item(); // 0.2201
 * bceWithLogits(tensor([1000]), tensor([0])).item(); // 1000: no overflow
 * ```
 */
export function bceWithLogits(input: Tensor, target: Tensor, opts: BceWithLogitsOptions = {}): Tensor {
  const op = 'bceWithLogits';
  requireFloat(op, 'input', input);
  requireFloat(op, 'target', target);
  requireSameShape(op, ['input', 'target'], input, target);
  const t = target.astype(input.dtype);
  let coef: Tensor | number = 1;
  if (opts.posWeight) {
    requireBroadcastsTo(op, 'posWeight', opts.posWeight, input.shape);
    checkNonNegative(op, 'posWeight', opts.posWeight);
    coef = mul(sub(opts.posWeight, 1), t).add(1);
  }
  let loss = mul(sub(1, t), input).add(mul(coef, softplus(neg(input))));
  if (opts.weight) {
    requireBroadcastsTo(op, 'weight', opts.weight, input.shape);
    checkNonNegative(op, 'weight', opts.weight);
    loss = mul(loss, opts.weight);
  }
  return reduce(op, loss, opts.reduction);
}

/**
 * Two-class logistic loss for targets in {-1, 1} (PyTorch's `soft_margin_loss`):
 * `log(1 + exp(-y x))`, averaged over all elements by default.
 *
 * @param input - Scores.
 * @param target - ±1 targets, same shape.
 * @param opts - The {@link Reduction}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { softMargin } from '@difflab/losses';
 * softMargin(tensor([0, 2]), tensor([1, -1])).item(); // 1.41
 * ```
 */
export function softMargin(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'softMargin';
  requireFloat(op, 'input', input);
  requireSameShape(op, ['input', 'target'], input, target);
  return reduce(op, softplus(neg(mul(input, target.astype(input.dtype)))), opts.reduction);
}
