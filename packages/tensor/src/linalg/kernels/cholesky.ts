import { choleskyBlocked } from '../../backend/wasm/linalg.js';

/**
 * In-place lower Cholesky factor of the n×n row-major block `a[off .. off + n*n)`.
 * Only the lower triangle is read; the strict upper triangle is zeroed on success.
 * Returns -1 on success, otherwise the index of the first pivot that is not positive
 * (the leading minor of that order + 1 is not positive definite, or the input holds NaN).
 *
 * Column-by-column (Crout) ordering: every inner product runs over two contiguous row
 * prefixes, which keeps the O(n^3/6) loop in cache and lets V8 vectorise nothing but still
 * stream memory linearly.
 */
export function choleskyInPlace(a: Float64Array, off: number, n: number): number {
  // Large matrices: blocked, with the trailing updates on the SIMD GEMM (null when not applicable).
  const blocked = choleskyBlocked(a, off, n);
  if (blocked !== null) return blocked;
  for (let j = 0; j < n; j++) {
    const rj = off + j * n;
    let s = a[rj + j]!;
    for (let k = 0; k < j; k++) {
      const v = a[rj + k]!;
      s -= v * v;
    }
    if (!(s > 0)) return j;
    const d = Math.sqrt(s);
    a[rj + j] = d;
    const inv = 1 / d;
    for (let i = j + 1; i < n; i++) {
      const ri = off + i * n;
      let t0 = a[ri + j]!;
      let t1 = 0;
      let k = 0;
      // Two accumulators halve the dependency chain of the dot product.
      for (; k + 1 < j; k += 2) {
        t0 -= a[ri + k]! * a[rj + k]!;
        t1 -= a[ri + k + 1]! * a[rj + k + 1]!;
      }
      if (k < j) t0 -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = (t0 + t1) * inv;
    }
  }
  for (let i = 0; i < n; i++) {
    const ri = off + i * n;
    for (let j = i + 1; j < n; j++) a[ri + j] = 0;
  }
  return -1;
}
