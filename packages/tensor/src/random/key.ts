import { ValueError } from '../errors.js';
import { fromTypedArray } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { keyTensor, keyWords } from './checks.js';
import { childKey, counterWords } from './threefry.js';

/**
 * A PRNG key from an integer seed: an int32 tensor of shape [2] holding the two uint32 words of
 * a Threefry-2x32 key (as bit patterns), on the CPU. Seeds in [0, 2^53) split into (high, low)
 * words as JAX does for 64-bit seeds (so `key(s)` equals `jax.random.key(s)` for s < 2^31);
 * negative seeds down to -2^31 become `[0, seed mod 2^32]`, as JAX's default 32-bit mode does.
 *
 * Keys are values: functions that consume randomness never change them, so the same key always
 * gives the same numbers. Use {@link split} to derive fresh independent keys.
 *
 * @param seed - an integer in [-2^31, 2^53).
 * @returns an int32 tensor of shape [2].
 * @throws {ValueError} for a non-integer or out-of-range seed.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * random.key(42).toArray(); // => [0, 42]
 * random.key(1.5); // throws ValueError
 * ```
 */
export function key(seed: number): Tensor {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 53)
    throw new ValueError(`random.key: seed must be an integer in [-2^31, 2^53), got ${String(seed)}`);
  if (seed < 0) return keyTensor([0, seed | 0]);
  return keyTensor([Math.floor(seed / 4294967296) | 0, seed % 4294967296 | 0]);
}

function count(op: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= 2 ** 32)
    throw new ValueError(`${op}: number of keys must be a non-negative integer, got ${String(n)}`);
  return n;
}

/**
 * Splits a key into `n` (default 2) new independent keys, like `jax.random.split`.
 *
 * Returns an int32 tensor `[n, 2]`; take one with `keys.slice(i)` (or use {@link splitN}). Row `i`
 * hashes the counter `i` under the parent key, exactly like `jax.random.split` with its default
 * (partitionable) Threefry. Never reuse the parent key for sampling after splitting it.
 *
 * @param key - a key from {@link random.key} or a previous split.
 * @param n - how many keys (default 2).
 * @returns `[n, 2]` int32.
 * @throws {ValueError} for a negative or non-integer `n`.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * const keys = random.split(random.key(0), 3);
 * keys.shape; // => [3, 2]
 * random.uniform(keys.slice(0), [2]).shape; // => [2]
 * ```
 */
export function split(key: Tensor, n = 2): Tensor {
  const words = keyWords('random.split', key);
  const num = count('random.split', n);
  const { hi, lo } = counterWords(words, num);
  const out = new Int32Array(2 * num);
  for (let i = 0; i < num; i++) {
    out[2 * i] = hi[i]!;
    out[2 * i + 1] = lo[i]!;
  }
  return fromTypedArray(out, [num, 2], { dtype: 'int32', device: 'cpu' });
}

/**
 * {@link split} as an array of `n` key tensors of shape [2], convenient for destructuring.
 *
 * @param key - the parent key.
 * @param n - how many keys (default 2).
 * @returns `n` keys.
 * @throws {ValueError} for a negative or non-integer `n`.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * const [kInit, kData] = random.splitN(random.key(0));
 * kInit.toArray(); // => [1797259609, -1715843330]
 * random.normal(kData, [2]).shape; // => [2]
 * ```
 */
export function splitN(key: Tensor, n = 2): Tensor[] {
  const words = keyWords('random.splitN', key);
  const num = count('random.splitN', n);
  return Array.from({ length: num }, (_, i) => keyTensor(childKey(words, i)));
}

/**
 * Derives a new key from `key` and an integer `data` in [0, 2^32) (e.g. a step or a worker index),
 * like `jax.random.fold_in`.
 *
 * `foldIn(k, i)` equals row `i` of `split(k, n)`, so a training loop can take a per-step key
 * without threading split keys through.
 *
 * @param key - the parent key.
 * @param data - an integer in [0, 2^32).
 * @returns a key of shape [2].
 * @throws {ValueError} for `data` outside [0, 2^32).
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * const k = random.key(0);
 * random.foldIn(k, 1).toArray(); // => [928981903, -841280227]
 * random.split(k).slice(1).toArray(); // => [928981903, -841280227]
 * ```
 */
export function foldIn(key: Tensor, data: number): Tensor {
  const words = keyWords('random.foldIn', key);
  if (typeof data !== 'number' || !Number.isInteger(data) || data < 0 || data >= 2 ** 32)
    throw new ValueError(`random.foldIn: data must be an integer in [0, 2^32), got ${String(data)}`);
  return keyTensor(childKey(words, data));
}
