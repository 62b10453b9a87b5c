import { fromTypedArray } from '../ops/creation.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { deviceOf, floatDType, keyWords, sampleShape } from './checks.js';
import type { KeyWords } from './threefry.js';
import { scaleUnit, unitFloats } from './uniform.js';

/** Smallest normal number of each dtype: the lower end of the uniform fed to the double log. */
const TINY = { float32: 2 ** -126, float64: 2 ** -1022 } as const;

/** Standard Gumbel values `-log(-log(u))`, `u` uniform on [tiny, 1) as in JAX's default mode. */
export function gumbelValues(words: KeyWords, count: number, dtype: 'float32' | 'float64'): Float64Array {
  const u = scaleUnit(unitFloats(words, count, dtype), TINY[dtype], 1, dtype);
  for (let i = 0; i < count; i++) u[i] = -Math.log(-Math.log(u[i]!));
  return u;
}

/**
 * Standard Gumbel samples (location 0, scale 1), like `jax.random.gumbel`.
 *
 * Computed as `-log(-log(u))` with `u` uniform on [tiny, 1), so results are finite. Adding them to
 * logits and taking the argmax samples a categorical; a softmax instead gives Gumbel-softmax.
 *
 * @param key - a random key.
 * @param shape - the result shape (default `[]`).
 * @param opts - `dtype` (float32 default, or float64), `device`.
 * @returns the samples.
 * @throws {DTypeError} for a dtype other than float32/float64.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * random.gumbel(random.key(0), [3]).toArray(); // => [2.9234, 3.8326, -0.0969]
 * ```
 */
export function gumbel(
  key: Tensor,
  shape: readonly number[] = [],
  opts: { dtype?: 'float32' | 'float64'; device?: string } = {},
): Tensor {
  const op = 'random.gumbel';
  const words = keyWords(op, key);
  const s = sampleShape(op, shape);
  const dtype = floatDType(op, opts.dtype);
  const g = gumbelValues(words, sizeOf(s), dtype);
  return fromTypedArray(dtype === 'float32' ? Float32Array.from(g) : g, s, { dtype, device: deviceOf(opts) });
}
