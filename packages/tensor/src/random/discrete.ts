import { isFloat } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { add, less } from '../ops/binary.js';
import { fromTypedArray } from '../ops/creation.js';
import { gather } from '../ops/indexing.js';
import { argmax } from '../ops/reduce.js';
import { broadcastShapes, normalizeAxis, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { deviceOf, finiteNumber, keyWords, sampleShape } from './checks.js';
import { gumbelValues } from './gumbel.js';
import { bits32, childKey, type KeyWords } from './threefry.js';
import { unitFloats } from './uniform.js';

/** True when `from` broadcasts to exactly `to`. */
function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  try {
    return shapesEqual(broadcastShapes('random', from, to), to);
  } catch {
    return false;
  }
}

/**
 * Bernoulli samples (`true` with probability `p`) as a bool tensor, `uniform < p` like
 * `jax.random.bernoulli`.
 *
 * `p` is a number in [0, 1] or a float tensor of probabilities, which broadcasts to `shape`
 * (default: `p`'s shape, or a scalar). Tensor probabilities are range-checked when their device can
 * be read synchronously; the comparison runs on `p`'s device.
 *
 * @param key - a random key.
 * @param p - the probability of `true` (default 0.5).
 * @param shape - the result shape.
 * @param opts - `device` (for a number `p`).
 * @returns a bool tensor.
 * @throws {ValueError} for probabilities outside [0, 1].
 * @throws {ShapeError} when a tensor `p` does not broadcast to `shape`.
 *
 * @example
 * ```ts
 * import { random, tensor } from '@difflab/tensor';
 * random.bernoulli(random.key(0), 0.5, [4]).toArray(); // => [false, false, true, true]
 * random.bernoulli(random.key(0), tensor([0, 1])).toArray(); // => [false, true]
 * random.bernoulli(random.key(0), 1.5); // throws ValueError
 * ```
 */
export function bernoulli(key: Tensor, p: number | Tensor = 0.5, shape?: readonly number[], opts: { device?: string } = {}): Tensor {
  const op = 'random.bernoulli';
  const words = keyWords(op, key);
  if (p instanceof Tensor) {
    if (!isFloat(p.dtype)) throw new DTypeError(`${op}: p must be a float tensor of probabilities, got ${p.dtype} of shape ${fmtShape(p.shape)}`);
    const s = shape === undefined ? [...p.shape] : sampleShape(op, shape);
    if (!broadcastsTo(p.shape, s)) throw new ShapeError(`${op}: p of shape ${fmtShape(p.shape)} does not broadcast to shape ${fmtShape(s)}`);
    if (p.storage.backend.readSync) {
      const d = p.dataSync();
      for (let i = 0; i < d.length; i++)
        if (!(d[i]! >= 0 && d[i]! <= 1)) throw new ValueError(`${op}: probabilities must lie in [0, 1], got ${d[i]} in p of shape ${fmtShape(p.shape)}`);
    }
    const dtype = p.dtype as 'float32' | 'float64';
    const u = unitFloats(words, sizeOf(s), dtype);
    const ut = fromTypedArray(dtype === 'float32' ? Float32Array.from(u) : u, s, { dtype, device: p.device });
    return less(ut, p);
  }
  const prob = finiteNumber(op, 'p', p);
  if (!(prob >= 0 && prob <= 1)) throw new ValueError(`${op}: p must lie in [0, 1], got ${prob}`);
  const s = sampleShape(op, shape ?? []);
  const u = unitFloats(words, sizeOf(s), 'float32');
  const pf = Math.fround(prob);
  const out = new Uint8Array(u.length);
  for (let i = 0; i < u.length; i++) out[i] = u[i]! < pf ? 1 : 0;
  return fromTypedArray(out, s, { dtype: 'bool', device: deviceOf(opts) });
}

/**
 * Options of `random.categorical`.
 *
 * @example
 * ```ts
 * import { random, tensor, type CategoricalOptions } from '@difflab/tensor';
 * const opts: CategoricalOptions = { shape: [5, 2] }; // 5 draws for each of 2 rows
 * random.categorical(random.key(0), tensor([[0, 1], [1, 0]]), opts).shape; // => [5, 2]
 * ```
 */
