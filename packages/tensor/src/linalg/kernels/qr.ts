import { reflector, stridedNorm } from './householder.js';

export interface QRResult {
  /** m×kq row-major, orthonormal columns. */
  q: Float64Array;
  /** kq×n row-major, upper triangular (trapezoidal when kq < n). */
  r: Float64Array;
  kq: number;
}

/**
 * Householder QR of the m×n row-major matrix `a` (overwritten). `complete` returns the square
 * m×m Q (and an m×n R), otherwise the reduced factors with kq = min(m, n). With `perm`, columns
 * are pivoted by largest remaining norm (`A P = Q R`, column j of A P is column perm[j] of A).
 */
export function householderQR(a: Float64Array, m: number, n: number, complete: boolean, perm?: Int32Array): QRResult {
  const k = Math.min(m, n);
  const taus = new Float64Array(k);
  const w = new Float64Array(Math.max(n, m));
  if (perm) for (let c = 0; c < n; c++) perm[c] = c;
  for (let j = 0; j < k; j++) {
    if (perm) pivotColumn(a, m, n, j, perm, w);
    const alpha = a[j * n + j]!;
    const { beta, tau, scale } = reflector(alpha, stridedNorm(a, (j + 1) * n + j, n, m - j - 1));
    taus[j] = tau;
    if (tau === 0) continue;
    for (let i = j + 1; i < m; i++) a[i * n + j]! *= scale;
    a[j * n + j] = beta;
    // H (trailing columns): w = v^T A[j:, j+1:], then A -= tau v w.
    for (let c = j + 1; c < n; c++) w[c] = a[j * n + c]!;
    for (let i = j + 1; i < m; i++) {
      const vi = a[i * n + j]!;
      if (vi === 0) continue;
      const ri = i * n;
      for (let c = j + 1; c < n; c++) w[c]! += vi * a[ri + c]!;
    }
    for (let c = j + 1; c < n; c++) a[j * n + c]! -= tau * w[c]!;
    for (let i = j + 1; i < m; i++) {
      const f = tau * a[i * n + j]!;
      if (f === 0) continue;
      const ri = i * n;
      for (let c = j + 1; c < n; c++) a[ri + c]! -= f * w[c]!;
    }
  }
  const kq = complete ? m : k;
  const r = new Float64Array(kq * n);
  for (let i = 0; i < Math.min(kq, m); i++) for (let c = i; c < n; c++) r[i * n + c] = a[i * n + c]!;
  // Q = H_0 H_1 … H_{k-1} I, applied right to left; columns < j are untouched by H_j.
  const q = new Float64Array(m * kq);
  for (let i = 0; i < kq; i++) q[i * kq + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const tau = taus[j]!;
    if (tau === 0) continue;
    for (let c = j; c < kq; c++) w[c] = q[j * kq + c]!;
    for (let i = j + 1; i < m; i++) {
      const vi = a[i * n + j]!;
      if (vi === 0) continue;
      for (let c = j; c < kq; c++) w[c]! += vi * q[i * kq + c]!;
    }
    for (let c = j; c < kq; c++) q[j * kq + c]! -= tau * w[c]!;
    for (let i = j + 1; i < m; i++) {
      const f = tau * a[i * n + j]!;
      if (f === 0) continue;
      for (let c = j; c < kq; c++) q[i * kq + c]! -= f * w[c]!;
    }
  }
  return { q, r, kq };
}

/** Swaps the column with the largest norm over rows j.. into position j. */
function pivotColumn(a: Float64Array, m: number, n: number, j: number, perm: Int32Array, scratch: Float64Array): void {
  scratch.fill(0, j, n);
  for (let i = j; i < m; i++) {
    const ri = i * n;
    for (let c = j; c < n; c++) scratch[c]! += a[ri + c]! * a[ri + c]!;
  }
  let p = j;
  for (let c = j + 1; c < n; c++) if (scratch[c]! > scratch[p]!) p = c;
  if (p === j) return;
  for (let i = 0; i < m; i++) {
    const t = a[i * n + j]!;
    a[i * n + j] = a[i * n + p]!;
    a[i * n + p] = t;
  }
  const t = perm[j]!;
  perm[j] = perm[p]!;
  perm[p] = t;
}
