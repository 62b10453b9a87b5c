import { ShapeError, ValueError, argmax, fmtShape, topk, type Tensor } from '@difflab/tensor';
import { checkIndexTargets } from '../core/classes.js';
import { checkLabelRange, requireFloat } from '../core/validate.js';

function hostLabels(op: string, scores: Tensor, labels: Tensor): ArrayLike<number> {
  requireFloat(op, 'scores', scores);
  if (scores.ndim !== 2) throw new ShapeError(`${op}: scores must be [N, C], got ${fmtShape(scores.shape)}`);
  checkIndexTargets(op, scores, labels);
  checkLabelRange(op, labels, scores.shape[1]!);
  return labels.dataSync();
}

/**
 * Fraction of rows of `scores` [N, C] (logits or probabilities) whose argmax equals the int32 label.
 *
 * @param scores - Scores `[N, C]`.
 * @param labels - int32 labels `[N]`.
 * @returns The accuracy as a number in [0, 1].
 * @throws {ShapeError} when the shapes do not fit.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { accuracy } from '@difflab/losses';
 * const probs = tensor([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]]);
 * const labels = tensor([0, 1, 1], { dtype: 'int32' });
 * accuracy(probs, labels); // 0.6667
 * ```
 */
export function accuracy(scores: Tensor, labels: Tensor): number {
  const y = hostLabels('accuracy', scores, labels);
  if (y.length === 0) throw new ValueError('accuracy: empty batch');
  const pred = argmax(scores, 1).dataSync();
  let hits = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) hits++;
  return hits / y.length;
}

/**
 * Fraction of rows whose label is among the k highest scores (ties broken towards the lower class
 * index, as a stable sort does).
 *
 * @param scores - Scores `[N, C]`.
 * @param labels - int32 labels `[N]`.
 * @param k - How many top classes count (1 <= k <= C).
 * @returns The top-k accuracy as a number in [0, 1].
 * @throws {ShapeError} when the shapes do not fit.
 * @throws {ValueError} for k outside [1, C].
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { topKAccuracy } from '@difflab/losses';
 * const scores = tensor([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]]);
 * topKAccuracy(scores, tensor([1, 0], { dtype: 'int32' }), 2); // 0.5
 * ```
 */
export function topKAccuracy(scores: Tensor, labels: Tensor, k: number): number {
  const op = 'topKAccuracy';
  const y = hostLabels(op, scores, labels);
  if (!Number.isInteger(k) || k < 1 || k > scores.shape[1]!)
    throw new ValueError(`${op}: k must be an integer in [1, ${scores.shape[1]}], got ${k}`);
  if (y.length === 0) throw new ValueError(`${op}: empty batch`);
  const idx = topk(scores, k, 1).indices.dataSync();
  let hits = 0;
  for (let i = 0; i < y.length; i++)
    for (let j = 0; j < k; j++)
      if (idx[i * k + j] === y[i]) {
        hits++;
        break;
      }
  return hits / y.length;
}
