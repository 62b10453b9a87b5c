import { ValueError } from '../errors.js';
import { fromTypedArray } from '../ops/creation.js';
import { sizeOf } from '../shape.js';
import { erfinv } from '../special.js';
import type { Tensor } from '../tensor.js';
import { deviceOf, finiteNumber, floatDType, keyWords, sampleShape } from './checks.js';
import { ndtr, ndtri } from './ndtri.js';
import { nextFloat32, nextFloat64, prevFloat32, prevFloat64, scaleUnit, unitFloats } from './uniform.js';

/**
 * Options of `random.normal`.
 *
 * @example
 * ```ts
 * import { random, type NormalOptions } from '@difflab/tensor';
 * const opts: NormalOptions = { mean: 10, std: 2 };
 * random.normal(random.key(0), [2], opts).toArray(); // => [13.2453, 14.0505]
 * ```
 */
export interface NormalOptions {
  /** Mean (default 0). */
  mean?: number;
  /** Standard deviation, finite and >= 0 (default 1). */
  std?: number;
  /** float32 (default) or float64. */
  dtype?: 'float32' | 'float64';
  /** Device of the result (default: the default device). */
  device?: string;
}

function pack(values: Float64Array, shape: number[], dtype: 'float32' | 'float64', device: string): Tensor {
  return fromTypedArray(dtype === 'float32' ? Float32Array.from(values) : values, shape, { dtype, device });
}

/**
 * Normal samples `mean + std * z`, like `jax.random.normal` (or `torch.normal`).
 *
 * Drawn by inverse transform, as JAX does: `z = sqrt(2) erfinv(u)` with `u` uniform on `(-1, 1)`
 * (drawn like {@link uniform} in the output dtype; erfinv evaluated in float64). One uniform per
 * sample, so element `i` depends only on the key and `i`.
 *
 * @param key - a random key.
 * @param shape - the result shape (default `[]`).
 * @param opts - `mean` (default 0), `std` (default 1), `dtype`, `device`.
 * @returns the samples.
 * @throws {ValueError} for a negative or non-finite std or mean.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * random.normal(random.key(0), [3]).toArray(); // => [1.6226, 2.0253, -0.4336]
 * random.normal(random.key(0), [2, 2], { dtype: 'float64' }).dtype; // => 'float64'
 * ```
 */
export function normal(key: Tensor, shape: readonly number[] = [], opts: NormalOptions = {}): Tensor {
  const op = 'random.normal';
  const words = keyWords(op, key);
  const s = sampleShape(op, shape);
  const dtype = floatDType(op, opts.dtype);
  const mean = finiteNumber(op, 'mean', opts.mean ?? 0);
  const std = finiteNumber(op, 'std', opts.std ?? 1);
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0)
    throw new ValueError(`${op}: need a finite mean and a finite std >= 0, got mean=${mean}, std=${std}`);
  // The open interval (-1, 1): the lower end is the float just above -1 in the output dtype.
  const lo = dtype === 'float32' ? nextFloat32(-1) : nextFloat64(-1);
  const u = scaleUnit(unitFloats(words, sizeOf(s), dtype), lo, 1, dtype);
  for (let i = 0; i < u.length; i++) u[i] = mean + std * (Math.SQRT2 * erfinv(u[i]!));
  return pack(u, s, dtype, deviceOf(opts));
}

/**
 * Standard normal samples conditioned on `lower < z < upper` (either bound may be infinite), like
 * `jax.random.truncated_normal`.
 *
 * Computed by inverting the CDF in float64: `z = Phi^-1(Phi(a) + u (Phi(b) - Phi(a)))`, evaluated
 * from whichever tail keeps relative precision, so intervals far in a tail (up to about 37
 * standard deviations) are sampled accurately. Results lie strictly inside (lower, upper) in the
 * output dtype. Scale and shift the result for other means and deviations.
 *
 * @param key - a random key.
 * @param lower - lower bound (may be `-Infinity`).
 * @param upper - upper bound (may be `Infinity`), greater than `lower`.
 * @param shape - the result shape (default `[]`).
 * @param opts - `dtype`, `device`.
 * @returns the samples.
 * @throws {ValueError} when `lower >= upper` or the interval has no representable mass.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * random.truncatedNormal(random.key(0), -1, 1, [3]).toArray(); // => [-0.14, -0.5063, 0.9065]
 * random.truncatedNormal(random.key(0), 1, -1); // throws ValueError
 * ```
 */
export function truncatedNormal(
  key: Tensor,
  lower: number,
  upper: number,
  shape: readonly number[] = [],
  opts: { dtype?: 'float32' | 'float64'; device?: string } = {},
): Tensor {
  const op = 'random.truncatedNormal';
  const words = keyWords(op, key);
  const a = finiteNumber(op, 'lower', lower);
  const b = finiteNumber(op, 'upper', upper);
  if (!(a < b)) throw new ValueError(`${op}: need lower < upper, got lower=${a}, upper=${b}`);
  const s = sampleShape(op, shape);
  const dtype = floatDType(op, opts.dtype);
  const pa = ndtr(a);
  const pb = ndtr(b);
  const qa = ndtr(-a);
  const qb = ndtr(-b);
  const mass = Math.max(pb - pa, qa - qb);
  if (!(mass > 0) || pb < 1e-300 || qa < 1e-300)
    throw new ValueError(`${op}: the interval (${a}, ${b}) has no representable probability mass under a standard normal`);
  const u = unitFloats(words, sizeOf(s), 'float64');
  for (let i = 0; i < u.length; i++) {
    const p = pa + u[i]! * (pb - pa);
    // Upper half: invert the survival function so small upper-tail masses keep their precision.
    u[i] = p <= 0.5 ? ndtri(p) : -ndtri(qa - u[i]! * (qa - qb));
  }
  const [next, prev, round] = dtype === 'float32' ? [nextFloat32, prevFloat32, Math.fround] : [nextFloat64, prevFloat64, (v: number) => v];
  const lo = Number.isFinite(a) ? next(round(a) > a ? prev(round(a)) : round(a)) : -Infinity;
  const hi = Number.isFinite(b) ? prev(round(b) < b ? next(round(b)) : round(b)) : Infinity;
  for (let i = 0; i < u.length; i++) u[i] = Math.min(Math.max(round(u[i]!), lo), hi);
  return pack(u, s, dtype, deviceOf(opts));
}
