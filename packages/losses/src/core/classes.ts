import { ShapeError, arange, equal, fmtShape, reshape, takeAlongAxis, transpose, type Tensor } from '@difflab/tensor';
import { checkLabelRange, requireFloat, requireInt } from './validate.js';

/**
 * Logits with the class axis at 1 (PyTorch layout: [C], [N, C] or [N, C, d1, ...]) flattened to
 * rows [M, C], and int32 labels ([], [N] or [N, d1, ...]) flattened to [M]. `batchShape` is the
 * per-element loss shape that `reduction: 'none'` returns.
 */
export interface ClassRows {
  rows: Tensor;
  labels: Tensor;
  batchShape: number[];
  classes: number;
}

export function classAxisLast(x: Tensor): Tensor {
  if (x.ndim <= 2) return x.ndim === 1 ? reshape(x, [1, x.shape[0]!]) : x;
  const perm = [0, ...x.shape.slice(2).map((_, i) => i + 2), 1];
  return reshape(transpose(x, perm), [-1, x.shape[1]!]);
}

/** The per-element shape of class-dim-1 input: input.shape without axis 1. */
export function batchShapeOf(x: Tensor): number[] {
  return x.ndim === 1 ? [] : [x.shape[0]!, ...x.shape.slice(2)];
}

export function checkIndexTargets(op: string, input: Tensor, target: Tensor): void {
  requireInt(op, 'target', target);
  const expect = batchShapeOf(input);
  if (target.ndim !== expect.length || target.shape.some((d, i) => d !== expect[i]))
    throw new ShapeError(
      `${op}: input of shape ${fmtShape(input.shape)} (classes on axis ${input.ndim === 1 ? 0 : 1}) needs class-index targets of shape ${fmtShape(expect)}, got ${fmtShape(target.shape)}`,
    );
}

export function classRows(op: string, logits: Tensor, labels: Tensor, ignoreIndex?: number): ClassRows {
  requireFloat(op, 'input', logits);
  if (logits.ndim === 0) throw new ShapeError(`${op}: input must have a class dimension, got a scalar`);
  checkIndexTargets(op, logits, labels);
  const classes = logits.ndim === 1 ? logits.shape[0]! : logits.shape[1]!;
  if (classes === 0) throw new ShapeError(`${op}: input of shape ${fmtShape(logits.shape)} has no classes`);
  checkLabelRange(op, labels, classes, ignoreIndex);
  return { rows: classAxisLast(logits), labels: reshape(labels, [-1]), batchShape: batchShapeOf(logits), classes };
}

/** rows[i, labels[i]] for rows [M, C] and in-range labels [M]. */
export function pick(rows: Tensor, labels: Tensor): Tensor {
  return reshape(takeAlongAxis(rows, reshape(labels, [-1, 1]), 1), [-1]);
}

/** Bool mask [M, C] that is true at each row's label. */
export function labelMask(labels: Tensor, classes: number): Tensor {
  return equal(reshape(labels, [-1, 1]), arange(classes, { dtype: 'int32', device: labels.device }));
}
