import { afterAll, describe, expect, it } from 'vitest';
import { exp, fromTypedArray, relu, setCpuKernels, sigmoid, tanh, type Tensor } from '../src/index.js';
import { getKernelMode } from '../src/backend/wasm/runtime.js';

/*
 * The SIMD float32 exp / sigmoid / tanh against the float64 functions rounded to float32, in
 * units in the last place (ulp) of the float32 result: random arguments over the whole useful
 * range, the branch points (|x| = 0.35 for tanh, the exp range reduction at multiples of ln 2),
 * the subnormal and overflow ends, and the special values.
 */

const initialMode = getKernelMode();
afterAll(() => setCpuKernels(initialMode));

function rand(n: number, seed: number, lo: number, hi: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(lo + (hi - lo) * (s / 2 ** 32));
  }
  return out;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** Signed distance in float32 steps between two float32 values (monotone integer mapping). */
function ulps(a: number, b: number): number {
  const key = (v: number) => {
    f32[0] = v;
    const u = u32[0]!;
    return u & 0x80000000 ? -(u & 0x7fffffff) : u;
  };
  return Math.abs(key(a) - key(b));
}

function sigmoid64(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

const cases: [string, (t: Tensor) => Tensor, (x: number) => number, number, number][] = [
  ['exp', exp, Math.exp, -103, 88.7],
  ['sigmoid', sigmoid, sigmoid64, -60, 60],
  ['tanh', tanh, Math.tanh, -12, 12],
];

const special = [
  0, -0, 1e-30, -1e-30, 1e-7, -1e-7, 0.34999, 0.35, 0.35001, -0.35, 0.6931472, -0.6931472, 10.3972, -87.3, -100, -103.2,
  88.72, 88.73, 200, -200,
];

describe('wasm float32 transcendental kernels', () => {
  for (const [name, op, ref, lo, hi] of cases) {
    it(`${name}: within 3 ulp of the rounded float64 function (measured: exp 1, sigmoid 2, tanh 2)`, () => {
      const xs = Float32Array.from([...rand(20001, name.length, lo, hi), ...rand(2000, 7, -1, 1), ...special]);
      setCpuKernels('wasm');
      const got = op(fromTypedArray(xs, [xs.length])).dataSync();
      let worst = 0;
      let at = 0;
      for (let i = 0; i < xs.length; i++) {
        const want = Math.fround(ref(xs[i]!));
        const d = ulps(got[i]!, want);
        if (d > worst) [worst, at] = [d, xs[i]!];
      }
      expect(worst, `${name}(${at})`).toBeLessThanOrEqual(3);
    });
  }

  it('tanh and sigmoid over magnitudes 1e-12 .. 1e2 of both signs stay within 2 ulp', () => {
    const vals: number[] = [];
    let s = 12345;
    for (let i = 0; i < 20000; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const u = s / 2 ** 32;
      vals.push((u < 0.5 ? -1 : 1) * Math.pow(10, -12 + 14 * ((u * 2) % 1)));
    }
    const xs = Float32Array.from(vals);
    setCpuKernels('wasm');
    const t = tanh(fromTypedArray(xs, [xs.length])).dataSync();
    const sg = sigmoid(fromTypedArray(xs, [xs.length])).dataSync();
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      worst = Math.max(
        worst,
        ulps(t[i]!, Math.fround(Math.tanh(xs[i]!))),
        ulps(sg[i]!, Math.fround(sigmoid64(xs[i]!))),
      );
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('special values', () => {
    setCpuKernels('wasm');
    const xs = Float32Array.from([NaN, Infinity, -Infinity, 0, -0, 100, -150]);
    const e = exp(fromTypedArray(xs, [7])).dataSync();
    expect(Array.from(e)).toEqual([NaN, Infinity, 0, 1, 1, Infinity, 0]);
    const s = sigmoid(fromTypedArray(xs, [7])).dataSync();
    expect(Array.from(s)).toEqual([NaN, 1, 0, 0.5, 0.5, 1, 0]);
    const t = tanh(fromTypedArray(xs, [7])).dataSync();
    expect(Array.from(t)).toEqual([NaN, 1, -1, 0, -0, 1, -1]);
    expect(Object.is(t[4], -0)).toBe(true);
    // Subnormal results of exp are kept, not flushed to zero.
    expect(exp(fromTypedArray(Float32Array.from([-100, -102, -102, -102, -102]), [5])).dataSync()[0]).toBe(
      Math.fround(Math.exp(-100)),
    );
  });

  it('odd lengths, offsets and the reference fallback for strided views', () => {
    setCpuKernels('wasm');
    const base = fromTypedArray(Float32Array.from(rand(1003, 3, -5, 5)), [1003]);
    const view = base.slice('1:');
    const got = tanh(view).dataSync();
    setCpuKernels('ts');
    const ref = tanh(view).dataSync();
    setCpuKernels('wasm');
    for (let i = 0; i < ref.length; i++) expect(ulps(got[i]!, ref[i]!)).toBeLessThanOrEqual(3);
    const strided = base.slice('::2');
    expect(Array.from(exp(strided).dataSync())).toEqual(
      Array.from(strided.dataSync(), (v) => Math.fround(Math.exp(v))),
    );
  });

  it('relu matches the TS kernel bitwise: NaN and -0 give +0, odd lengths, offset views', () => {
    const vals = [NaN, -0, 0, -Infinity, Infinity, 1e-45, -1e-45, 3e38, -3e38, 0.5, -0.5];
    const n = 4099;
    const d = new Float32Array(n);
    for (let i = 0; i < n; i++) d[i] = i < vals.length ? vals[i]! : Math.sin(i) * 10 ** ((i % 9) - 4);
    const x = fromTypedArray(d, [n]);
    const bitsOf = (t: Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));
    for (const v of [x, x.slice('3:')]) {
      setCpuKernels('wasm');
      const w = bitsOf(relu(v));
      setCpuKernels('ts');
      const r = bitsOf(relu(v));
      setCpuKernels('wasm');
      expect(w).toEqual(r);
    }
    setCpuKernels('wasm');
    expect(Array.from(relu(x).dataSync().slice(0, vals.length))).toEqual([0, 0, 0, 0, Infinity, 1e-45, 0, 3e38, 0, 0.5, 0].map(Math.fround));
    expect(Object.is(relu(x).dataSync()[1], 0)).toBe(true);
  });
});
