import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  add,
  div,
  equal,
  fromTypedArray,
  greater,
  greaterEqual,
  less,
  lessEqual,
  maximum,
  minimum,
  mul,
  notEqual,
  scalar,
  setCpuKernels,
  cpuKernels,
  type CpuKernelMode,
  sub,
  transpose,
  where,
  type Tensor,
} from '../src/index.js';

/*
 * The CPU backend has specialised loops for contiguous operands, for a contiguous tensor with a
 * broadcast scalar on either side, and for `where` with scalar branches. Each must agree bit for
 * bit with the generic strided loop, which is reached here by feeding the same values through a
 * transposed (non-contiguous) view. Values include NaN, ±0 and ±Infinity.
 */

const SPECIAL = [NaN, 0, -0, 1, -1, 2.5, -2.5, Infinity, -Infinity, 1e-30, 3];
const ROWS = 4;
const COLS = 8;

function values(seed: number): Float32Array {
  const out = new Float32Array(ROWS * COLS);
  for (let i = 0; i < out.length; i++) out[i] = SPECIAL[(i * 7 + seed) % SPECIAL.length]!;
  return out;
}

/** The same [ROWS, COLS] values, once dense and once as a transposed view (generic path). */
function pair(data: Float32Array): [Tensor, Tensor] {
  const dense = fromTypedArray(data, [ROWS, COLS]);
  const t = new Float32Array(data.length);
  for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) t[j * ROWS + i] = data[i * COLS + j]!;
  const strided = transpose(fromTypedArray(t, [COLS, ROWS]));
  expect(strided.strides).toEqual([1, ROWS]);
  return [dense, strided];
}

function same(fast: Tensor, generic: Tensor): void {
  expect(fast.dtype).toBe(generic.dtype);
  const a = Array.from(fast.dataSync());
  const b = Array.from(generic.dataSync());
  expect(a.length).toBe(b.length);
  // Object.is distinguishes -0 from 0 and treats NaN as equal to itself.
  a.forEach((v, i) => expect(Object.is(v, b[i]), `element ${i}: ${v} vs ${b[i]}`).toBe(true));
}

const OPS = { add, sub, mul, div, maximum, minimum, greater, greaterEqual, less, lessEqual, equal, notEqual };

describe('cpu elementwise fast paths agree with the strided loop', () => {
  for (const [name, op] of Object.entries(OPS)) {
    it(`${name}: tensor-tensor, tensor-scalar and scalar-tensor`, () => {
      const [x, xs] = pair(values(0));
      const [y, ys] = pair(values(3));
      same(op(x, y), op(xs, ys));
      for (const s of [0, -0, 2.5, -1, NaN, Infinity]) {
        same(op(x, s), op(xs, s));
        same(op(s, x), op(s, xs));
        // A 0-d tensor broadcast the same way as a JS number.
        same(op(x, scalar(s)), op(xs, scalar(s)));
        same(op(scalar(s), x), op(scalar(s), xs));
      }
    });
  }

  it('maximum/minimum propagate NaN from either side (NumPy semantics)', () => {
    const x = fromTypedArray(new Float32Array([1, NaN, -2, 0]), [4]);
    expect(Array.from(maximum(x, 0).dataSync())).toEqual([1, NaN, 0, 0]);
    expect(Array.from(minimum(x, 0).dataSync())).toEqual([0, NaN, -2, 0]);
    expect(Array.from(maximum(x, NaN).dataSync())).toEqual([NaN, NaN, NaN, NaN]);
    expect(Array.from(minimum(NaN, x).dataSync())).toEqual([NaN, NaN, NaN, NaN]);
  });

  it('comparisons with a scalar give bool tensors with 0/1 values', () => {
    const x = fromTypedArray(new Float32Array([-1, 0, 2, NaN]), [4]);
    const gt = greater(x, 0);
    expect(gt.dtype).toBe('bool');
    expect(gt.toArray()).toEqual([false, false, true, false]);
    expect(less(0, x).toArray()).toEqual([false, false, true, false]);
    expect(notEqual(x, NaN).toArray()).toEqual([true, true, true, true]);
  });

  it('where with tensor or scalar branches', () => {
    const [x, xs] = pair(values(1));
    const [y, ys] = pair(values(5));
    const c = greater(x, 0);
    const cs = greater(xs, 0);
    expect(c.strides).toEqual([COLS, 1]);
    same(where(c, x, y), where(cs, xs, ys));
    same(where(c, x, 0), where(cs, xs, 0));
    same(where(c, -0, y), where(cs, -0, ys));
    same(where(c, 1.5, -1.5), where(cs, 1.5, -1.5));
  });

  it('float64 and int32 operands take the same paths', () => {
    const d = fromTypedArray(new Float64Array([0.1, -0.2, 0.3]), [3]);
    expect(Array.from(add(d, 0.1).dataSync())).toEqual([0.1 + 0.1, -0.2 + 0.1, 0.3 + 0.1]);
    expect(Array.from(sub(1, d).dataSync())).toEqual([1 - 0.1, 1 + 0.2, 1 - 0.3]);
    const i = fromTypedArray(new Int32Array([7, -7, 3]), [3]);
    expect(Array.from(mul(i, 3).dataSync())).toEqual([21, -21, 9]);
    expect(i.dtype).toBe('int32');
    expect(Array.from(sub(10, i).dataSync())).toEqual([3, 17, 7]);
    expect(greater(i, 0).toArray()).toEqual([true, false, true]);
  });
});

