import { reflector, stridedNorm } from './householder.js';

const EPS = 2.220446049250313e-16;

/**
 * Symmetric eigendecomposition of the n×n row-major matrix `a` (overwritten; only its lower
 * triangle is read). Writes ascending eigenvalues to `w` and the matching orthonormal eigenvectors
 * as the columns of `v` (n×n row-major). Returns false if the QR iteration did not converge.
 *
 * Householder reduction to tridiagonal form followed by the implicit symmetric QR algorithm with
 * Wilkinson shifts (Golub & Van Loan, Alg. 8.3.1 and 8.3.3). Backward stable: eigenvalues are
 * accurate to a few ulps of ||A||. Eigenvectors are kept transposed (one per row) so every Givens
 * rotation updates two contiguous rows.
 */
export function eighInPlace(a: Float64Array, n: number, w: Float64Array, v: Float64Array): boolean {
  if (n === 0) return true;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 1));
  const taus = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    // Row k right of the diagonal equals column k below it (the matrix stays symmetric).
    const rk = k * n;
    const alpha = a[rk + k + 1]!;
    const { beta, tau, scale } = reflector(alpha, stridedNorm(a, rk + k + 2, 1, n - k - 2));
    taus[k] = tau;
    e[k] = beta;
    if (tau === 0) continue;
    // v = [1, x * scale] stored in row k from column k+1 on.
    a[rk + k + 1] = 1;
    for (let c = k + 2; c < n; c++) a[rk + c]! *= scale;
    // S <- H S H with S = A[k+1:, k+1:]: p = tau S v, q = p - (tau/2)(p.v) v, S -= v q^T + q v^T.
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let c = k + 1; c < n; c++) s += a[ri + c]! * a[rk + c]!;
      p[i] = tau * s;
      pv += p[i]! * a[rk + i]!;
    }
    const half = 0.5 * tau * pv;
    for (let i = k + 1; i < n; i++) p[i]! -= half * a[rk + i]!;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const vi = a[rk + i]!;
      const qi = p[i]!;
      for (let c = k + 1; c < n; c++) a[ri + c]! -= vi * p[c]! + qi * a[rk + c]!;
    }
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i]!;
  if (n >= 2) e[n - 2] = a[(n - 2) * n + n - 1]!;
  // zt = Q^T = H_{n-3} … H_0: rows of zt are the columns of Q.
  const zt = v;
  zt.fill(0);
  for (let i = 0; i < n; i++) zt[i * n + i] = 1;
  const wv = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    const tau = taus[k]!;
    if (tau === 0) continue;
    const rk = k * n;
    wv.fill(0);
    for (let i = k + 1; i < n; i++) {
      const vi = a[rk + i]!;
      if (vi === 0) continue;
      const ri = i * n;
      for (let c = 0; c < n; c++) wv[c]! += vi * zt[ri + c]!;
    }
    for (let i = k + 1; i < n; i++) {
      const f = tau * a[rk + i]!;
      if (f === 0) continue;
      const ri = i * n;
      for (let c = 0; c < n; c++) zt[ri + c]! -= f * wv[c]!;
    }
  }
  if (!tridiagonalQR(d, e, zt, n)) return false;
  // Sort ascending and write eigenvectors as columns.
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  const zc = Float64Array.from(zt);
  for (let j = 0; j < n; j++) {
    const src = order[j]!;
    w[j] = d[src]!;
    for (let i = 0; i < n; i++) v[i * n + j] = zc[src * n + i]!;
  }
  return true;
}

/**
 * Implicit symmetric QR iteration on the tridiagonal (d, e), applying every rotation to the rows
 * of `zt`. On return d holds the (unsorted) eigenvalues.
 */
function tridiagonalQR(d: Float64Array, e: Float64Array, zt: Float64Array, n: number): boolean {
  let q = n - 1;
  let iter = 0;
  const maxIter = 60 * n;
  while (q > 0) {
    for (let i = 0; i < q; i++) {
      if (Math.abs(e[i]!) <= EPS * (Math.abs(d[i]!) + Math.abs(d[i + 1]!)) || Math.abs(e[i]!) < 1e-300) e[i] = 0;
    }
    if (e[q - 1] === 0) {
      q--;
      continue;
    }
    let p = q - 1;
    while (p > 0 && e[p - 1] !== 0) p--;
    if (++iter > maxIter) return false;
    // Wilkinson shift: the eigenvalue of the trailing 2×2 block closer to d[q].
    const eq = e[q - 1]!;
    const dd = (d[q - 1]! - d[q]!) / 2;
    const r = Math.hypot(dd, eq);
    const mu = d[q]! - (eq * eq) / (dd + (dd >= 0 ? r : -r));
    let x = d[p]! - mu;
    let z = e[p]!;
    for (let k = p; k < q; k++) {
      const rr = Math.hypot(x, z);
      const c = rr === 0 ? 1 : x / rr;
      const s = rr === 0 ? 0 : z / rr;
      if (k > p) e[k - 1] = rr;
      const a0 = d[k]!;
      const b0 = e[k]!;
      const c0 = d[k + 1]!;
      const cs = c * s;
      d[k] = c * c * a0 + 2 * cs * b0 + s * s * c0;
      d[k + 1] = s * s * a0 - 2 * cs * b0 + c * c * c0;
      e[k] = cs * (c0 - a0) + (c * c - s * s) * b0;
      if (k + 1 < q) {
        z = s * e[k + 1]!;
        e[k + 1] = c * e[k + 1]!;
        x = e[k]!;
      }
      const r0 = k * n;
      const r1 = r0 + n;
      for (let col = 0; col < n; col++) {
        const u0 = zt[r0 + col]!;
        const u1 = zt[r1 + col]!;
        zt[r0 + col] = c * u0 + s * u1;
        zt[r1 + col] = c * u1 - s * u0;
      }
    }
  }
  return true;
}
