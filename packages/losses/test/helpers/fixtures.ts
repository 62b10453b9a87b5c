import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { fromTypedArray, type Tensor } from '@difflab/tensor';

export interface Encoded {
  dtype: 'float32' | 'float64' | 'int32';
  shape: number[];
  data: (number | string)[];
}

export function loadFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

export function decode(v: number | string): number {
  if (typeof v === 'number') return v;
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  throw new Error(`bad fixture number ${v}`);
}

export function fromEncoded(e: Encoded): Tensor {
  const data = e.data.map(decode);
  const arr =
    e.dtype === 'int32'
      ? Int32Array.from(data)
      : e.dtype === 'float32'
        ? Float32Array.from(data)
        : Float64Array.from(data);
  return fromTypedArray(arr, e.shape, { dtype: e.dtype });
}

/** Compares element-wise with |a - b| <= tol * (1 + |b|); NaN and infinities must match exactly. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = ''): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      if (!Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b)))
        expect.fail(`${what}[${i}]: got ${a}, expected ${b}`);
      continue;
    }
    if (!(Math.abs(a - b) <= tol * (1 + Math.abs(b))))
      expect.fail(`${what}[${i}]: got ${a}, expected ${b} (tol ${tol})`);
  }
}

export function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}
