import { afterAll, describe, expect, it } from 'vitest';
import { setCpuKernels } from '../src/index.js';
import { getKernelMode } from '../src/backend/wasm/runtime.js';
import { choleskyBlocked, solveTriangularBlocked } from '../src/backend/wasm/linalg.js';
import { choleskyInPlace } from '../src/linalg/kernels/cholesky.js';
import { solveTriangularInPlace } from '../src/linalg/kernels/triangular.js';

/*
 * The blocked float64 Cholesky and triangular solves (GEMM updates on the SIMD kernels) against
 * the unblocked reference loops, in both block sizes: 64 (`auto`, n > 128) and 4 (`wasm` mode,
 * so the whole test suite exercises the blocked path on small matrices too).
 */

const initialMode = getKernelMode();
afterAll(() => setCpuKernels(initialMode));

function rand(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** A A^T + n I: symmetric positive definite, well conditioned. */
function spd(n: number, seed: number): Float64Array {
  const a = rand(n * n, seed);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let p = 0; p < n; p++) s += a[i * n + p]! * a[j * n + p]!;
      out[i * n + j] = s;
    }
  return out;
}

function maxDiff(x: Float64Array, y: Float64Array): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

function reference<T>(f: () => T): T {
  setCpuKernels('ts');
  try {
    return f();
  } finally {
    setCpuKernels('auto');
  }
}

describe('blocked float64 Cholesky', () => {
  for (const [mode, n] of [
    ['auto', 150],
    ['auto', 300],
    ['wasm', 9],
    ['wasm', 37],
  ] as const) {
    it(`${mode} mode, n = ${n}: matches the unblocked factor`, () => {
      const a = spd(n, n);
      const ref = a.slice();
      expect(reference(() => choleskyInPlace(ref, 0, n))).toBe(-1);
      setCpuKernels(mode);
      // A second matrix at an offset checks the batch addressing.
      const two = new Float64Array(2 * n * n);
      two.set(a, n * n);
      expect(choleskyBlocked(two, n * n, n)).toBe(-1);
      expect(maxDiff(two.subarray(n * n), ref)).toBeLessThan(1e-11 * n);
      expect(two.subarray(0, n * n).every((v) => v === 0)).toBe(true);
      setCpuKernels('auto');
    });
  }

  it('reports the same first non-positive pivot as the reference', () => {
    const n = 200;
    const a = spd(n, 3);
    a[150 * n + 150] = -1e6;
    const ref = a.slice();
    const bad = reference(() => choleskyInPlace(ref, 0, n));
    expect(bad).toBe(150);
    expect(choleskyBlocked(a.slice(), 0, n)).toBe(150);
    a[150 * n + 150] = NaN;
    expect(choleskyBlocked(a, 0, n)).toBe(150);
  });

  it('declines small matrices and the ts mode (the reference loops run)', () => {
    expect(choleskyBlocked(spd(100, 1), 0, 100)).toBeNull();
    setCpuKernels('ts');
    expect(choleskyBlocked(spd(200, 1), 0, 200)).toBeNull();
    setCpuKernels('auto');
  });
});

describe('blocked float64 triangular solve', () => {
  const cases = [
    ['auto', 200, 150, true, false],
    ['auto', 200, 150, false, false],
    ['auto', 260, 33, true, true],
    ['auto', 260, 1024, false, true],
    ['wasm', 23, 5, true, false],
    ['wasm', 23, 1, false, false],
    ['wasm', 17, 3, false, true],
  ] as const;
  for (const [mode, n, k, lower, unit] of cases) {
    it(`${mode} mode, n = ${n}, k = ${k}, ${lower ? 'lower' : 'upper'}${unit ? ', unit' : ''}`, () => {
      // A triangular factor with a dominant diagonal, and random right-hand sides.
      const t = rand(n * n, n + k);
      for (let i = 0; i < n; i++) t[i * n + i] = 2 + Math.abs(t[i * n + i]!) + (unit ? 100 : 0);
      const b = rand(n * k, 7 * k);
      const ref = b.slice();
      expect(reference(() => solveTriangularInPlace(t, 0, ref, 0, n, k, lower, unit))).toBe(-1);
      setCpuKernels(mode);
      const got = b.slice();
      expect(solveTriangularBlocked(t, 0, got, 0, n, k, lower, unit)).toBe(-1);
      setCpuKernels('auto');
      let scale = 0;
      for (const v of ref) scale = Math.max(scale, Math.abs(v));
      expect(maxDiff(got, ref) / scale).toBeLessThan(1e-12);
    });
  }

  it('reports a zero diagonal entry before touching B', () => {
    const n = 200;
    const t = rand(n * n, 1);
    for (let i = 0; i < n; i++) t[i * n + i] = 3;
    t[77 * n + 77] = 0;
    const b = rand(n * 300, 2);
    const before = b.slice();
    expect(solveTriangularBlocked(t, 0, b, 0, n, 300, true, false)).toBe(77);
    expect(maxDiff(b, before)).toBe(0);
  });
});

describe('blocked update helper', () => {
  it('subtracts a product (full and lower-triangular) with and without the SIMD kernels, in row chunks', async () => {
    const { subtractProduct } = await import('../src/backend/wasm/linalg.js');
    const m = 1500,
      k = 3,
      n = 900;
    const A = rand(m * k, 1);
    const B = rand(k * n, 2);
    for (const lowerOnly of [false, true]) {
      const want = rand(m * n, 3);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < (lowerOnly ? Math.min(n, i + 1) : n); j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += A[i * k + p]! * B[p * n + j]!;
          want[i * n + j]! -= s;
        }
      for (const mode of ['auto', 'ts'] as const) {
        // In 'ts' mode the GEMM is unavailable and the plain-loop fallback runs.
        setCpuKernels(mode);
        const got = rand(m * n, 3);
        subtractProduct(A, 0, k, 1, B, 0, n, 1, got, 0, n, m, k, n, lowerOnly);
        setCpuKernels('auto');
        expect(maxDiff(got, want)).toBeLessThan(1e-12);
      }
    }
  });
});