export interface CategoricalOptions {
  /** Axis of `logits` that indexes the categories (default -1). */
  axis?: number;
  /**
   * Result shape; must end with (a shape the batch shape broadcasts to): leading extra dimensions
   * draw independent samples. Default: `logits.shape` without `axis`.
   */
  shape?: readonly number[];
}

/**
 * Samples category indices (int32) from unnormalized log-probabilities, like
 * `jax.random.categorical` (or `torch.distributions.Categorical(logits=...).sample()`).
 *
 * Uses the Gumbel-max trick, `argmax(logits + gumbel)` along `axis`. `-Infinity` logits are never
 * drawn. Runs on the logits' device.
 *
 * @param key - a random key.
 * @param logits - float log-probabilities (up to a constant) with categories along `axis`.
 * @param opts - `axis` (default -1), `shape`.
 * @returns int32 indices of shape `opts.shape` (default: logits' shape without `axis`).
 * @throws {ShapeError} when `shape` does not end with a shape the batch shape broadcasts to.
 * @throws {DTypeError} for non-float logits.
 *
 * @example
 * ```ts
 * import { random, tensor } from '@difflab/tensor';
 * const logits = tensor([[0, -Infinity], [-Infinity, 0]]);
 * random.categorical(random.key(0), logits).toArray(); // => [0, 1]
 * random.categorical(random.key(0), tensor([0, Math.log(3)]), { shape: [1000] }).shape; // => [1000]
 * ```
 */
export function categorical(key: Tensor, logits: Tensor, opts: CategoricalOptions = {}): Tensor {
  const op = 'random.categorical';
  const words = keyWords(op, key);
  if (!(logits instanceof Tensor)) throw new ValueError(`${op}: logits must be a Tensor, got ${logits === null ? 'null' : typeof logits}`);
  if (!isFloat(logits.dtype)) throw new DTypeError(`${op}: logits must be float32 or float64, got ${logits.dtype} of shape ${fmtShape(logits.shape)}`);
  if (logits.ndim === 0 || logits.size === 0) throw new ShapeError(`${op}: logits must have at least one category, got shape ${fmtShape(logits.shape)}`);
  const ax = normalizeAxis(op, opts.axis ?? -1, logits.ndim, logits.shape) - logits.ndim;
  const batch = logits.shape.filter((_, i) => i !== logits.ndim + ax);
  const shape = opts.shape === undefined ? batch : sampleShape(op, opts.shape);
  const tail = shape.slice(shape.length - batch.length);
  if (shape.length < batch.length || !broadcastsTo(batch, tail))
    throw new ShapeError(`${op}: shape ${fmtShape(shape)} is not compatible with the batch shape ${fmtShape(batch)} of logits ${fmtShape(logits.shape)}`);
  const prefix = shape.slice(0, shape.length - batch.length);
  const noiseShape = [...prefix, ...tail];
  noiseShape.splice(noiseShape.length + ax + 1, 0, logits.shape[logits.ndim + ax]!);
  const dtype = logits.dtype as 'float32' | 'float64';
  const g = gumbelValues(words, sizeOf(noiseShape), dtype);
  const noise = fromTypedArray(dtype === 'float32' ? Float32Array.from(g) : g, noiseShape, { dtype, device: logits.device });
  return argmax(add(noise, logits), ax);
}

function int32Bound(op: string, name: string, v: unknown, max = 2 ** 31 - 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v > max)
    throw new ValueError(`${op}: ${name} must be an integer in the int32 range, got ${String(v)}`);
  return v;
}

/** `a * b mod m` for integers `a, b < m <= 2^32` without losing bits to float64 rounding. */
function mulMod(a: number, b: number, m: number): number {
  const bh = Math.floor(b / 65536);
  const bl = b % 65536;
  return ((((a * bh) % m) * 65536) % m + ((a * bl) % m)) % m;
}

