import { ShapeError, ValueError, fmtShape, oneHot, square, sub, sum, type Tensor } from '@difflab/tensor';
import { checkIndexTargets } from '../core/classes.js';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkLabelRange, checkSimplex, requireFloat } from '../core/validate.js';

/**
 * One bin of a reliability diagram, as returned by {@link calibrationBins}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { calibrationBins, type CalibrationBin } from '@difflab/losses';
 * const bins: CalibrationBin[] = calibrationBins(tensor([[0.9, 0.1]]), tensor([0], { dtype: 'int32' }), { bins: 2 });
 * bins[1]!.count; // 1
 * ```
 */
export interface CalibrationBin {
  /** Bin edges (lower, upper]; the first bin also holds confidence 0. */
  lower: number;
  /** Upper bin edge (inclusive). */
  upper: number;
  /** Number of samples whose top-label confidence falls in the bin. */
  count: number;
  /** Mean top-label confidence and accuracy of the bin (NaN when empty). */
  confidence: number;
  /** Fraction of the bin's samples whose top label is correct (NaN when empty). */
  accuracy: number;
}

function checkProbs(op: string, probs: Tensor, labels: Tensor): void {
  requireFloat(op, 'probs', probs);
  if (probs.ndim !== 2) throw new ShapeError(`${op}: probs must be [N, C], got ${fmtShape(probs.shape)}`);
  checkIndexTargets(op, probs, labels);
  checkLabelRange(op, labels, probs.shape[1]!);
  checkSimplex(op, 'probs', probs, 1);
}

/**
 * Reliability-diagram bins of the top-label confidence (Guo et al., "On Calibration of Modern Neural
 * Networks", ICML 2017, Section 2): `bins` equal-width bins (lo, hi] over [0, 1].
 *
 * @param probs - Probabilities `[N, C]`.
 * @param labels - int32 labels `[N]`.
 * @param opts - `bins`: number of equal-width bins (default 15).
 * @returns One {@link CalibrationBin} per bin.
 * @throws {ShapeError} when the label shape does not match.
 * @throws {ValueError} for a non-positive number of bins.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { calibrationBins } from '@difflab/losses';
 * const probs = tensor([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]]);
 * const labels = tensor([0, 1, 1], { dtype: 'int32' });
 * calibrationBins(probs, labels, { bins: 2 }).map((b) => b.count); // [0, 3]
 * ```
 */
export function calibrationBins(probs: Tensor, labels: Tensor, opts: { bins?: number } = {}): CalibrationBin[] {
  const op = 'calibrationBins';
  checkProbs(op, probs, labels);
  const nb = opts.bins ?? 15;
  if (!Number.isInteger(nb) || nb < 1) throw new ValueError(`${op}: bins must be a positive integer, got ${nb}`);
  const [n, c] = probs.shape as [number, number];
  const p = probs.dataSync();
  const y = labels.dataSync();
  const count = new Float64Array(nb);
  const conf = new Float64Array(nb);
  const hit = new Float64Array(nb);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (p[i * c + k]! > p[i * c + best]!) best = k;
    const v = p[i * c + best]!;
    // Bin b covers (b/nb, (b+1)/nb]: the edges are compared, not ceil(v * nb), so that a confidence
    // equal to an edge lands where the reference (lo < v <= hi) puts it.
    let b = 0;
    while (b < nb - 1 && v > (b + 1) / nb) b++;
    count[b]!++;
    conf[b]! += v;
    if (best === y[i]) hit[b]!++;
  }
  return Array.from({ length: nb }, (_, b) => ({
    lower: b / nb,
    upper: (b + 1) / nb,
    count: count[b]!,
    confidence: count[b] ? conf[b]! / count[b]! : NaN,
    accuracy: count[b] ? hit[b]! / count[b]! : NaN,
  }));
}

/**
 * Expected calibration error Σ_b (|B_b| / N) |acc_b - conf_b| over {@link calibrationBins}.
 *
 * @param probs - Probabilities `[N, C]`.
 * @param labels - int32 labels `[N]`.
 * @param opts - `bins` (default 15).
 * @returns The ECE as a number in [0, 1] (not differentiable).
 * @throws {ShapeError} when the label shape does not match.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ece } from '@difflab/losses';
 * const probs = tensor([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]]);
 * const labels = tensor([0, 1, 1], { dtype: 'int32' });
 * ece(probs, labels, { bins: 5 }); // 0.1333
 * ```
 */
export function ece(probs: Tensor, labels: Tensor, opts: { bins?: number } = {}): number {
  const bins = calibrationBins(probs, labels, opts);
  const n = bins.reduce((a, b) => a + b.count, 0);
  if (n === 0) throw new ValueError('ece: empty batch');
  return bins.reduce((acc, b) => (b.count ? acc + (b.count / n) * Math.abs(b.accuracy - b.confidence) : acc), 0);
}

/**
 * Maximum calibration error max_b |acc_b - conf_b| over the non-empty bins.
 *
 * @param probs - Probabilities `[N, C]`.
 * @param labels - int32 labels `[N]`.
 * @param opts - `bins` (default 15).
 * @returns The MCE as a number in [0, 1] (not differentiable).
 * @throws {ShapeError} when the label shape does not match.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { mce } from '@difflab/losses';
 * const probs = tensor([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]]);
 * const labels = tensor([0, 1, 1], { dtype: 'int32' });
 * mce(probs, labels, { bins: 5 }); // 0.15
 * ```
 */
export function mce(probs: Tensor, labels: Tensor, opts: { bins?: number } = {}): number {
  const bins = calibrationBins(probs, labels, opts).filter((b) => b.count > 0);
  if (bins.length === 0) throw new ValueError('mce: empty batch');
  return Math.max(...bins.map((b) => Math.abs(b.accuracy - b.confidence)));
}

/**
 * Multi-class Brier score (Brier 1950): Σ_k (p_k - 1[k = y])² per sample, a differentiable proper
 * scoring rule. For two classes it is twice scikit-learn's binary `brier_score_loss`.
 *
 * @param probs - Probabilities `[N, C]`.
 * @param labels - int32 labels `[N]`.
 * @param opts - The {@link Reduction}.
 * @returns The reduced score.
 * @throws {ShapeError} when the label shape does not match.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { brierScore } from '@difflab/losses';
 * const probs = tensor([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]]);
 * const labels = tensor([0, 1, 1], { dtype: 'int32' });
 * brierScore(probs, labels).item(); // 0.3067
 * ```
 */
export function brierScore(probs: Tensor, labels: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'brierScore';
  checkProbs(op, probs, labels);
  const y = oneHot(labels, probs.shape[1]!, probs.dtype === 'float64' ? 'float64' : 'float32');
  return reduce(op, sum(square(sub(probs, y)), 1), opts.reduction);
}
