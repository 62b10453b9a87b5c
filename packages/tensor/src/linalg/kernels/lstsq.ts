import { svdJacobi } from './svd.js';

/**
 * Minimum-norm least-squares solution of `A X ≈ B` (A m×n, B m×k, both row-major) through the SVD:
 * `X = V diag(1/s_i) U^T B`, keeping only singular values above `rcond * s_max` (the same rule as
 * NumPy's `lstsq` / LAPACK gelsd). Returns the n×k solution, or null if the SVD failed.
 */
export function lstsqSVD(
  a: Float64Array,
  b: Float64Array,
  m: number,
  n: number,
  k: number,
  rcond: number,
): Float64Array | null {
  const r = svdJacobi(a, m, n, false);
  if (!r) return null;
  const kk = Math.min(m, n);
  const cutoff = rcond * (kk > 0 ? r.s[0]! : 0);
  // c = diag(1/s) U^T B  (kk×k)
  const c = new Float64Array(kk * k);
  for (let j = 0; j < kk; j++) {
    const sj = r.s[j]!;
    if (!(sj > cutoff) || sj === 0) continue;
    const inv = 1 / sj;
    for (let i = 0; i < m; i++) {
      const f = r.u[i * kk + j]! * inv;
      if (f === 0) continue;
      for (let col = 0; col < k; col++) c[j * k + col]! += f * b[i * k + col]!;
    }
  }
  // x = V c = Vh^T c
  const x = new Float64Array(n * k);
  for (let j = 0; j < kk; j++) {
    for (let i = 0; i < n; i++) {
      const f = r.vh[j * n + i]!;
      if (f === 0) continue;
      for (let col = 0; col < k; col++) x[i * k + col]! += f * c[j * k + col]!;
    }
  }
  return x;
}
