import { afterAll, describe, expect, it } from 'vitest';
import { fromTypedArray, logsumexp, max, mean, min, setCpuKernels, softmax, sum, type Tensor } from '../src/index.js';
import { getKernelMode } from '../src/backend/wasm/runtime.js';
import { wasmReduce } from '../src/backend/wasm/reduction.js';

/*
 * The SIMD sum / max / min over trailing or leading axes against the TypeScript reference
 * kernels: row lengths around the 4-vector block (tails of every length), column counts around
 * the vector width, float32 and float64, the special values, every-axis, last-axis and batch-axis
 * reductions, and the views and axis sets that must fall back.
 */

const initialMode = getKernelMode();
afterAll(() => setCpuKernels(initialMode));

function data(n: number, seed: number, f64 = false): Float32Array | Float64Array {
  let s = seed >>> 0;
  const out = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * 10 ** ((i % 5) - 2);
  }
  return out;
}

function both(f: () => Tensor): [Float64Array, Float64Array] {
  setCpuKernels('wasm');
  const w = Float64Array.from(f().dataSync());
  setCpuKernels('ts');
  const r = Float64Array.from(f().dataSync());
  setCpuKernels('wasm');
  return [w, r];
}

/** Equal up to the rounding of a float64 sum of n terms (relative to the sum of |x|), NaN to NaN. */
function close(w: Float64Array, r: Float64Array, scale: Float64Array | null, rel: number): void {
  expect(w.length).toBe(r.length);
  for (let i = 0; i < w.length; i++) {
    if (Number.isNaN(r[i]!) || !Number.isFinite(r[i]!)) {
      expect(w[i]).toBe(r[i]);
      continue;
    }
    const tol = rel * (scale ? scale[i]! : Math.abs(r[i]!)) + 1e-300;
    expect(Math.abs(w[i]! - r[i]!)).toBeLessThanOrEqual(tol);
  }
}

function absSum(d: Float32Array | Float64Array, rows: number, n: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) out[r]! += Math.abs(d[r * n + j]!);
  return out;
}

