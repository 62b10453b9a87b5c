import { ShapeError, ValueError, fmtShape, type Tensor } from '@difflab/tensor';
import { requireFloat } from '../core/validate.js';

/**
 * Area under the ROC curve for binary labels (0/1 or bool) and real scores, by the Mann-Whitney
 * statistic with average ranks for ties (equal to scikit-learn's `roc_auc_score`, which integrates
 * the ROC curve with trapezoids). Throws when only one class is present.
 *
 * @param scores - Real scores `[N]` (higher means positive).
 * @param labels - Binary labels `[N]` (0/1 or bool).
 * @returns The AUROC as a number in [0, 1].
 * @throws {ShapeError} unless both are 1-D of the same length.
 * @throws {ValueError} when only one class is present, labels are not 0/1, or scores contain NaN.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { auroc } from '@difflab/losses';
 * auroc(tensor([0.1, 0.4, 0.35, 0.8]), tensor([0, 0, 1, 1])); // 0.75
 * ```
 */
export function auroc(scores: Tensor, labels: Tensor): number {
  const op = 'auroc';
  requireFloat(op, 'scores', scores);
  if (scores.ndim !== 1 || labels.ndim !== 1 || scores.shape[0] !== labels.shape[0])
    throw new ShapeError(
      `${op}: scores and labels must be 1-D of the same length, got ${fmtShape(scores.shape)} and ${fmtShape(labels.shape)}`,
    );
  const s = scores.dataSync();
  const y = labels.dataSync();
  const n = s.length;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new ValueError(`${op}: labels must be 0 or 1, found ${y[i]}`);
    if (Number.isNaN(s[i]!)) throw new ValueError(`${op}: scores contain NaN`);
    pos += y[i]!;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0)
    throw new ValueError(`${op}: needs both classes, got ${pos} positives and ${neg} negatives`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[a]! - s[b]!);
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && s[order[j + 1]!] === s[order[i]!]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[order[k]!] === 1) rankSum += avg;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
