import { ValueError } from '../errors.js';
import { fromTypedArray } from '../ops/creation.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { deviceOf, finiteNumber, floatDType, keyWords, sampleShape } from './checks.js';
import { bits32, counterWords, type KeyWords } from './threefry.js';

const TWO_M23 = 2 ** -23;
const TWO_M53 = 2 ** -53;

/**
 * `count` uniform values in [0, 1), each exactly representable in `dtype`:
 * float32 takes the top 23 bits of the xor of the two Threefry words (bit-for-bit JAX's recipe:
 * mantissa bits under exponent 0, minus 1); float64 takes 53 bits, all of the high word and the top
 * 21 bits of the low word (JAX keeps 52), so every multiple of 2^-53 in [0, 1) is equally likely.
 */
export function unitFloats(words: KeyWords, count: number, dtype: 'float32' | 'float64'): Float64Array {
  const out = new Float64Array(count);
  if (dtype === 'float32') {
    const b = bits32(words, count);
    for (let i = 0; i < count; i++) out[i] = (b[i]! >>> 9) * TWO_M23;
  } else {
    const { hi, lo } = counterWords(words, count);
    for (let i = 0; i < count; i++) out[i] = (hi[i]! * 2097152 + (lo[i]! >>> 11)) * TWO_M53;
  }
  return out;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Largest float32 strictly below `x` (x finite and positive or negative, not the smallest). */
export function prevFloat32(x: number): number {
  f32[0] = x;
  if (f32[0] === 0) return -(2 ** -149);
  i32[0] += f32[0] > 0 ? -1 : 1;
  return f32[0];
}

/** Smallest float32 strictly above `x`. */
export function nextFloat32(x: number): number {
  return -prevFloat32(-x);
}

/** Largest float64 strictly below `x`. */
export function prevFloat64(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const d = new Float64Array([x]);
  const b = new BigInt64Array(d.buffer);
  b[0] = b[0]! + (x > 0 ? -1n : 1n);
  return d[0]!;
}

export function nextFloat64(x: number): number {
  return -prevFloat64(-x);
}

/**
 * Maps unit floats to [minval, maxval) in `dtype` arithmetic, as JAX does (`u * (max - min) + min`,
 * float32 rounding after each step), then keeps rounding from reaching `maxval`.
 */
export function scaleUnit(u: Float64Array, minval: number, maxval: number, dtype: 'float32' | 'float64'): Float64Array {
  if (dtype === 'float32') {
    const lo = Math.fround(minval);
    const hi = Math.fround(maxval);
    const span = Math.fround(hi - lo);
    const top = prevFloat32(hi);
    for (let i = 0; i < u.length; i++) {
      const v = Math.fround(Math.fround(u[i]! * span) + lo);
      u[i] = v < lo ? lo : v >= hi ? top : v;
    }
  } else {
    const span = maxval - minval;
    const top = prevFloat64(maxval);
    for (let i = 0; i < u.length; i++) {
      const v = u[i]! * span + minval;
      u[i] = v < minval ? minval : v >= maxval ? top : v;
    }
  }
  return u;
}

/**
 * Options of `random.uniform`.
 *
 * @example
 * ```ts
 * import { random, type UniformOptions } from '@difflab/tensor';
 * const opts: UniformOptions = { minval: -1, maxval: 1, dtype: 'float64' };
 * random.uniform(random.key(0), [2], opts).dtype; // => 'float64'
 * ```
 */
export interface UniformOptions {
  /** Inclusive lower bound (default 0). */
  minval?: number;
  /** Exclusive upper bound (default 1). */
  maxval?: number;
  /** float32 (default) or float64. */
  dtype?: 'float32' | 'float64';
  /** Device of the result (default: the default device). */
  device?: string;
}

/**
 * Uniform samples in `[minval, maxval)` of the given shape, like `jax.random.uniform`.
 *
 * float32 samples are bit-for-bit `jax.random.uniform` (default Threefry, partitionable bits,
 * JAX >= 0.5): e.g. `uniform(key(0), [3])` is `[0.947667, 0.9785799, 0.33229148]`. float64 samples
 * carry 53 random bits (JAX's carry 52, so they differ in the last bit).
 *
 * @param key - a random key.
 * @param shape - the result shape (default `[]`, a scalar).
 * @param opts - `minval` (default 0), `maxval` (default 1), `dtype`, `device`.
 * @returns the samples.
 * @throws {ValueError} when `minval >= maxval` (or they round to the same float32).
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * random.uniform(random.key(0), [3]).toArray(); // => [0.9477, 0.9786, 0.3323]
 * random.uniform(random.key(0), [2], { minval: -1, maxval: 1 }).toArray(); // => [0.8953, 0.9572]
 * ```
 */
export function uniform(key: Tensor, shape: readonly number[] = [], opts: UniformOptions = {}): Tensor {
  const op = 'random.uniform';
  const words = keyWords(op, key);
  const s = sampleShape(op, shape);
  const dtype = floatDType(op, opts.dtype);
  const minval = finiteNumber(op, 'minval', opts.minval ?? 0);
  const maxval = finiteNumber(op, 'maxval', opts.maxval ?? 1);
  if (!Number.isFinite(minval) || !Number.isFinite(maxval) || !(minval < maxval))
    throw new ValueError(`${op}: need finite minval < maxval, got minval=${minval}, maxval=${maxval}`);
  if (dtype === 'float32' && !(Math.fround(minval) < Math.fround(maxval)))
    throw new ValueError(`${op}: minval=${minval} and maxval=${maxval} round to the same float32; use dtype 'float64'`);
  const u = scaleUnit(unitFloats(words, sizeOf(s), dtype), minval, maxval, dtype);
  return fromTypedArray(dtype === 'float32' ? Float32Array.from(u) : u, s, { dtype, device: deviceOf(opts) });
}
