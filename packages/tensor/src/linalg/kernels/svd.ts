import { completeOrthonormal } from './basis.js';
import { householderQR } from './qr.js';

const EPS = 2.220446049250313e-16;

export interface SVDResult {
  /** m×ku row-major (ku = k, or m with `full`). */
  u: Float64Array;
  /** k = min(m, n) singular values, descending. */
  s: Float64Array;
  /** kv×n row-major (kv = k, or n with `full`). */
  vh: Float64Array;
}

/**
 * Singular value decomposition of the m×n row-major matrix `a` (overwritten) by one-sided
 * (Hestenes) Jacobi. Inputs with m >= n are first reduced by column-pivoted Householder QR so the
 * rotations act on an n×n triangle; wide inputs go through the transpose. Returns null if the
 * sweeps did not converge.
 */
export function svdJacobi(a: Float64Array, m: number, n: number, full: boolean): SVDResult | null {
  if (m < n) {
    const t = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j]!;
    const r = svdJacobi(t, n, m, full);
    if (!r) return null;
    // A^T = U' S V'^T  =>  A = V' S U'^T.
    const ku = m;
    const kv = full ? n : m;
    const u = new Float64Array(m * ku);
    for (let i = 0; i < m; i++) for (let j = 0; j < ku; j++) u[i * ku + j] = r.vh[j * m + i]!;
    const vh = new Float64Array(kv * n);
    for (let i = 0; i < kv; i++) for (let j = 0; j < n; j++) vh[i * n + j] = r.u[j * kv + i]!;
    return { u, s: r.s, vh };
  }
  const k = n;
  // Drmač–Veselić preconditioning: A P = Q R, then one-sided Jacobi on X = R^T, whose columns (the
  // rows of R) are closer to orthogonal than A's, so fewer sweeps are needed; pivoting also moves
  // a rank deficiency into trailing zero rows that the sweeps skip.
  const perm = new Int32Array(n);
  const { q, r } = householderQR(a, m, n, false, perm);
  const g = r; // rows of R = columns of X, each of length n
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  if (!jacobiSweeps(g, vt, n, n)) return null;
  // X V' = G  =>  X = U' S V'^T  =>  A P = Q X^T = (Q V') S U'^T.
  const s = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let ss = 0;
    for (let c = 0; c < n; c++) ss += g[i * n + c]! * g[i * n + c]!;
    s[i] = Math.sqrt(ss);
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => s[y]! - s[x]!);
  const sv = new Float64Array(k);
  const vh = new Float64Array(n * n);
  const present: number[] = [];
  const missing: number[] = [];
  order.forEach((src, j) => {
    sv[j] = s[src]!;
    if (s[src]! > 0) {
      // A P = Q X^T, so column c of U'^T belongs to column perm[c] of A.
      for (let c = 0; c < n; c++) vh[j * n + perm[c]!] = g[src * n + c]! / s[src]!;
      present.push(j);
    } else missing.push(j);
  });
  if (missing.length) completeOrthonormal(vh, n, present, missing);
  const ku = full ? m : k;
  // Rows of U^T: row j = Q · (row `order[j]` of vt).
  const urows = new Float64Array(ku * m);
  order.forEach((src, j) => {
    for (let c = 0; c < n; c++) {
      const f = vt[src * n + c]!;
      if (f === 0) continue;
      for (let i = 0; i < m; i++) urows[j * m + i]! += f * q[i * n + c]!;
    }
  });
  if (ku > k) completeOrthonormal(urows, m, range(0, k), range(k, ku));
  const u = new Float64Array(m * ku);
  for (let j = 0; j < ku; j++) for (let i = 0; i < m; i++) u[i * ku + j] = urows[j * m + i]!;
  return { u, s: sv, vh };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

/**
 * Cyclic one-sided Jacobi: rotates pairs of rows of g (and of vt) until every pair is orthogonal to
 * a relative tolerance. Afterwards A V = G, so the row norms of g are the singular values.
 */
function jacobiSweeps(g: Float64Array, vt: Float64Array, n: number, p: number): boolean {
  const tol = EPS * Math.max(p, 1);
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let i = 0; i < n - 1; i++) {
      const gi = i * p;
      for (let j = i + 1; j < n; j++) {
        const gj = j * p;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let c = 0; c < p; c++) {
          const x = g[gi + c]!;
          const y = g[gj + c]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        // For huge |zeta| the small root of t^2 + 2 zeta t - 1 is 1 / (2 zeta); zeta^2 would overflow.
        const t =
          Math.abs(zeta) > 1e150 ? 0.5 / zeta : (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        for (let c = 0; c < p; c++) {
          const x = g[gi + c]!;
          const y = g[gj + c]!;
          g[gi + c] = cs * x - sn * y;
          g[gj + c] = sn * x + cs * y;
        }
        const vi = i * n;
        const vj = j * n;
        for (let c = 0; c < n; c++) {
          const x = vt[vi + c]!;
          const y = vt[vj + c]!;
          vt[vi + c] = cs * x - sn * y;
          vt[vj + c] = sn * x + cs * y;
        }
      }
    }
    if (!rotated) return true;
  }
  return false;
}
