import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { mul } from '../ops/binary.js';
import { requireFloat } from '../ops/core.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { bernoulli, type NnKey } from './rng.js';

/** Options of `nn.dropout`. */
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
 * Inverted dropout (`torch.nn.functional.dropout`): in training each element is zeroed with
 * probability `p` and survivors are scaled by 1/(1 − p), so the expectation is unchanged; the
 * gradient is the same mask times the same scale. The mask is `random.bernoulli(key, 1 − p, x.shape)`.
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
