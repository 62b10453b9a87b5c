import { describe, expect, it } from 'vitest';
import { eye, fromTypedArray, linalg, matmul, swapAxes, tensor, type Tensor } from '../src/index.js';
import {
  alignSigns,
  expectClose,
  fixtures,
  fromJson,
  matrices,
  orthonormalityError,
  randomTensor,
  runOp,
  shapeOf,
  spdMatrix,
  type ForwardCase,
  type Json,
} from './linalg-helpers.js';

const TOL = { float64: 1e-10, float32: 1e-5 } as const;

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(a.shape).toEqual(b.shape);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  return worst;
}

/** Symmetric matrix built from the lower (or upper) triangle, as eigh reads it. */
function symmetricFrom(a: Tensor, upper: boolean): Tensor {
  const n = a.shape[a.ndim - 1]!;
  const data = a.dataSync();
  const out = new Float64Array(data.length);
  for (let b = 0; b < data.length / (n * n); b++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const [r, c] = (upper ? i <= j : i >= j) ? [i, j] : [j, i];
        out[b * n * n + i * n + j] = data[b * n * n + r * n + c]!;
      }
  return fromTypedArray(out, a.shape, { dtype: 'float64' });
}

function checkForward(c: ForwardCase, dtype: 'float64' | 'float32'): void {
  const expected = c[dtype]!;
  const tol = TOL[dtype];
  const ins = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, fromJson(v, dtype)]));
  const out = runOp(c.op, c.opts, ins);
  for (const t of Object.values(out)) expect(t.dtype).toBe(dtype);
  if (c.op === 'eigh') {
    expectClose(out.eigenvalues!, expected.eigenvalues!, tol, `${c.name} eigenvalues`);
    const v = out.eigenvectors!;
    expect(v.shape).toEqual(shapeOf(expected.eigenvectors!));
    expectClose(
      alignSigns(v, expected.eigenvectors!, 'cols').values,
      expected.eigenvectors!,
      tol,
      `${c.name} eigenvectors`,
    );
    return;
  }
  if (c.op === 'svd') {
    expectClose(out.S!, expected.S!, tol, `${c.name} S`);
    const U = out.U!;
    const Vh = out.Vh!;
    expect(U.shape).toEqual(shapeOf(expected.U!));
    expect(Vh.shape).toEqual(shapeOf(expected.Vh!));
    const k = out.S!.shape[out.S!.ndim - 1]!;
    expect(orthonormalityError(U, 'cols')).toBeLessThan(tol);
    expect(orthonormalityError(Vh, 'rows')).toBeLessThan(tol);
    if (c.vectors === false) {
      const Uk = U.slice('...', `:${k}`);
      const Vk = Vh.slice('...', `:${k}`, ':');
      expectClose(matmul(Uk.mul(out.S!.expandDims(-2)), Vk), c.inputs.a!, tol, `${c.name} reconstruction`);
      return;
    }
    // Singular pairs share one sign; columns/rows beyond k (fullMatrices) are not unique.
    const { signs } = alignSigns(U, expected.U!, 'cols', k);
    const uRef = matrices(Array.from(fromJson(expected.U!).dataSync()), U.shape);
    const vRef = matrices(Array.from(fromJson(expected.Vh!).dataSync()), Vh.shape);
    matrices(U.dataSync(), U.shape).forEach((mat, b) =>
      mat.forEach((row, i) =>
        row.forEach(
          (x, j) => j < k && expect(Math.abs(x * signs[b]![j]! - uRef[b]![i]![j]!)).toBeLessThanOrEqual(tol * 2),
        ),
      ),
    );
    matrices(Vh.dataSync(), Vh.shape).forEach((mat, b) =>
      mat.forEach((row, i) =>
        row.forEach(
          (x, j) => i < k && expect(Math.abs(x * signs[b]![i]! - vRef[b]![i]![j]!)).toBeLessThanOrEqual(tol * 2),
        ),
      ),
    );
    return;
  }
  for (const [k, v] of Object.entries(expected)) expectClose(out[k]!, v as Json, tol, `${c.name} ${k} (${dtype})`);
}

