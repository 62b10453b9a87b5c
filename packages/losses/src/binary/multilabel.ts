import { ShapeError, fmtShape, mul, neg, softplus, sub, sum, type Tensor } from '@difflab/tensor';
import { requireBroadcastsTo } from '../core/broadcast.js';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkNonNegative, checkRange, requireFloat, requireSameShape } from '../core/validate.js';

/**
 * Options of {@link multiLabelSoftMargin}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { MultiLabelSoftMarginOptions } from '@difflab/losses';
 * const o: MultiLabelSoftMarginOptions = { weight: tensor([1, 2, 1]) };
 * ```
 */
export interface MultiLabelSoftMarginOptions extends ReductionOptions {
  /** Per-class weights, shape [C]. */
  weight?: Tensor;
}

/**
 * Multi-label one-versus-all logistic loss (PyTorch's `multilabel_soft_margin_loss`): per sample,
 * `-(1/C) Σ_c w_c [y_c log σ(x_c) + (1 - y_c) log σ(-x_c)]` with `log σ(x) = -softplus(-x)`.
 *
 * @param input - Logits `[N, C]` or `[C]`.
 * @param target - Same shape, entries in [0, 1].
 * @param opts - See {@link MultiLabelSoftMarginOptions}.
 * @returns The reduced loss (`[N]` with `'none'`).
 * @throws {ShapeError} for an input that is not 1-D or 2-D, or mismatched shapes.
 * @throws {ValueError} for targets outside [0, 1] or a negative weight.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { multiLabelSoftMargin } from '@difflab/losses';
 * multiLabelSoftMargin(tensor([[2, -1, 0]]), tensor([[1, 0, 1]])).item(); // 0.3778
 * ```
 */
export function multiLabelSoftMargin(input: Tensor, target: Tensor, opts: MultiLabelSoftMarginOptions = {}): Tensor {
  const op = 'multiLabelSoftMargin';
  requireFloat(op, 'input', input);
  if (input.ndim < 1 || input.ndim > 2)
    throw new ShapeError(`${op}: input must be [N, C] or [C], got ${fmtShape(input.shape)}`);
  requireSameShape(op, ['input', 'target'], input, target);
  const t = target.astype(input.dtype);
  checkRange(op, 'target', t, 0, 1);
  let loss = mul(t, softplus(neg(input))).add(mul(sub(1, t), softplus(input)));
  if (opts.weight) {
    requireBroadcastsTo(op, 'weight', opts.weight, input.shape);
    checkNonNegative(op, 'weight', opts.weight);
    loss = mul(loss, opts.weight);
  }
  const classes = input.shape[input.ndim - 1]!;
  return reduce(op, sum(loss, -1).div(classes), opts.reduction);
}
