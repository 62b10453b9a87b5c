import {
  ShapeError,
  fmtShape,
  logSoftmax,
  logicalAnd,
  logicalNot,
  neg,
  reshape,
  sum,
  tile,
  where,
  type Tensor,
} from '@difflab/tensor';
import { divideOrNaN, reduce, type ReductionOptions } from '../core/reduction.js';
import { checkPositiveNumber, requireFloat } from '../core/validate.js';
import { eyeMask, l2normalize, requireEmbeddingLabels, sameLabel, similarity } from './common.js';

/**
 * Options of {@link supCon}.
 *
 * @example
 * ```ts
 * import type { SupConOptions } from '@difflab/losses';
 * const o: SupConOptions = { temperature: 0.07 };
 * ```
 */
export interface SupConOptions extends ReductionOptions {
  /** Temperature τ. Default 0.1. */
  temperature?: number;
}

/**
 * Supervised contrastive loss L_out (Khosla et al., "Supervised Contrastive Learning", NeurIPS 2020,
 * eq. 2). `features` are [N, D] or [N, V, D] (V views per sample), L2-normalised here; every view is
 * an anchor, its positives P(i) are the other views with the same label and A(i) all other views:
 * L_i = -(1/|P(i)|) Σ_{p∈P(i)} log(exp(z_i·z_p/τ) / Σ_{a∈A(i)} exp(z_i·z_a/τ)).
 * Anchors without positives contribute nothing and are left out of the mean ('none' gives NaN for
 * them), where the reference implementation would divide by zero; with no anchor at all the mean
 * is NaN.
 *
 * @param features - Features `[N, D]` or `[N, V, D]`.
 * @param labels - int32 labels `[N]`.
 * @param opts - See {@link SupConOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match or features are not 2-D/3-D.
 * @throws {ValueError} for a non-positive temperature.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { supCon } from '@difflab/losses';
 * const emb = tensor([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]);
 * const labels = tensor([0, 0, 1, 1], { dtype: 'int32' });
 * supCon(emb, labels).item(); // 0.0003864
 * ```
 */
export function supCon(features: Tensor, labels: Tensor, opts: SupConOptions = {}): Tensor {
  const op = 'supCon';
  requireFloat(op, 'features', features);
  if (features.ndim !== 2 && features.ndim !== 3)
    throw new ShapeError(`${op}: features must be [N, D] or [N, V, D], got ${fmtShape(features.shape)}`);
  const n = features.shape[0]!;
  const views = features.ndim === 3 ? features.shape[1]! : 1;
  const flat = features.ndim === 3 ? reshape(features, [n * views, -1]) : features;
  requireEmbeddingLabels(op, features.ndim === 3 ? reshape(features, [n, -1]) : features, labels);
  const tau = opts.temperature ?? 0.1;
  checkPositiveNumber(op, 'temperature', tau);
  const allLabels = views === 1 ? labels : reshape(tile(reshape(labels, [-1, 1]), [1, views]), [-1]);
  const z = l2normalize(flat);
  const self = eyeMask(n * views, z.device);
  const logits = where(self, -Infinity, similarity(z, z).div(tau));
  const logProb = logSoftmax(logits, 1);
  const pos = logicalAnd(sameLabel(allLabels), logicalNot(self));
  const count = sum(pos.astype(z.dtype), 1);
  const perAnchor = divideOrNaN(neg(sum(where(pos, logProb, 0), 1)), count);
  const reduction = opts.reduction ?? 'mean';
  if (reduction === 'none') return reduce(op, perAnchor, 'none');
  const has = count.greater(0);
  const total = sum(where(has, perAnchor, 0));
  if (reduction === 'sum') return total;
  // No anchor with a positive (every label once, one view): the mean of nothing is NaN.
  return divideOrNaN(total, sum(has.astype(z.dtype)));
}
