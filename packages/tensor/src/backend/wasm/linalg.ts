import { gemmF64 } from './matmul.js';
import { getKernelMode, kernelInstance } from './runtime.js';
import { rowSolve } from '../../linalg/kernels/row-solve.js';

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

/** Largest GEMM output (elements) per call: bounds the scratch and the kernel memory it needs. */
const MAX_TILE = 1 << 20;

/**
 * D[i, j] -= sum_p A[i, p] B[p, j] for i < m, j < cols(i), with raw offsets and strides (row
 * stride ld for D, unit column stride). `lowerOnly` restricts row i to the columns j <= i + diag.
 * Rows go in chunks so no temporary exceeds MAX_TILE elements; a chunk the SIMD kernels cannot
 * take (memory exhausted) is done by a plain loop, so a factorization never stops half-way.
 */
export function subtractProduct(
  A: Float64Array,
  aOff: number,
  am: number,
  ak: number,
  B: Float64Array,
  bOff: number,
  bk: number,
  bn: number,
  D: Float64Array,
  dOff: number,
  ld: number,
  m: number,
  k: number,
  n: number,
  lowerOnly: boolean,
): void {
  const rows = Math.max(1, Math.floor(MAX_TILE / Math.max(1, n)));
  for (let r0 = 0; r0 < m; r0 += rows) {
    const r1 = Math.min(m, r0 + rows);
    // Lower-triangular updates only need the columns up to the chunk's last row.
    const cols = lowerOnly ? Math.min(n, r1) : n;
    const t = tmp((r1 - r0) * cols);
    const ok = gemmF64(A, aOff + r0 * am, am, ak, B, bOff, bk, bn, r1 - r0, k, cols, t);
    for (let i = r0; i < r1; i++) {
      const di = dOff + i * ld;
      const jEnd = lowerOnly ? Math.min(cols, i + 1) : cols;
      if (ok) {
        for (let j = 0, ti = (i - r0) * cols; j < jEnd; j++) D[di + j]! -= t[ti + j]!;
      } else {
        for (let j = 0; j < jEnd; j++) {
          let acc = 0;
          for (let p = 0; p < k; p++) acc += A[aOff + i * am + p * ak]! * B[bOff + p * bk + j * bn]!;
          D[di + j]! -= acc;
        }
      }
    }
  }
}

/**
 * In-place blocked lower Cholesky of the n x n row-major block at `off`; the same contract as
 * `choleskyInPlace` (-1 on success, else the index of the first non-positive pivot; strict upper
 * triangle zeroed on success). Null when the blocked path does not apply.
 */
export function choleskyBlocked(a: Float64Array, off: number, n: number): number | null {
  const nb = blockSize();
  if (n <= 2 * nb || !kernelInstance()) return null;
  // From here on the factorization always completes (see subtractProduct), never returns null.
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
    // Trailing update A22 -= L21 L21^T, lower triangle only.
    const base = off + j1 * n + j0;
    subtractProduct(a, base, n, 1, a, base, 1, n, a, off + j1 * n + j1, n, n - j1, j1 - j0, n - j1, true);
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
  // From here on the solve always completes (see subtractProduct), never returns null.
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
    subtractProduct(t, tOff + r0 * n + i0, n, 1, b, bOff + i0 * k, k, 1, b, bOff + r0 * k, k, m, i1 - i0, k, false);
  }
  return -1;
}
