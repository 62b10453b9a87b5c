/** Nested JSON arrays as written by the NumPy fixture scripts, and the error measure the FFT tests use. */
import { expect } from 'vitest';

export type Json = number | Json[];

export const flat = (x: Json): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x]);

export function shapeOf(x: Json): number[] {
  const s: number[] = [];
  for (let v: Json = x; Array.isArray(v); v = v[0]!) s.push(v.length);
  return s;
}

/** Max |a - e| over all entries, relative to 1 + max |e| (the scale of a transform's output). */
export function maxRelErr(a: ArrayLike<number>, e: ArrayLike<number>): number {
  expect(a.length).toBe(e.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < e.length; i++) {
    err = Math.max(err, Math.abs(a[i]! - e[i]!));
    scale = Math.max(scale, Math.abs(e[i]!));
  }
  return err / (1 + scale);
}
