import { ValueError, mul, neg, square, sum, where, type Tensor } from '@difflab/tensor';
import { labelMask } from '../core/classes.js';
import type { ReductionOptions } from '../core/reduction.js';
import { finishRows, logProbRows } from '../core/rows.js';

/**
 * Squentropy (Hui, Belkin & Wright, "Cut your Losses with Squentropy", ICML 2023):
 * -log softmax(z)_y + (1 / (C - 1)) Σ_{k≠y} z_k², cross-entropy plus the mean squared non-target
 * logit.
 *
 * @param logits - Scores `[N, C]` (or `[C]`), C >= 2.
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - The {@link Reduction}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for fewer than 2 classes or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { squentropy } from '@difflab/losses';
 * squentropy(tensor([[2, 0, 1]]), tensor([0], { dtype: 'int32' })).item(); // 0.9076
 * ```
 */
export function squentropy(logits: Tensor, labels: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'squentropy';
  const { rows, logpy, labels: y, classes, batchShape } = logProbRows(op, logits, labels);
  if (classes < 2) throw new ValueError(`${op}: needs at least 2 classes, got ${classes}`);
  const sq = sum(where(labelMask(y, classes), 0, square(rows)), 1);
  return finishRows(op, neg(logpy).add(mul(sq, 1 / (classes - 1))), batchShape, opts.reduction);
}