describe('wasm reductions', () => {
  for (const f64 of [false, true]) {
    const dt = f64 ? 'float64' : 'float32';
    it(`${dt}: last-axis sum / max / min for row lengths 1..41 match the TS kernels`, () => {
      for (let n = 1; n <= 41; n++) {
        const rows = 7;
        const d = data(rows * n, n, f64);
        const x = fromTypedArray(d, [rows, n]);
        const [ws, rs] = both(() => sum(x, -1));
        // float32 outputs are rounded once from float64 sums that differ by ~n ulp of float64.
        close(ws, rs, absSum(d, rows, n), f64 ? 1e-15 * n : 6e-8);
        for (const f of [max, min]) {
          const [w, r] = both(() => f(x, -1));
          expect(Array.from(w)).toEqual(Array.from(r));
        }
      }
    });

    it(`${dt}: every-axis and trailing-axes reductions of a large tensor, mean through sum`, () => {
      const d = data(3 * 50 * 333, 9, f64);
      const x = fromTypedArray(d, [3, 50, 333]);
      const [ws, rs] = both(() => sum(x));
      close(ws, rs, new Float64Array([absSum(d, 1, d.length)[0]!]), f64 ? 1e-13 : 6e-8);
      const [w2, r2] = both(() => sum(x, [1, 2]));
      close(w2, r2, absSum(d, 3, 50 * 333), f64 ? 1e-13 : 6e-8);
      const [wm, rm] = both(() => mean(x, -1));
      close(wm, rm, Float64Array.from(absSum(d, 150, 333), (v) => v / 333), f64 ? 1e-14 : 1.2e-7);
      const [wx, rx] = both(() => max(x));
      expect(wx[0]).toBe(rx[0]);
      expect(rx[0]).toBe(Math.max(...d));
    });

    it(`${dt}: NaN, +-Infinity and all -Infinity rows propagate like the TS kernels`, () => {
      const n = 19;
      const rows = 6;
      const d = data(rows * n, 3, f64);
      d[0 * n + 17] = NaN; // NaN in the tail
      d[1 * n + 2] = NaN; // NaN in a vector block
      d[2 * n + 5] = Infinity;
      d[2 * n + 9] = -Infinity;
      d[3 * n + 18] = -Infinity;
      d.fill(-Infinity, 4 * n, 5 * n);
      d[5 * n + 3] = Infinity;
      const x = fromTypedArray(d, [rows, n]);
      for (const f of [sum, max, min]) {
        const [w, r] = both(() => f(x, -1));
        close(w, r, absSum(d, rows, n), f64 ? 1e-14 : 6e-8);
      }
      const [w, r] = both(() => max(x, -1));
      expect(Number.isNaN(w[0]!) && Number.isNaN(w[1]!)).toBe(true);
      expect(w[4]).toBe(-Infinity);
      expect(w[5]).toBe(Infinity);
      expect(Array.from(w.slice(2))).toEqual(Array.from(r.slice(2)));
      const [lw, lr] = both(() => logsumexp(x, -1));
      expect(lw[4]).toBe(-Infinity);
      expect(Number.isNaN(lw[0]!)).toBe(true);
      close(lw, lr, null, f64 ? 1e-14 : 3e-7);
    });
  }

  for (const f64 of [false, true]) {
    it(`${f64 ? 'float64' : 'float32'}: leading-axis (column) sum / max / min match the TS kernels bitwise`, () => {
      for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 17, 41]) {
        const d = data(23 * n, n + 50, f64);
        d[3 * n + (n - 1)] = NaN; // last (tail) column
        d[5 * n] = -Infinity;
        if (n > 2) d[7 * n + 1] = Infinity;
        const x = fromTypedArray(d, [23, n]);
        for (const f of [sum, max, min]) {
          const [w, r] = both(() => f(x, 0));
          expect(Array.from(w)).toEqual(Array.from(r));
        }
      }
      const x3 = fromTypedArray(data(6 * 7 * 9, 77, f64), [6, 7, 9]);
      const [w, r] = both(() => sum(x3, [0, 1]));
      expect(Array.from(w)).toEqual(Array.from(r));
      const [wm, rm] = both(() => mean(x3, 0));
      expect(Array.from(wm)).toEqual(Array.from(rm));
    });
  }

  it('softmax of float32 logits agrees with the TS kernels', () => {
    const x = fromTypedArray(data(64 * 1000, 5), [64, 1000]);
    const [w, r] = both(() => softmax(x));
    // Probabilities: an absolute tolerance (tiny ones are subnormal in float32).
    close(w, r, new Float64Array(w.length).fill(1), 1e-7);
  });

  it('only contiguous trailing-axis float reductions take the SIMD path', () => {
    setCpuKernels('wasm');
    const x = fromTypedArray(data(6 * 8, 2), [6, 8]);
    const out = new Float32Array(8);
    expect(wasmReduce('sum', x.view, [1], new Float32Array(6))).toBe(true);
    expect(wasmReduce('sum', x.view, [0], out)).toBe(true);
    expect(wasmReduce('sum', fromTypedArray(data(24, 2), [2, 3, 4]).view, [1], new Float32Array(8))).toBe(false);
    expect(wasmReduce('sum', x.transpose().view, [1], out)).toBe(false);
    expect(wasmReduce('prod', x.view, [1], new Float32Array(6))).toBe(false);
    expect(wasmReduce('sum', x.view, [1], new Float64Array(6))).toBe(false);
    expect(wasmReduce('sum', x.view, [], new Float32Array(48))).toBe(false);
    const empty = fromTypedArray(new Float32Array(0), [0, 8]);
    expect(wasmReduce('max', empty.view, [1], new Float32Array(0))).toBe(false);
    // Fallbacks give the reference results.
    const [w, r] = both(() => sum(x.transpose(), -1));
    close(w, r, null, 0);
    const [we, re] = both(() => sum(fromTypedArray(new Float32Array(0), [3, 0]), -1));
    expect(Array.from(we)).toEqual([0, 0, 0]);
    expect(Array.from(re)).toEqual(Array.from(we));
  });
});