describe('linalg forward vs torch.linalg', () => {
  for (const c of fixtures.forward) {
    it(`${c.name} float64`, () => checkForward(c, 'float64'));
    if (c.float32) it(`${c.name} float32`, () => checkForward(c, 'float32'));
  }
});

describe('linalg invariants', () => {
  it('cholesky reconstructs A and ignores the other triangle', () => {
    const A = spdMatrix(30, 3);
    const L = linalg.cholesky(A);
    expect(maxAbsDiff(matmul(L, swapAxes(L, -1, -2)), A)).toBeLessThan(1e-12);
    const noisyUpper = A.add(
      tensor(
        Array.from({ length: 30 }, (_, i) => Array.from({ length: 30 }, (_, j) => (j > i ? 5 : 0))),
        { dtype: 'float64' },
      ),
    );
    expect(maxAbsDiff(linalg.cholesky(noisyUpper), L)).toBe(0);
    const U = linalg.cholesky(A, { upper: true });
    expect(maxAbsDiff(U, swapAxes(L, -1, -2))).toBe(0);
    // With upper: true the upper triangle is read, as LAPACK potrf('U') / torch.
    expect(maxAbsDiff(linalg.cholesky(swapAxes(noisyUpper, 0, 1), { upper: true }), U)).toBe(0);
  });

  it('eigh reconstructs a 40×40 symmetric matrix to ~1e-13 and orders eigenvalues', () => {
    const A = symmetricFrom(randomTensor([40, 40], 11), false);
    const { eigenvalues, eigenvectors } = linalg.eigh(A);
    const w = Array.from(eigenvalues.dataSync());
    for (let i = 1; i < w.length; i++) expect(w[i]!).toBeGreaterThanOrEqual(w[i - 1]!);
    const rec = matmul(eigenvectors.mul(eigenvalues.reshape([1, 40])), swapAxes(eigenvectors, -1, -2));
    expect(maxAbsDiff(rec, A)).toBeLessThan(1e-13);
    expect(orthonormalityError(eigenvectors, 'cols')).toBeLessThan(1e-13);
  });

  it('eigh handles repeated eigenvalues (identity blocks, diagonal input)', () => {
    const I = eye(6, 6, { dtype: 'float64' }).mul(2);
    const r = linalg.eigh(I);
    expectClose(r.eigenvalues, [2, 2, 2, 2, 2, 2], 1e-15);
    expect(orthonormalityError(r.eigenvectors, 'cols')).toBeLessThan(1e-15);
    const D = tensor(
      [
        [3, 0, 0],
        [0, -1, 0],
        [0, 0, 3],
      ],
      { dtype: 'float64' },
    );
    expectClose(linalg.eigh(D).eigenvalues, [-1, 3, 3], 1e-15);
  });

  it('svd reconstructs rank-deficient and wide matrices with orthonormal factors', () => {
    const B = randomTensor([12, 3], 5);
    const C = randomTensor([3, 9], 6);
    const A = matmul(B, C); // rank 3
    for (const x of [A, swapAxes(A, 0, 1), randomTensor([7, 20], 8)]) {
      for (const fullMatrices of [false, true]) {
        const { U, S, Vh } = linalg.svd(x, { fullMatrices });
        const k = S.shape[0]!;
        const Uk = U.slice(':', `:${k}`);
        const Vk = Vh.slice(`:${k}`, ':');
        expect(maxAbsDiff(matmul(Uk.mul(S.reshape([1, k])), Vk), x)).toBeLessThan(1e-13);
        expect(orthonormalityError(U, 'cols')).toBeLessThan(1e-13);
        expect(orthonormalityError(Vh, 'rows')).toBeLessThan(1e-13);
      }
    }
    const s = Array.from(linalg.svd(A).S.dataSync());
    expect(s.slice(3).every((v) => v < 1e-14)).toBe(true);
  });

  it('svd of a zero matrix has zero singular values and orthonormal factors', () => {
    const { U, S, Vh } = linalg.svd(
      tensor(
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(S.toArray()).toEqual([0, 0]);
    expect(orthonormalityError(U, 'cols')).toBeLessThan(1e-15);
    expect(orthonormalityError(Vh, 'rows')).toBeLessThan(1e-15);
  });

  it('qr of a 30×12 matrix: Q orthonormal, R upper triangular, QR = A', () => {
    const A = randomTensor([30, 12], 9);
    const { Q, R } = linalg.qr(A);
    expect(Q.shape).toEqual([30, 12]);
    expect(R.shape).toEqual([12, 12]);
    expect(orthonormalityError(Q, 'cols')).toBeLessThan(1e-14);
    const r = R.toArray() as number[][];
    r.forEach((row, i) => row.forEach((v, j) => j < i && expect(v).toBe(0)));
    expect(maxAbsDiff(matmul(Q, R), A)).toBeLessThan(1e-14);
    const c = linalg.qr(A, { mode: 'complete' });
    expect(c.Q.shape).toEqual([30, 30]);
    expect(orthonormalityError(c.Q, 'cols')).toBeLessThan(1e-14);
    expect(maxAbsDiff(matmul(c.Q, c.R), A)).toBeLessThan(1e-14);
  });

  it('solve, inv, det and slogdet agree with each other on a batch', () => {
    const A = spdMatrix(6, 4, 0.5, [2, 3]);
    const b = randomTensor([2, 3, 6, 2], 3);
    const x = linalg.solve(A, b);
    expect(maxAbsDiff(matmul(A, x), b)).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmul(linalg.inv(A), b), x)).toBeLessThan(1e-12);
    const { sign, logabsdet } = linalg.slogdet(A);
    expect(maxAbsDiff(sign.mul(logabsdet.exp()), linalg.det(A))).toBeLessThan(1e-10);
    const L = linalg.cholesky(A);
    expect(maxAbsDiff(linalg.diagonal(L).log().sum(-1).mul(2), logabsdet)).toBeLessThan(1e-12);
  });

  it('triangularSolve accepts vectors and matches solve', () => {
    const L = linalg.cholesky(spdMatrix(5, 2));
    const y = randomTensor([5], 4);
    const x = linalg.triangularSolve(L, y);
    expect(x.shape).toEqual([5]);
    expect(maxAbsDiff(x, linalg.solve(L, y))).toBeLessThan(1e-13);
    const xr = linalg.triangularSolve(L, y, { left: false });
    expect(maxAbsDiff(matmul(xr, L), y)).toBeLessThan(1e-13);
  });

  it('lstsq gives the minimum-norm solution for underdetermined systems', () => {
    const A = randomTensor([3, 6], 21);
    const b = randomTensor([3], 22);
    const x = linalg.lstsq(A, b);
    expect(maxAbsDiff(matmul(A, x), b)).toBeLessThan(1e-13);
    // Minimum norm: x lies in the row space of A, i.e. x = Aᵀ y with y = (A Aᵀ)⁻¹ b.
    const y = linalg.solve(matmul(A, swapAxes(A, 0, 1)), b);
    expect(maxAbsDiff(x, matmul(swapAxes(A, 0, 1), y))).toBeLessThan(1e-12);
  });

  it('diagonal is a view over the main diagonal of the last two axes', () => {
    const x = tensor(
      [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [7, 8, 9],
          [10, 11, 12],
        ],
      ],
      { dtype: 'float64' },
    );
    expect(linalg.diagonal(x).toArray()).toEqual([
      [1, 5],
      [7, 11],
    ]);
    expect(linalg.diagonal(swapAxes(x, -1, -2)).toArray()).toEqual([
      [1, 5],
      [7, 11],
    ]);
  });

  it('float32 inputs are computed in float64 internally and returned as float32', () => {
    const A = spdMatrix(8, 5).astype('float32');
    const L = linalg.cholesky(A);
    expect(L.dtype).toBe('float32');
    const L64 = linalg.cholesky(A.astype('float64'));
    expect(maxAbsDiff(L.astype('float64'), L64)).toBeLessThan(1e-6);
  });

  it('empty batches and 0×0 matrices are handled', () => {
    expect(linalg.cholesky(fromTypedArray(new Float64Array(0), [0, 3, 3])).shape).toEqual([0, 3, 3]);
    expect(linalg.det(fromTypedArray(new Float64Array(0), [0, 0])).item()).toBe(1);
    expect(linalg.eigh(fromTypedArray(new Float64Array(0), [2, 0, 0])).eigenvalues.shape).toEqual([2, 0]);
  });
});