/**
 * Uniform integers in `[minval, maxval)` (int32), like `jax.random.randint` / `torch.randint`.
 *
 * As in JAX, two 32-bit draws per element (from the two halves of a split key) are reduced modulo
 * the span; here the 64-bit value is reduced exactly, so the bias is at most span / 2^64. Matches
 * JAX's arithmetic for spans up to 2^16.
 *
 * @param key - a random key.
 * @param shape - the result shape.
 * @param minval - inclusive lower bound (an int32).
 * @param maxval - exclusive upper bound, greater than `minval`.
 * @param opts - `device`.
 * @returns int32 samples.
 * @throws {ValueError} for non-integer bounds, bounds outside int32, or `minval >= maxval`.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * random.randint(random.key(0), [4], 0, 10).toArray(); // => [9, 0, 2, 3]
 * ```
 */
export function randint(key: Tensor, shape: readonly number[], minval: number, maxval: number, opts: { device?: string } = {}): Tensor {
  const op = 'random.randint';
  const words = keyWords(op, key);
  const s = sampleShape(op, shape);
  const lo = int32Bound(op, 'minval', minval);
  const hi = int32Bound(op, 'maxval', maxval, 2 ** 31);
  if (!(lo < hi)) throw new ValueError(`${op}: need minval < maxval, got minval=${lo}, maxval=${hi}`);
  const span = hi - lo;
  const n = sizeOf(s);
  const high = bits32(childKey(words, 0), n);
  const low = bits32(childKey(words, 1), n);
  const wrap = 4294967296 % span;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + ((mulMod(high[i]! % span, wrap, span) + (low[i]! % span)) % span);
  return fromTypedArray(out, s, { dtype: 'int32', device: deviceOf(opts) });
}

/** A uniformly random permutation of 0..n-1 by sorting on random 32-bit keys (JAX's scheme). */
function permutationIndices(words: KeyWords, n: number): Int32Array {
  let idx = Int32Array.from({ length: n }, (_, i) => i);
  // Enough sorting rounds that all sort keys are distinct with high probability (JAX's heuristic);
  // ties keep their order (stable sort) and later rounds reshuffle them.
  const rounds = Math.ceil((3 * Math.log(Math.max(1, n))) / Math.log(4294967295));
  let k: KeyWords = words;
  for (let r = 0; r < rounds; r++) {
    const sub = childKey(k, 1);
    k = childKey(k, 0);
    const sortKeys = bits32(sub, n);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => sortKeys[a]! - sortKeys[b]! || a - b);
    idx = Int32Array.from(order, (j) => idx[j]!);
  }
  return idx;
}

/**
 * A random permutation, like `jax.random.permutation` / `torch.randperm`: of `0..n-1` (int32) when
 * given a number, or of a tensor's entries along `axis` (default 0; differentiable with respect to
 * the tensor, as a gather).
 *
 * Use it to shuffle a data set: permute indices once, then gather the inputs and labels with them.
 *
 * @param key - a random key.
 * @param x - a length `n`, or the tensor to shuffle.
 * @param opts - `axis` (default 0), `device` (for a number `x`).
 * @returns the permuted indices or tensor.
 * @throws {ValueError} for a negative or non-integer `n`.
 * @throws {ShapeError} for a 0-d tensor `x`.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * random.permutation(random.key(0), 5).toArray(); // => [0, 1, 4, 3, 2]
 * random.permutation(random.key(0), 5).sort().toArray(); // => [0, 1, 2, 3, 4]
 * ```
 */
export function permutation(key: Tensor, x: number | Tensor, opts: { axis?: number; device?: string } = {}): Tensor {
  const op = 'random.permutation';
  const words = keyWords(op, key);
  if (x instanceof Tensor) {
    if (x.ndim === 0) throw new ShapeError(`${op}: x must be at least 1-D, got shape ${fmtShape(x.shape)}`);
    const ax = normalizeAxis(op, opts.axis ?? 0, x.ndim, x.shape);
    const idx = permutationIndices(words, x.shape[ax]!);
    return gather(x, fromTypedArray(idx, [idx.length], { dtype: 'int32', device: x.device }), ax);
  }
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= 2 ** 31)
    throw new ValueError(`${op}: x must be a non-negative integer or a Tensor, got ${String(x)}`);
  return fromTypedArray(permutationIndices(words, x), [x], { dtype: 'int32', device: deviceOf(opts) });
}
