import { describe, expect, it } from 'vitest';
import { broadcastTo, fromTypedArray, matmul, transpose, type DType, type Tensor } from '../src/index.js';

/*
 * The CPU matmul kernel packs strided operands into panels and runs a 4x4 register-blocked
 * micro-kernel with ragged-edge and skinny-shape paths. These checks compare it with a plain
 * float64 triple loop over the same values for shapes that hit every path: sizes below, at and
 * above the 4x4 tile, K/M/N block boundaries (256/64/1024), transposed and broadcast views.
 */

function rand(n: number, seed: number, int: boolean): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    out.push(int ? Math.floor(u * 11) - 5 : u * 2 - 1);
  }
  return out;
}

function make(data: number[], shape: number[], dtype: DType): Tensor {
  const arr =
    dtype === 'float64' ? new Float64Array(data) : dtype === 'int32' ? new Int32Array(data) : new Float32Array(data);
  return fromTypedArray(arr, shape, { dtype });
}

/** Row-major [m, n] product of row-major a [m, k] and b [k, n], in float64. */
function naive(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      out[i * n + j] = s;
    }
  return out;
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  expect(x.length).toBe(y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [2, 3, 4],
  [4, 4, 4],
  [5, 7, 3],
  [3, 9, 17],
  [17, 300, 9],
  [65, 257, 70],
  [130, 513, 6],
  [1, 600, 1030],
  [600, 2, 1],
  [70, 1, 66],
  [9, 20, 1100],
];

describe('cpu matmul kernel', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    for (const [m, k, n] of SHAPES) {
      it(`${dtype} [${m},${k}] @ [${k},${n}], plain and transposed operands`, () => {
        const int = dtype === 'int32';
        const ad = rand(m * k, m * 131 + k, int);
        const bd = rand(k * n, n * 71 + k, int);
        const expected = naive(ad, bd, m, k, n);
        const tol = dtype === 'float32' ? 2e-5 * Math.sqrt(k) : dtype === 'float64' ? 1e-12 * k : 0;
        const a = make(ad, [m, k], dtype);
        const b = make(bd, [k, n], dtype);
        // Same values stored transposed, then viewed back: the kernel sees stride-(1, rows) operands.
        const aT = transpose(make(Array.from(naiveTranspose(ad, m, k)), [k, m], dtype));
        const bT = transpose(make(Array.from(naiveTranspose(bd, k, n)), [n, k], dtype));
        for (const [x, y] of [
          [a, b],
          [aT, b],
          [a, bT],
          [aT, bT],
        ] as const) {
          const out = matmul(x, y);
          expect(out.shape).toEqual([m, n]);
          expect(out.dtype).toBe(dtype);
          expect(maxAbsDiff(out.dataSync(), expected)).toBeLessThanOrEqual(tol);
        }
      });
    }
  }

  it('batched with a broadcast (stride-0) right operand', () => {
    const [bs, m, k, n] = [3, 6, 5, 7];
    const xd = rand(bs * m * k, 1, false);
    const wd = rand(k * n, 2, false);
    const out = matmul(
      make(xd, [bs, m, k], 'float64'),
      broadcastTo(make(wd, [k, n], 'float64'), [bs, k, n]),
    ).dataSync();
    for (let t = 0; t < bs; t++) {
      const ref = naive(xd.slice(t * m * k, (t + 1) * m * k), wd, m, k, n);
      expect(maxAbsDiff(out.subarray(t * m * n, (t + 1) * m * n), ref)).toBeLessThan(1e-12);
    }
  });

  it('k = 0 gives zeros, also when the output buffer is recycled', () => {
    for (let i = 0; i < 3; i++) {
      const junk = matmul(make(rand(64, 3, false), [8, 8], 'float32'), make(rand(64, 4, false), [8, 8], 'float32'));
      junk.dispose();
      const out = matmul(make([], [8, 0], 'float32'), make([], [0, 8], 'float32'));
      expect(Array.from(out.dataSync())).toEqual(new Array(64).fill(0));
    }
  });

  it('padding of ragged tiles never leaks NaN or Inf into valid outputs', () => {
    // Inf in the last row of A and last column of B: only that row/column of C may be non-finite.
    const [m, k, n] = [6, 5, 6];
    const ad = rand(m * k, 5, false);
    const bd = rand(k * n, 6, false);
    ad[(m - 1) * k] = Infinity;
    bd[n - 1] = NaN;
    const out = matmul(make(ad, [m, k], 'float32'), make(bd, [k, n], 'float32')).dataSync();
    const ref = naive(ad, bd, m, k, n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        const v = out[i * n + j]!;
        const r = ref[i * n + j]!;
        if (Number.isFinite(r)) expect(Math.abs(v - r)).toBeLessThan(1e-5);
        else expect(Object.is(v, r) || (Number.isNaN(v) && Number.isNaN(r))).toBe(true);
      }
  });
});

function naiveTranspose(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j]!;
  return out;
}
