import { ValueError, logsumexp, mean, mul, softplus, sqrt, square, sub, type Tensor } from '@difflab/tensor';
import { batchShapeOf, classAxisLast, classRows, pick } from '../core/classes.js';
import type { ReductionOptions } from '../core/reduction.js';
import { finishRows } from '../core/rows.js';
import { checkFiniteNumber, checkPositiveNumber, requireFloat } from '../core/validate.js';

/**
 * Options of {@link zLoss}.
 *
 * @example
 * ```ts
 * import type { ZLossOptions } from '@difflab/losses';
 * const o: ZLossOptions = { a: 2, b: 1.5 };
 * ```
 */
export interface ZLossOptions extends ReductionOptions {
  /** Slope a > 0 of the softplus. Default 1 (the paper tunes a and b per task). */
  a?: number;
  /** Offset b: the standardised target score beyond which the loss flattens. Default 1. */
  b?: number;
  /** Added to the variance so constant logits give z = 0 instead of 0/0. Default 1e-12. */
  eps?: number;
}

/**
 * The spherical Z-loss (de Brébisson & Vincent, "The Z-loss: a shift and scale invariant
 * classification loss belonging to the Spherical Family", 2016): z = (o - mean(o)) / std(o) over the
 * classes (population std), L = (1/a) softplus(a (b - z_y)). Invariant to shifting and scaling the
 * logits. Not to be confused with {@link logZLoss}.
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link ZLossOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for a non-positive a, fewer than 2 classes or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { zLoss } from '@difflab/losses';
 * const y = tensor([0], { dtype: 'int32' });
 * zLoss(tensor([[2, 0, 1]]), y).item(); // 0.5871
 * zLoss(tensor([[20, 0, 10]]), y).item(); // same value: shift and scale invariant
 * ```
 */
export function zLoss(logits: Tensor, labels: Tensor, opts: ZLossOptions = {}): Tensor {
  const op = 'zLoss';
  const a = opts.a ?? 1;
  const b = opts.b ?? 1;
  checkPositiveNumber(op, 'a', a);
  checkFiniteNumber(op, 'b', b);
  const eps = opts.eps ?? 1e-12;
  const { rows, labels: y, batchShape, classes } = classRows(op, logits, labels);
  if (classes < 2) throw new ValueError(`${op}: needs at least 2 classes, got ${classes}`);
  const centred = sub(rows, mean(rows, 1, true));
  const std = sqrt(mean(square(centred), 1, true).add(eps));
  const zy = pick(centred.div(std), y);
  return finishRows(op, mul(softplus(mul(sub(b, zy), a)), 1 / a), batchShape, opts.reduction);
}

/**
 * Options of {@link logZLoss}.
 *
 * @example
 * ```ts
 * import type { LogZLossOptions } from '@difflab/losses';
 * const o: LogZLossOptions = { coef: 1e-4, reduction: 'mean' };
 * ```
 */
export interface LogZLossOptions extends ReductionOptions {
  /** Coefficient of log²Z. Default 1e-4 (PaLM). */
  coef?: number;
}

/**
 * The auxiliary "z-loss" of PaLM (Chowdhery et al. 2022, Section 5): coef · (log Σ_k e^{o_k})², which
 * keeps the softmax normaliser near 1 for stable training. Logits have classes on axis 1 (or are
 * [C]); add it to the main loss.
 *
 * @param logits - Logits `[N, C, ...]` (or `[C]`).
 * @param opts - See {@link LogZLossOptions}.
 * @returns The reduced penalty.
 * @throws {ValueError} for a negative coef.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { logZLoss } from '@difflab/losses';
 * logZLoss(tensor([[0, 0]]), { coef: 1 }).item(); // 0.4805
 * ```
 */
export function logZLoss(logits: Tensor, opts: LogZLossOptions = {}): Tensor {
  const op = 'logZLoss';
  requireFloat(op, 'logits', logits);
  if (logits.ndim === 0) throw new ValueError(`${op}: logits need a class dimension, got a scalar`);
  const coef = opts.coef ?? 1e-4;
  checkPositiveNumber(op, 'coef', coef, true);
  const lz = logsumexp(classAxisLast(logits), 1);
  return finishRows(op, mul(square(lz), coef), batchShapeOf(logits), opts.reduction);
}
