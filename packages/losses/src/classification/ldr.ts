import { add, logsumexp, mul, sub, type Tensor } from '@difflab/tensor';
import { classRows, labelMask, pick } from '../core/classes.js';
import type { ReductionOptions } from '../core/reduction.js';
import { finishRows } from '../core/rows.js';
import { checkFiniteNumber, checkPositiveNumber } from '../core/validate.js';

/**
 * Options of {@link ldrKL}.
 *
 * @example
 * ```ts
 * import type { LdrKlOptions } from '@difflab/losses';
 * const o: LdrKlOptions = { lambda: 0.5, margin: 1 };
 * ```
 */
export interface LdrKlOptions extends ReductionOptions {
  /** λ > 0, the KL regularisation strength (a temperature). Default 1. */
  lambda?: number;
  /** Margin c added to every non-target class, δ_{k,y} = c·1[k ≠ y]. Default 0. */
  margin?: number;
}

/**
 * Label-distributionally robust loss with a KL regulariser, LDR-KL (Zhu, Ying & Yang, "Label
 * Distributionally Robust Losses for Multi-class Classification: Consistency, Robustness and
 * Adaptivity", ICML 2023): the worst case over label weights p ∈ Δ_K of
 * Σ_k p_k (δ_{k,y} + s_k - s_y) - λ KL(p ‖ 1/K), which has the closed form
 * λ log((1/K) Σ_k exp((δ_{k,y} + s_k - s_y) / λ)).
 * λ → 0 gives the Crammer-Singer hinge max_k(δ_{k,y} + s_k - s_y); with c = 0 it equals
 * λ·CE(s/λ) - λ log K (temperature-scaled cross-entropy). Applied to the scores `logits` as given.
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link LdrKlOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for a non-positive lambda or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ldrKL } from '@difflab/losses';
 * ldrKL(tensor([[2, 0, 1]]), tensor([0], { dtype: 'int32' }), { lambda: 1, margin: 1 }).item(); // -0.2366
 * ```
 */
export function ldrKL(logits: Tensor, labels: Tensor, opts: LdrKlOptions = {}): Tensor {
  const op = 'ldrKL';
  const lambda = opts.lambda ?? 1;
  checkPositiveNumber(op, 'lambda', lambda);
  const margin = opts.margin ?? 0;
  checkFiniteNumber(op, 'margin', margin);
  const { rows, labels: y, classes, batchShape } = classRows(op, logits, labels);
  const sy = pick(rows, y).reshape([-1, 1]);
  let a = sub(rows, sy);
  // The margin is applied through a tensor of the logits' dtype (a bare 0.3 would be float32).
  if (margin !== 0) a = add(a, mul(sub(1, labelMask(y, classes).astype(rows.dtype)), margin));
  const perRow = mul(sub(logsumexp(mul(a, 1 / lambda), 1), Math.log(classes)), lambda);
  return finishRows(op, perRow, batchShape, opts.reduction);
}