describe('float32 tanh and sigmoid', () => {
  // These bounds are for the TypeScript float32 paths in backend/cpu/elementwise.ts; the
  // WebAssembly SIMD kernels have their own (2 ulp) in wasm-unary.test.ts.
  let mode: CpuKernelMode = 'auto';
  beforeAll(() => {
    mode = cpuKernels().mode;
    setCpuKernels('ts');
  });
  afterAll(() => setCpuKernels(mode));
  /** Values spread over many magnitudes plus the special cases. */
  function inputs(): Float32Array {
    const vals: number[] = [
      NaN,
      0,
      -0,
      Infinity,
      -Infinity,
      20,
      -20,
      20.5,
      -20.5,
      1e-30,
      -1e-30,
      88,
      -88,
      100,
      -100,
      800,
      -800,
    ];
    let s = 12345;
    for (let i = 0; i < 20000; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const u = s / 2 ** 32;
      vals.push((u < 0.5 ? -1 : 1) * Math.pow(10, -12 + 14 * ((u * 2) % 1)));
    }
    return new Float32Array(vals);
  }

  function ulpsApart(a: number, b: number): number {
    if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
    if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
    const f = new Float32Array([a, b]);
    const i = new Int32Array(f.buffer);
    // Map the sign-magnitude bit patterns onto a monotonic integer line.
    const key = (k: number) => (k < 0 ? -0x80000000 - k : k);
    return Math.abs(key(i[0]!) - key(i[1]!));
  }

  it('tanh matches Math.tanh rounded to float32 within 1 ulp, keeping -0, ±1 and NaN', () => {
    const x = inputs();
    const got = fromTypedArray(x, [x.length]).tanh().dataSync();
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulpsApart(got[i]!, Math.fround(Math.tanh(x[i]!))));
    expect(worst).toBeLessThanOrEqual(1);
    expect(Object.is(got[2], -0)).toBe(true);
    expect([got[3], got[4]]).toEqual([1, -1]);
    expect(Number.isNaN(got[0]!)).toBe(true);
  });

  it('sigmoid matches the two-branch stable formula rounded to float32 within 1 ulp', () => {
    const x = inputs();
    const got = fromTypedArray(x, [x.length]).sigmoid().dataSync();
    const ref = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const r = Number.isNaN(x[i]!) ? NaN : ref(x[i]!);
      worst = Math.max(worst, ulpsApart(got[i]!, Math.fround(r)));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect([got[3], got[4]]).toEqual([1, 0]);
    expect(Number.isNaN(got[0]!)).toBe(true);
  });
});
