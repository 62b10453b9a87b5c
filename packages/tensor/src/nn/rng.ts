import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { full } from '../ops/creation.js';
import { random } from '../random/index.js';
import { Tensor } from '../tensor.js';

/**
 * Randomness for nn (dropout masks, initializers, mlp parameters): a key from `random.key(seed)` /
 * `random.split` (an int32 tensor of shape [2]) or, for convenience, an integer seed, which means
 * `random.key(seed)`.
 *
 * Same key, same numbers on every run and device.
 *
 * @example
 * ```ts
 * import { nn, random, type NnKey } from '@difflab/tensor';
 * const a: NnKey = 7;
 * const b: NnKey = random.key(7);
 * nn.heNormal(a, [2, 2]).sub(nn.heNormal(b, [2, 2])).abs().max().item(); // => 0
 * ```
 */
export type NnKey = Tensor | number;

/** The key tensor for `key`, validated with errors that name the nn op. */
function keyOf(op: string, key: NnKey): Tensor {
  if (typeof key === 'number') {
    if (!Number.isInteger(key) || key < -(2 ** 31) || key >= 2 ** 53)
      throw new ValueError(`${op}: a numeric key (seed) must be an integer in [-2^31, 2^53), got ${key}`);
    return random.key(key);
  }
  if (!(key instanceof Tensor))
    throw new ValueError(`${op}: key must be a random.key(...) tensor or an integer seed, got ${typeof key}`);
  if (key.dtype !== 'int32')
    throw new DTypeError(
      `${op}: key must be an int32 tensor of shape [2] from random.key(seed), got ${key.dtype} of shape ${fmtShape(key.shape)}`,
    );
  if (key.ndim !== 1 || key.shape[0] !== 2)
    throw new ShapeError(`${op}: key must have shape [2], got ${fmtShape(key.shape)}`);
  return key;
}

/** `n` independent keys derived from `key` (`random.splitN`). */
export function splitKey(key: NnKey, n: number, op = 'split'): Tensor[] {
  return random.splitN(keyOf(op, key), n);
}

export function uniform(
  op: string,
  key: NnKey,
  shape: readonly number[],
  dtype: 'float32' | 'float64',
  lo: number,
  hi: number,
  device?: string,
): Tensor {
  const k = keyOf(op, key);
  // A zero-width range (gain 0) is a constant; random.uniform needs lo < hi.
  if (!(lo < hi)) return full(shape, lo, { dtype, device });
  return random.uniform(k, shape, { minval: lo, maxval: hi, dtype, device });
}

export function normal(
  op: string,
  key: NnKey,
  shape: readonly number[],
  dtype: 'float32' | 'float64',
  std = 1,
  device?: string,
): Tensor {
  return random.normal(keyOf(op, key), shape, { std, dtype, device });
}

/** Boolean mask, true with probability `p` independently per element. */
export function bernoulli(op: string, key: NnKey, p: number, shape: readonly number[], device?: string): Tensor {
  return random.bernoulli(keyOf(op, key), p, shape, { device });
}
