import { ValueError, mul, pow, type Tensor } from '@difflab/tensor';
import type { ReductionOptions } from '../core/reduction.js';
import { finishRows, logProbRows } from '../core/rows.js';
import { checkFiniteNumber, checkPositiveNumber } from '../core/validate.js';
import { focalTerm, oneMinusExp } from '../core/focal-term.js';

/**
 * Options of {@link polyLoss}.
 *
 * @example
 * ```ts
 * import type { PolyOptions } from '@difflab/losses';
 * const poly1: PolyOptions = { epsilon: 2 };
 * const focalPoly: PolyOptions = { epsilon: [1, 0.5], gamma: 2 };
 * ```
 */
export interface PolyOptions extends ReductionOptions {
  /**
   * ε_1 (a number: Poly-1, default 1) or the leading coefficients [ε_1, ..., ε_N] (Poly-N) added
   * to the base loss's polynomial expansion in (1 - p_t).
   */
  epsilon?: number | readonly number[];
  /** Focal γ of the base loss; 0 (default) is cross-entropy. */
  gamma?: number;
}

/**
 * PolyLoss (Leng et al., "PolyLoss: A Polynomial Expansion Perspective of Classification Loss
 * Functions", ICLR 2022). With base FL_γ = -(1 - p_t)^γ log p_t (γ = 0: CE, eq. 1):
 * L = FL_γ + Σ_{j=1..N} ε_j (1 - p_t)^{γ + j}. N = 1 gives Poly-1 (eq. 3: -log p_t + ε (1 - p_t))
 * and its focal form FL_γ + ε (1 - p_t)^{γ+1}; ε = 0 recovers the base loss.
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link PolyOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for a negative gamma, non-finite epsilon or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { polyLoss } from '@difflab/losses';
 * polyLoss(tensor([[2, 0, 0]]), tensor([0], { dtype: 'int32' }), { epsilon: 1 }).item(); // 0.4526
 * ```
 */
export function polyLoss(logits: Tensor, labels: Tensor, opts: PolyOptions = {}): Tensor {
  const op = 'polyLoss';
  const eps = typeof opts.epsilon === 'number' || opts.epsilon === undefined ? [opts.epsilon ?? 1] : [...opts.epsilon];
  if (eps.length === 0) throw new ValueError(`${op}: epsilon must hold at least one coefficient`);
  eps.forEach((e, i) => checkFiniteNumber(op, `epsilon[${i}]`, e));
  const gamma = opts.gamma ?? 0;
  checkPositiveNumber(op, 'gamma', gamma, true);
  const { logpy, batchShape } = logProbRows(op, logits, labels);
  const q = oneMinusExp(logpy);
  let perRow = focalTerm(logpy, gamma);
  eps.forEach((e, j) => {
    if (e !== 0) perRow = perRow.add(mul(pow(q, gamma + j + 1), e));
  });
  return finishRows(op, perRow, batchShape, opts.reduction);
}
