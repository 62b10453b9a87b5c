import { ShapeError, fmtShape } from '../errors.js';
import { add } from '../ops/binary.js';
import { requireFloat } from '../ops/core.js';
import { matmul } from '../ops/matmul.js';
import { reshape, swapAxes } from '../ops/shape.js';
import type { Tensor } from '../tensor.js';

/**
 * Affine layer y = x · weightᵀ + bias, like `torch.nn.functional.linear`.
 *
 * `weight` is [out, in] (PyTorch's layout) and `bias` [out]; `x` is [..., in] with any number of
 * leading axes.
 *
 * @param x - float input [..., in].
 * @param weight - [out, in].
 * @param bias - optional [out].
 * @returns [..., out].
 * @throws {ShapeError} when the feature sizes of x and weight differ or the bias has the wrong shape.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * const w = tensor([[1, 0], [0, 1], [1, 1]]);
 * nn.linear(tensor([[1, 2]]), w, tensor([0, 0, 1])).toArray(); // => [[1, 2, 4]]
 * nn.linear(tensor([[1, 2, 3]]), w); // throws ShapeError
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  requireFloat('linear', x);
  requireFloat('linear', weight);
  if (x.ndim < 1) throw new ShapeError(`linear: input must be at least 1-D, got ${fmtShape(x.shape)}`);
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight must be [out, in], got ${fmtShape(weight.shape)}`);
  const [out, inF] = weight.shape as [number, number];
  if (x.shape[x.ndim - 1] !== inF)
    throw new ShapeError(
      `linear: input ${fmtShape(x.shape)} has ${x.shape[x.ndim - 1]} features but weight ${fmtShape(weight.shape)} expects ${inF}`,
    );
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== out))
    throw new ShapeError(
      `linear: bias ${fmtShape(bias.shape)} must have shape [${out}] for weight ${fmtShape(weight.shape)}`,
    );
  // Leading axes are folded into rows so the weight is never broadcast (copied) per batch entry.
  const rows = x.ndim === 2 ? x : reshape(x, [-1, inF]);
  let y = matmul(rows, swapAxes(weight, 0, 1));
  if (bias) y = add(y, bias);
  return x.ndim === 2 ? y : reshape(y, [...x.shape.slice(0, -1), out]);
}
