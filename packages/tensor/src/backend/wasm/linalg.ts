import { gemmF64 } from './matmul.js';
import { getKernelMode, kernelInstance } from './runtime.js';

/*
 * Blocked float64 Cholesky and triangular solves for the linalg host kernels: the O(n^3) bulk
 * becomes GEMM calls on the SIMD kernels (trailing update A22 -= L21 L21^T, and
 * B_rest -= L_rest,i X_i), while the O(n^2 nb) panel work stays in plain loops. The unblocked
 * kernels in linalg/kernels/ remain the reference (and run when these return null: SIMD kernels
 * off or unavailable, or a matrix too small to block).
 */

/** Block size; the `wasm` test mode uses a tiny one so small test matrices take the blocked path. */
function blockSize(): number {
  return getKernelMode() === 'wasm' ? 4 : 64;
}

let scratch = new Float64Array(0);
function tmp(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

/**
 * In-place blocked lower Cholesky of the n x n row-major block at `off`; the same contract as
 * `choleskyInPlace` (-1 on success, else the index of the first non-positive pivot; strict upper
 * triangle zeroed on success). Null when the blocked path does not apply.
 */
export function choleskyBlocked(a: Float64Array, off: number, n: number): number | null {
  const nb = blockSize();
  if (n <= 2 * nb || !kernelInstance()) return null;
  for (let j0 = 0; j0 < n; j0 += nb) {
    const j1 = Math.min(j0 + nb, n);
    // Diagonal block, unblocked (its trailing updates are already applied).
    for (let j = j0; j < j1; j++) {
      const rj = off + j * n;
      let s = a[rj + j]!;
      for (let p = j0; p < j; p++) s -= a[rj + p]! * a[rj + p]!;
      if (!(s > 0)) return j;
      const d = Math.sqrt(s);
      a[rj + j] = d;
      const inv = 1 / d;
      for (let i = j + 1; i < j1; i++) {
        const ri = off + i * n;
        let t = a[ri + j]!;
        for (let p = j0; p < j; p++) t -= a[ri + p]! * a[rj + p]!;
        a[ri + j] = t * inv;
      }
    }
    if (j1 === n) break;
    // Panel below: L21 = A21 L11^-T, row by row (forward substitution against L11's rows).
    for (let i = j1; i < n; i++) {
      const ri = off + i * n;
      for (let c = j0; c < j1; c++) {
        const rc = off + c * n;
        let t = a[ri + c]!;
        for (let p = j0; p < c; p++) t -= a[ri + p]! * a[rc + p]!;
        a[ri + c] = t / a[rc + c]!;
      }
    }
    // Trailing update A22 -= L21 L21^T (lower triangle only is kept).
    const m = n - j1;
    const k = j1 - j0;
    const t = tmp(m * m);
    const base = off + j1 * n + j0;
    if (!gemmF64(a, base, n, 1, a, base, 1, n, m, k, m, t)) return null;
    for (let i = 0; i < m; i++) {
      const ri = off + (j1 + i) * n + j1;
      for (let j = 0, ti = i * m; j <= i; j++) a[ri + j]! -= t[ti + j]!;
    }
  }
  for (let i = 0; i < n; i++) {
    const ri = off + i * n;
    for (let j = i + 1; j < n; j++) a[ri + j] = 0;
  }
  return -1;
}

/**
 * Blocked `T X = B` in place of B (T n x n at `tOff`, B n x k at `bOff`, both row-major); the
 * contract of `solveTriangularInPlace`. Null when the blocked path does not apply.
 */
export function solveTriangularBlocked(
  t: Float64Array,
  tOff: number,
  b: Float64Array,
  bOff: number,
  n: number,
  k: number,
  lower: boolean,
  unit: boolean,
): number | null {
  const nb = blockSize();
  if (n <= 2 * nb || (nb === 64 && k * n * n < 1 << 18) || !kernelInstance()) return null;
  if (!unit) for (let i = 0; i < n; i++) if (t[tOff + i * n + i] === 0) return i;
  const blocks = Math.ceil(n / nb);
  for (let q = 0; q < blocks; q++) {
    // Lower: blocks top to bottom; upper: bottom to top.
    const blk = lower ? q : blocks - 1 - q;
    const i0 = blk * nb;
    const i1 = Math.min(i0 + nb, n);
    // Diagonal block solve on rows i0..i1 of B (its earlier contributions already subtracted).
    if (lower) {
      for (let i = i0; i < i1; i++) rowSolve(t, tOff, b, bOff, n, k, i, i0, i, unit);
    } else {
      for (let i = i1 - 1; i >= i0; i--) rowSolve(t, tOff, b, bOff, n, k, i, i + 1, i1, unit);
    }
    // The rows still to solve: below the block (lower) or above it (upper).
    const r0 = lower ? i1 : 0;
    const r1 = lower ? n : i0;
    const m = r1 - r0;
    if (m === 0) continue;
    const w = tmp(m * k);
    if (!gemmF64(t, tOff + r0 * n + i0, n, 1, b, bOff + i0 * k, k, 1, m, i1 - i0, k, w)) return null;
    for (let i = 0; i < m; i++) {
      const bi = bOff + (r0 + i) * k;
      for (let c = 0, wi = i * k; c < k; c++) b[bi + c]! -= w[wi + c]!;
    }
  }
  return -1;
}

/** Row i of X: subtract T[i, p] X[p] for p in [p0, p1), then divide by T[i, i] unless unit. */
function rowSolve(
  t: Float64Array,
  tOff: number,
  b: Float64Array,
  bOff: number,
  n: number,
  k: number,
  i: number,
  p0: number,
  p1: number,
  unit: boolean,
): void {
  const ti = tOff + i * n;
  const bi = bOff + i * k;
  for (let p = p0; p < p1; p++) {
    const f = t[ti + p]!;
    if (f === 0) continue;
    const bp = bOff + p * k;
    for (let c = 0; c < k; c++) b[bi + c]! -= f * b[bp + c]!;
  }
  if (!unit) {
    const inv = 1 / t[ti + i]!;
    for (let c = 0; c < k; c++) b[bi + c]! *= inv;
  }
}
