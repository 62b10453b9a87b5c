import {
  ShapeError,
  ValueError,
  exp,
  fmtShape,
  gather,
  max,
  mul,
  neg,
  sigmoid,
  softplus,
  sub,
  where,
  type Tensor,
} from '@difflab/tensor';
import { labelMask } from '../core/classes.js';
import { focalTerm, oneMinusExp, safePow } from '../core/focal-term.js';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { finishRows, logProbRows } from '../core/rows.js';
import { checkNonNegative, checkPositiveNumber, checkRange, requireFloat, requireSameShape } from '../core/validate.js';

/**
 * Options of {@link focal}.
 *
 * @example
 * ```ts
 * import type { FocalOptions } from '@difflab/losses';
 * const o: FocalOptions = { gamma: 2, alpha: 0.25 };
 * ```
 */
export interface FocalOptions extends ReductionOptions {
  /** Focusing parameter γ >= 0. Default 2 (γ = 0 gives cross-entropy). */
  gamma?: number;
  /** Class balance α_t: a number (same for every class) or per-class weights [C]. Default none. */
  alpha?: number | Tensor;
}

function alphaFor(
  op: string,
  alpha: number | Tensor | undefined,
  labels: Tensor,
  classes: number,
  dtype: Tensor['dtype'],
): Tensor | number | null {
  if (alpha === undefined) return null;
  if (typeof alpha === 'number') {
    checkPositiveNumber(op, 'alpha', alpha, true);
    return alpha;
  }
  if (alpha.ndim !== 1 || alpha.shape[0] !== classes)
    throw new ShapeError(`${op}: alpha must be a number or have shape [${classes}], got ${fmtShape(alpha.shape)}`);
  checkNonNegative(op, 'alpha', alpha);
  return gather(alpha.astype(dtype), labels);
}

/**
 * Multi-class focal loss (Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017, eq. 5):
 * -α_t (1 - p_t)^γ log p_t on softmax probabilities.
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link FocalOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { focal } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * focal(logits, labels, { gamma: 2 }).item(); // 0.5791
 * ```
 */
export function focal(logits: Tensor, labels: Tensor, opts: FocalOptions = {}): Tensor {
  const op = 'focal';
  const gamma = opts.gamma ?? 2;
  checkPositiveNumber(op, 'gamma', gamma, true);
  const { logpy, labels: y, classes, batchShape } = logProbRows(op, logits, labels);
  let perRow = focalTerm(logpy, gamma);
  const a = alphaFor(op, opts.alpha, y, classes, logits.dtype);
  if (a !== null) perRow = mul(perRow, a);
  return finishRows(op, perRow, batchShape, opts.reduction);
}

/**
 * Options of {@link dualFocal}.
 *
 * @example
 * ```ts
 * import type { DualFocalOptions } from '@difflab/losses';
 * const o: DualFocalOptions = { gamma: 5 };
 * ```
 */
export interface DualFocalOptions extends ReductionOptions {
  /** Focusing parameter γ >= 0. Default 2. */
  gamma?: number;
}

/**
 * Dual focal loss (Tao, Dong & Xu, "Dual Focal Loss for Calibration", ICML 2023):
 * -(1 - p_y + p_j)^γ log p_y with p_j = max_{k≠y} p_k, the largest non-target probability.
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link DualFocalOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for fewer than 2 classes, invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { dualFocal } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * dualFocal(logits, labels).item(); // 1.533
 * ```
 */
export function dualFocal(logits: Tensor, labels: Tensor, opts: DualFocalOptions = {}): Tensor {
  const op = 'dualFocal';
  const gamma = opts.gamma ?? 2;
  checkPositiveNumber(op, 'gamma', gamma, true);
  const { logp, logpy, labels: y, classes, batchShape } = logProbRows(op, logits, labels);
  if (classes < 2) throw new ValueError(`${op}: needs at least 2 classes, got ${classes}`);
  const pj = exp(max(where(labelMask(y, classes), -Infinity, logp), 1));
  const perRow = mul(safePow(oneMinusExp(logpy).add(pj), gamma), neg(logpy));
  return finishRows(op, perRow, batchShape, opts.reduction);
}

/**
 * Options of {@link sigmoidFocal}.
 *
 * @example
 * ```ts
 * import type { SigmoidFocalOptions } from '@difflab/losses';
 * const o: SigmoidFocalOptions = { gamma: 2, alpha: -1 }; // alpha < 0: no class balancing
 * ```
 */
export interface SigmoidFocalOptions extends ReductionOptions {
  /** Focusing parameter γ >= 0. Default 2. */
  gamma?: number;
  /** Weight of positives (1 - alpha for negatives); a negative value disables it. Default 0.25. */
  alpha?: number;
}

/**
 * Binary / multi-label focal loss on logits (Lin et al. 2017, eq. 5 with α_t; the form torchvision
 * ships as `sigmoid_focal_loss`): α_t (1 - p_t)^γ BCE(x, t), p_t = p t + (1 - p)(1 - t).
 *
 * @param logits - Logits of any shape.
 * @param targets - Targets in [0, 1] of the same shape.
 * @param opts - See {@link SigmoidFocalOptions}.
 * @returns The reduced loss (torchvision's default reduction is `'none'`; here it is `'mean'`).
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for targets outside [0, 1] or a negative gamma.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sigmoidFocal } from '@difflab/losses';
 * sigmoidFocal(tensor([2, -1, 0.5]), tensor([1, 0, 0])).item(); // 0.1002
 * ```
 */
export function sigmoidFocal(logits: Tensor, targets: Tensor, opts: SigmoidFocalOptions = {}): Tensor {
  const op = 'sigmoidFocal';
  requireFloat(op, 'logits', logits);
  requireSameShape(op, ['logits', 'targets'], logits, targets);
  const gamma = opts.gamma ?? 2;
  checkPositiveNumber(op, 'gamma', gamma, true);
  const alpha = opts.alpha ?? 0.25;
  const t = targets.astype(logits.dtype);
  checkRange(op, 'targets', t, 0, 1);
  const ce = mul(sub(1, t), logits).add(softplus(neg(logits)));
  const p = sigmoid(logits);
  const pt = mul(p, t).add(mul(sub(1, p), sub(1, t)));
  let loss = mul(ce, safePow(sub(1, pt), gamma));
  if (alpha >= 0) loss = mul(loss, mul(t, alpha).add(mul(sub(1, t), 1 - alpha)));
  return reduce(op, loss, opts.reduction);
}
