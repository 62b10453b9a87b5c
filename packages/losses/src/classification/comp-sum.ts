import { ValueError, expm1, mul, neg, type Tensor } from '@difflab/tensor';
import type { ReductionOptions } from '../core/reduction.js';
import { finishRows, logProbRows } from '../core/rows.js';

/**
 * Options of {@link compSum}.
 *
 * @example
 * ```ts
 * import type { CompSumOptions } from '@difflab/losses';
 * const gce: CompSumOptions = { tau: 1.7 }; // generalised cross-entropy with q = 0.7
 * ```
 */
export interface CompSumOptions extends ReductionOptions {
  /**
   * τ >= 0. τ = 0: sum-exponential loss Σ_{y'≠y} e^{h_{y'} - h_y}; τ = 1: cross-entropy (default);
   * 1 < τ < 2: generalised cross-entropy with q = τ - 1; τ = 2: mean absolute error 1 - p_y.
   */
  tau?: number;
}

/**
 * Comp-sum losses (Mao, Mohri & Zhong, "Cross-Entropy Loss Functions: Theoretical Analysis and
 * Applications", ICML 2023, the Φ^τ family of their Section 3):
 * ℓ_τ = Φ^τ(Σ_{y'≠y} exp(h_{y'} - h_y)) with Φ^1(u) = log(1 + u) and
 * Φ^τ(u) = ((1 + u)^{1-τ} - 1) / (1 - τ) otherwise. Since 1 + u = 1 / p_y, this is evaluated as
 * expm1((1 - τ) CE) / (1 - τ) with CE = -log p_y, exact at τ = 1 and stable for large logits
 * (members with τ < 1 grow like exp((1 - τ) CE) and may overflow to +∞ for absurd margins).
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link CompSumOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for a negative tau or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { compSum, crossEntropy } from '@difflab/losses';
 * const logits = tensor([[2, 0, 0]]);
 * const y = tensor([0], { dtype: 'int32' });
 * compSum(logits, y).item() === crossEntropy(logits, y).item(); // true: tau = 1 is cross-entropy
 * compSum(logits, y, { tau: 2 }).item(); // 0.213
 * ```
 */
export function compSum(logits: Tensor, labels: Tensor, opts: CompSumOptions = {}): Tensor {
  const op = 'compSum';
  const tau = opts.tau ?? 1;
  if (!(Number.isFinite(tau) && tau >= 0)) throw new ValueError(`${op}: tau must be a finite number >= 0, got ${tau}`);
  const { logpy, batchShape } = logProbRows(op, logits, labels);
  const ce = neg(logpy);
  const perRow = tau === 1 ? ce : mul(expm1(mul(ce, 1 - tau)), 1 / (1 - tau));
  return finishRows(op, perRow, batchShape, opts.reduction);
}
