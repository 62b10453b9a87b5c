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

export interface DualFocalOptions extends ReductionOptions {
  /** Default 2. */
  gamma?: number;
}

/**
 * Dual focal loss (Tao, Dong & Xu, "Dual Focal Loss for Calibration", ICML 2023):
 * -(1 - p_y + p_j)^γ log p_y with p_j = max_{k≠y} p_k, the largest non-target probability.
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

export interface SigmoidFocalOptions extends ReductionOptions {
  /** Default 2. */
  gamma?: number;
  /** Weight of positives (1 - alpha for negatives); a negative value disables it. Default 0.25. */
  alpha?: number;
}

/**
 * Binary / multi-label focal loss on logits (Lin et al. 2017, eq. 5 with α_t; the form torchvision
 * ships as `sigmoid_focal_loss`): α_t (1 - p_t)^γ BCE(x, t), p_t = p t + (1 - p)(1 - t).
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
