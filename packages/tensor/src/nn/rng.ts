import { DTypeError, ValueError, fmtShape } from '../errors.js';
import { fromTypedArray, tensor } from '../ops/creation.js';
import { Tensor } from '../tensor.js';

/**
 * Randomness for nn (dropout masks, initializers) from an explicit key: an int32 tensor (any shape,
 * typically [2]) or a number seed. A counter-based hash of (key, element index), so the same key gives
 * the same numbers on every run and every device.
 */
export type NnKey = Tensor | number;

function mix(h: number): number {
  // murmur3's 32-bit finaliser: every input bit flips about half the output bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function keyWords(op: string, key: NnKey): [number, number] {
  if (typeof key === 'number') {
    if (!Number.isInteger(key)) throw new ValueError(`${op}: a numeric key (seed) must be an integer, got ${key}`);
    return [mix(key | 0), mix((Math.floor(key / 2 ** 32) | 0) ^ 0x9e3779b9)];
  }
  if (!(key instanceof Tensor))
    throw new ValueError(`${op}: key must be an int32 Tensor or an integer seed, got ${typeof key}`);
  if (key.dtype !== 'int32')
    throw new DTypeError(`${op}: key must be an int32 tensor, got ${key.dtype} of shape ${fmtShape(key.shape)}`);
  if (key.size === 0) throw new ValueError(`${op}: key of shape ${fmtShape(key.shape)} is empty`);
  const d = key.dataSync();
  let a = 0x243f6a88;
  let b = 0x85a308d3;
  for (let i = 0; i < d.length; i++) {
    a = mix(a ^ d[i]!);
    b = mix((b + Math.imul(d[i]!, 0x9e3779b9)) | 0);
  }
  return [a, b];
}

/** 32 random bits for element `i` of stream (a, b). */
function bits(a: number, b: number, i: number): number {
  return mix(mix((i + a) | 0) ^ b);
}

/** `n` independent int32 keys derived from `key` (`random.split`). */
export function splitKey(key: NnKey, n: number, op = 'split'): Tensor[] {
  const [a, b] = keyWords(op, key);
  const out: Tensor[] = [];
  for (let i = 0; i < n; i++) out.push(tensor([bits(a, b, 2 * i) | 0, bits(b, a, 2 * i + 1) | 0], { dtype: 'int32' }));
  return out;
}

/** Uniform values in [0, 1) with 53 random bits (float64) or 24 (float32). */
function unitUniform(op: string, key: NnKey, n: number, dtype: 'float32' | 'float64'): Float64Array {
  const [a, b] = keyWords(op, key);
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hi = bits(a, b, 2 * i);
    if (dtype === 'float32') u[i] = (hi >>> 8) / 2 ** 24;
    else u[i] = ((hi >>> 5) * 2 ** 26 + (bits(b, a, 2 * i + 1) >>> 6)) / 2 ** 53;
  }
  return u;
}

function count(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
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
  const u = unitUniform(op, key, count(shape), dtype);
  for (let i = 0; i < u.length; i++) u[i] = lo + (hi - lo) * u[i]!;
  return fromTypedArray(u, shape, { dtype, device });
}

/** Standard normal values (Box–Muller on pairs of uniforms). */
export function normal(
  op: string,
  key: NnKey,
  shape: readonly number[],
  dtype: 'float32' | 'float64',
  std = 1,
  device?: string,
): Tensor {
  const n = count(shape);
  const u = unitUniform(op, key, n + (n % 2), 'float64');
  const z = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u[i]!));
    const t = 2 * Math.PI * u[i + 1]!;
    z[i] = std * r * Math.cos(t);
    if (i + 1 < n) z[i + 1] = std * r * Math.sin(t);
  }
  return fromTypedArray(z, shape, { dtype, device });
}

/** Boolean mask, true with probability `p` independently per element. */
export function bernoulli(op: string, key: NnKey, p: number, shape: readonly number[], device?: string): Tensor {
  const u = unitUniform(op, key, count(shape), 'float32');
  const m = new Uint8Array(u.length);
  for (let i = 0; i < u.length; i++) m[i] = u[i]! < p ? 1 : 0;
  return fromTypedArray(m, shape, { dtype: 'bool', device });
}
