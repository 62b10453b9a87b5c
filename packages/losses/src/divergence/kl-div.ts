import { equal, exp, log, mul, sub, sum, where, type Tensor } from '@difflab/tensor';
import { checkReduction, reduce, type Reduction } from '../core/reduction.js';
import { requireFloat, requireSameShape } from '../core/validate.js';

/**
 * Options of {@link klDiv}.
 *
 * @example
 * ```ts
 * import type { KlDivOptions } from '@difflab/losses';
 * const o: KlDivOptions = { reduction: 'batchmean', logTarget: true };
 * ```
 */
export interface KlDivOptions {
  /**
   * 'mean' (default, PyTorch's: averages over every element), 'batchmean' (sum / batch size: the
   * true KL per sample), 'sum' or 'none'.
   */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities. Default false. */
  logTarget?: boolean;
}

/**
 * Pointwise KL divergence (PyTorch's `kl_div(input, target)`) with `input = log q`:
 * `t (log t - input)`, where `0 log 0 = 0`, or `exp(t) (t - input)` when `logTarget`.
 *
 * Note the argument order: the model's log-probabilities first, the reference distribution
 * second, giving `KL(target ‖ model)`. Use `reduction: 'batchmean'` for the true per-sample KL.
 *
 * @param input - Log-probabilities of the model.
 * @param target - Probabilities (or log-probabilities with `logTarget`), same shape.
 * @param opts - See {@link KlDivOptions}.
 * @returns The reduced divergence.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for an unknown reduction.
 *
 * @example
 * ```ts
 * import { log, tensor } from '@difflab/tensor';
 * import { klDiv } from '@difflab/losses';
 * const q = tensor([[0.5, 0.5]]);
 * const p = tensor([[0.9, 0.1]]);
 * klDiv(log(q), p, { reduction: 'batchmean' }).item(); // 0.3681
 * ```
 */
export function klDiv(input: Tensor, target: Tensor, opts: KlDivOptions = {}): Tensor {
  const op = 'klDiv';
  requireFloat(op, 'input', input);
  requireFloat(op, 'target', target);
  requireSameShape(op, ['input', 'target'], input, target);
  const reduction = opts.reduction ?? 'mean';
  checkReduction(op, reduction, ['mean', 'batchmean', 'sum', 'none']);
  let loss: Tensor;
  if (opts.logTarget) loss = mul(exp(target), sub(target, input));
  else {
    const zero = equal(target, 0);
    const xlogx = where(zero, 0, mul(target, log(where(zero, 1, target))));
    loss = sub(xlogx, mul(target, input));
  }
  if (reduction === 'batchmean') return input.ndim === 0 ? sum(loss) : sum(loss).div(input.shape[0]!);
  return reduce(op, loss, reduction);
}
