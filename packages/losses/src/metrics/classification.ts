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

/** Fraction of rows of `scores` [N, C] (logits or probabilities) whose argmax equals the int32 label. */
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
