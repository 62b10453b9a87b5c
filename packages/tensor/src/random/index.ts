import { bernoulli, categorical, permutation, randint } from './discrete.js';
import { gumbel } from './gumbel.js';
import { foldIn, key, split, splitN } from './key.js';
import { normal, truncatedNormal } from './normal.js';
import { uniform } from './uniform.js';

export type { UniformOptions } from './uniform.js';
export type { NormalOptions } from './normal.js';
export type { CategoricalOptions } from './discrete.js';

/**
 * Reproducible, splittable randomness in the style of `jax.random`.
 *
 * A key (`random.key(seed)`) is an int32 tensor of shape [2] holding a Threefry-2x32 key; it is
 * never mutated. Every sampler takes a key first and returns the same numbers for the same key on
 * every run and backend (samples are generated on the host and uploaded to `opts.device`, or to
 * the default device). Derive independent keys with `split` / `splitN` / `foldIn` instead of
 * reusing one:
 *
 * ```ts
 * const [k1, k2] = random.splitN(random.key(0));
 * const w = random.normal(k1, [784, 128], { std: 0.05 });
 * const mask = random.bernoulli(k2, 0.9, [128]);
 * ```
 *
 * Streams follow JAX's default (partitionable) Threefry: `key`, `split`, `foldIn` and float32
 * `uniform` agree with JAX bit for bit; the other samplers use JAX's constructions but are
 * computed in float64, so they agree with JAX only to rounding. Every sampler throws DTypeError
 * for a key that is not int32 and ShapeError for one not of shape [2].
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * const [k1, k2] = random.splitN(random.key(0));
 * const w = random.normal(k1, [784, 128], { std: 0.05 });
 * const mask = random.bernoulli(k2, 0.9, [128]);
 * w.shape; // => [784, 128]
 * mask.dtype; // => 'bool'
 * // Same key, same numbers.
 * random.uniform(k1, [2]).sub(random.uniform(k1, [2])).abs().max().item(); // => 0
 * ```
 *
 * @namespace
 */
export const random = {
  // `@function` makes typedoc document each member with the function's own doc comment.
  /** @function */
  key,
  /** @function */
  split,
  /** @function */
  splitN,
  /** @function */
  foldIn,
  /** @function */
  uniform,
  /** @function */
  normal,
  /** @function */
  truncatedNormal,
  /** @function */
  bernoulli,
  /** @function */
  categorical,
  /** @function */
  gumbel,
  /** @function */
  permutation,
  /** @function */
  randint,
} as const;
