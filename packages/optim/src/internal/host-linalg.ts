/**
 * Tiny dense linear algebra on host Float64Arrays (row-major), for the small matrices the
 * optimizers need on the CPU regardless of the tensor device: Gram matrices of a few gradients,
 * Lanczos tridiagonals, CMA-ES covariances.
 */

/** Eigen-decomposition of a symmetric n×n matrix by cyclic Jacobi rotations: ascending values, vectors as columns. */
export function symEig(a: Float64Array, n: number, maxSweeps = 100): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += m[i * n + j]! ** 2;
    }
    // Relative test: rounding keeps off-diagonals near eps·||A||, never exactly 0.
    if (off <= 1e-30 * diag || off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = m[p * n + p]!;
        const aqq = m[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p]!;
          const akq = m[k * n + q]!;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k]!;
          const aqk = m[q * n + k]!;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i * n + i]! - m[j * n + j]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = m[src * n + src]!;
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!;
  });
  return { values, vectors };
}

/** Minimum-norm least-squares solution of S x = b for symmetric PSD S (pseudo-inverse via eigh). */
export function symPinvSolve(s: Float64Array, b: Float64Array, n: number, rcond = 1e-12): Float64Array {
  const { values, vectors } = symEig(s, n);
  const maxEv = Math.max(...Array.from(values, Math.abs), 0);
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const lam = values[k]!;
    if (Math.abs(lam) <= rcond * maxEv || lam === 0) continue;
    let proj = 0;
    for (let i = 0; i < n; i++) proj += vectors[i * n + k]! * b[i]!;
    for (let i = 0; i < n; i++) x[i]! += (vectors[i * n + k]! * proj) / lam;
  }
  return x;
}

/** y = M x for row-major n×n M. */
export function matVec(m: Float64Array, x: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += m[i * n + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}
