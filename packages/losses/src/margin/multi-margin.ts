import {
  DTypeError,
  ShapeError,
  ValueError,
  fmtShape,
  gather,
  mul,
  relu,
  reshape,
  square,
  sub,
  sum,
  where,
  type Tensor,
} from '@difflab/tensor';
import { classRows, labelMask, pick } from '../core/classes.js';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkFiniteNumber, checkNonNegative, requireFloat } from '../core/validate.js';

/**
 * Options of {@link multiMargin}.
 *
 * @example
 * ```ts
 * import type { MultiMarginOptions } from '@difflab/losses';
 * const o: MultiMarginOptions = { p: 2, margin: 0.5 };
 * ```
 */
export interface MultiMarginOptions extends ReductionOptions {
  /** 1 (hinge, default) or 2 (squared hinge). */
  p?: 1 | 2;
  /** The hinge margin. Default 1. */
  margin?: number;
  /** Per-class weights [C]; PyTorch multiplies the (powered) hinge terms by weight[y]. */
  weight?: Tensor;
}

/**
 * Multi-class hinge loss (PyTorch's `multi_margin_loss`, Weston & Watkins / Crammer-Singer style
 * sum over classes): per sample `(1/C) Σ_{j≠y} w_y max(0, margin - x_y + x_j)^p`.
 *
 * @param input - Scores `[N, C]` or `[C]`.
 * @param target - int32 class indices `[N]` or `[]`.
 * @param opts - See {@link MultiMarginOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} for an input with more than 2 dims, mismatched shapes or a weight not `[C]`.
 * @throws {DTypeError} for non-int32 targets or a weight of another dtype.
 * @throws {ValueError} for p other than 1 or 2, or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { multiMargin } from '@difflab/losses';
 * multiMargin(tensor([[0.1, 0.2, 0.4, 0.8]]), tensor([3], { dtype: 'int32' })).item(); // 0.325
 * ```
 */
export function multiMargin(input: Tensor, target: Tensor, opts: MultiMarginOptions = {}): Tensor {
  const op = 'multiMargin';
  requireFloat(op, 'input', input);
  if (input.ndim > 2) throw new ShapeError(`${op}: input must be [N, C] or [C], got ${fmtShape(input.shape)}`);
  const p = opts.p ?? 1;
  if (p !== 1 && p !== 2) throw new ValueError(`${op}: p must be 1 or 2, got ${String(p)}`);
  const margin = opts.margin ?? 1;
  checkFiniteNumber(op, 'margin', margin);
  const { rows, labels, batchShape, classes } = classRows(op, input, target);
  const xy = reshape(pick(rows, labels), [-1, 1]);
  let h = relu(sub(margin, xy).add(rows));
  if (p === 2) h = square(h);
  h = where(labelMask(labels, classes), 0, h);
  let perRow = sum(h, 1).div(classes);
  if (opts.weight) {
    requireFloat(op, 'weight', opts.weight);
    if (opts.weight.ndim !== 1 || opts.weight.shape[0] !== classes)
      throw new ShapeError(`${op}: weight must have shape [${classes}], got ${fmtShape(opts.weight.shape)}`);
    if (opts.weight.dtype !== input.dtype)
      throw new DTypeError(`${op}: weight is ${opts.weight.dtype} but input is ${input.dtype}`);
    checkNonNegative(op, 'weight', opts.weight);
    perRow = mul(perRow, gather(opts.weight, labels));
  }
  return reduce(op, reshape(perRow, batchShape), opts.reduction);
}
