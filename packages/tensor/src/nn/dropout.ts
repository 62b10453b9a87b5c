import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { mul } from '../ops/binary.js';
import { requireFloat } from '../ops/core.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { bernoulli, type NnKey } from './rng.js';

/**
 * Options of `nn.dropout`.
 *
 * @example
 * ```ts
 * import { nn, ones, random, type DropoutOptions } from '@difflab/tensor';
 * const opts: DropoutOptions = { p: 0.25, key: random.key(0) };
 * nn.dropout(ones([8]), opts).shape; // => [8]
 * ```
 */
export interface DropoutOptions {
  /** Probability of zeroing each element (default 0.5). */
  p?: number;
  /** Randomness: a `random.key(...)` tensor or an integer seed. Required in training unless `mask` is given. */
  key?: NnKey;
  /** When false, dropout is the identity (default true). */
  training?: boolean;
  /**
   * Keep-mask to use instead of drawing one: a bool tensor (true = keep) broadcastable to x, or a
   * function of x's shape returning one.
   */
  mask?: Tensor | ((shape: readonly number[]) => Tensor);
}

/**
 * Inverted dropout, like `torch.nn.functional.dropout`.
 *
 * In training each element is zeroed with probability `p` and survivors are scaled by 1/(1 − p),
 * so the expectation is unchanged; the gradient is the same mask times the same scale. The mask is
 * `random.bernoulli(key, 1 − p, x.shape)` (pass a new key each step), or the given `mask`. With
 * `training: false` or `p = 0` it returns `x` itself.
 *
 * @param x - a float tensor.
 * @param opts - `p` (default 0.5), `key`, `training` (default true), `mask`.
 * @returns a tensor of x's shape and dtype.
 * @throws {ValueError} for `p` outside [0, 1], a missing key in training, or a non-bool mask.
 * @throws {ShapeError} when the mask does not broadcast to x.
 *
 * @example
 * ```ts
 * import { nn, ones, tensor } from '@difflab/tensor';
 * const mask = tensor([true, false, true, true]);
 * nn.dropout(ones([4]), { p: 0.5, mask }).toArray(); // => [2, 0, 2, 2]
 * nn.dropout(ones([4]), { key: 0 }).sum().item() % 2; // => 0
 * nn.dropout(ones([4]), { training: false }).toArray(); // => [1, 1, 1, 1]
 * nn.dropout(ones([4])); // throws ValueError
 * ```
 */
export function dropout(x: Tensor, opts: DropoutOptions = {}): Tensor {
  const op = 'dropout';
  requireFloat(op, x);
  const p = opts.p ?? 0.5;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1))
    throw new ValueError(`${op}: p must be a probability in [0, 1], got ${p}`);
  if (!(opts.training ?? true) || p === 0) return x;
  if (p === 1) return mul(x, 0);
  let mask: Tensor;
  if (opts.mask !== undefined) {
    mask = typeof opts.mask === 'function' ? opts.mask(x.shape) : opts.mask;
    if (!(mask instanceof Tensor) || mask.dtype !== 'bool')
      throw new ValueError(
        `${op}: mask must be a bool Tensor (true = keep)${mask instanceof Tensor ? `, got ${mask.dtype} of shape ${fmtShape(mask.shape)}` : ''}`,
      );
    if (!shapesEqual(broadcastShapes(op, mask.shape, x.shape), x.shape))
      throw new ShapeError(`${op}: mask ${fmtShape(mask.shape)} does not broadcast to input ${fmtShape(x.shape)}`);
  } else {
    if (opts.key === undefined)
      throw new ValueError(`${op}: training needs a random key (or a mask); pass { key } or { training: false }`);
    mask = bernoulli(op, opts.key, 1 - p, x.shape, x.device);
  }
  // The scale is a weak scalar, so float64 inputs get 1/(1 − p) in full precision.
  return mul(x, mul(mask.astype(x.dtype), 1 / (1 - p)));
}
