import {
  ValueError,
  logSoftmax,
  max,
  neg,
  oneHot,
  softplus,
  stopGradient,
  sub,
  sum,
  topk,
  where,
  type Tensor,
} from '@difflab/tensor';
import { classRows, labelMask, pick } from '../core/classes.js';
import type { ReductionOptions } from '../core/reduction.js';
import { finishRows } from '../core/rows.js';

/**
 * One-vs-rest loss: an independent logistic loss per class,
 * softplus(-z_y) + Σ_{k≠y} softplus(z_k) (as used by Kanai et al., "One-vs-the-Rest Loss to Focus on
 * Important Samples in Adversarial Training", ICML 2023).
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - The {@link Reduction}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ovr } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * ovr(logits, labels).item(); // 2.557
 * ```
 */
export function ovr(logits: Tensor, labels: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'ovr';
  const { rows, labels: y, classes, batchShape } = classRows(op, logits, labels);
  const perRow = sum(softplus(where(labelMask(y, classes), neg(rows), rows)), 1);
  return finishRows(op, perRow, batchShape, opts.reduction);
}

/**
 * Options of {@link sovr}.
 *
 * @example
 * ```ts
 * import type { SovrOptions } from '@difflab/losses';
 * const o: SovrOptions = { switchFraction: 0.25 };
 * ```
 */
export interface SovrOptions extends ReductionOptions {
  /**
   * Fraction M of the batch, those with the smallest logit margin z_y - max_{k≠y} z_k, that get the
   * one-vs-rest loss; the rest get cross-entropy. Default 0.5 (tune it: the paper treats M as a
   * hyper-parameter).
   */
  switchFraction?: number;
}

/**
 * Switching one-vs-rest loss, SOVR (Kanai et al., ICML 2023): OVR for the ⌈M·B⌉ samples with the
 * smallest margins (the important, near-boundary ones; pass the logits of adversarial examples as in
 * the paper) and CE for the others, averaged over the batch. Margins only select; they carry no
 * gradient.
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link SovrOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sovr } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * sovr(logits, labels, { switchFraction: 0.5 }).item(); // 1.694
 * ```
 */
export function sovr(logits: Tensor, labels: Tensor, opts: SovrOptions = {}): Tensor {
  const op = 'sovr';
  const frac = opts.switchFraction ?? 0.5;
  if (!(frac >= 0 && frac <= 1)) throw new ValueError(`${op}: switchFraction must be in [0, 1], got ${frac}`);
  const { rows, labels: y, classes, batchShape } = classRows(op, logits, labels);
  const mask = labelMask(y, classes);
  const zy = pick(rows, y);
  const margin = sub(zy, max(where(mask, -Infinity, rows), 1));
  const n = margin.shape[0]!;
  const k = Math.ceil(frac * n);
  // Ranked with tensor ops (topk + oneHot) so the selection runs on the logits' device.
  const chosen =
    k === 0
      ? margin.less(-Infinity)
      : sum(oneHot(topk(neg(stopGradient(margin)), k).indices, n, 'int32'), 0).greater(0);
  const ovrRow = sum(softplus(where(mask, neg(rows), rows)), 1);
  const ceRow = neg(pick(logSoftmax(rows, 1), y));
  return finishRows(op, where(chosen, ovrRow, ceRow), batchShape, opts.reduction);
}
