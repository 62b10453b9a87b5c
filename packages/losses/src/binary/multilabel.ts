import { ShapeError, fmtShape, mul, neg, softplus, sub, sum, type Tensor } from '@difflab/tensor';
import { requireBroadcastsTo } from '../core/broadcast.js';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkNonNegative, checkRange, requireFloat, requireSameShape } from '../core/validate.js';

export interface MultiLabelSoftMarginOptions extends ReductionOptions {
  /** Per-class weights, shape [C]. */
  weight?: Tensor;
}

/**
 * PyTorch's `multilabel_soft_margin_loss`: per sample,
 * -(1/C) Σ_c w_c [y_c log σ(x_c) + (1 - y_c) log σ(-x_c)] with log σ(x) = -softplus(-x).
 * Input [N, C] (or [C]); target of the same shape with entries in [0, 1].
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
