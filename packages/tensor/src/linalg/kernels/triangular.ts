import { solveTriangularBlocked } from '../../backend/wasm/linalg.js';
import { rowSolve } from './row-solve.js';

/**
 * Solves `T X = B` in place of B, where T is n×n (row-major at `tOff`) and B is n×k (row-major at
 * `bOff`). Only the selected triangle of T is read; with `unit` its diagonal is taken as ones.
 * Returns -1 on success, or the index of a zero diagonal entry (T singular) before touching B.
 *
 * Row-oriented substitution: each update subtracts a multiple of an already solved row of X, so
 * the innermost loop walks contiguous memory across the k right-hand sides.
 */
export function solveTriangularInPlace(
  t: Float64Array,
  tOff: number,
  b: Float64Array,
  bOff: number,
  n: number,
  k: number,
  lower: boolean,
  unit: boolean,
): number {
  // Large systems: blocked, with the off-diagonal updates on the SIMD GEMM (null when not applicable).
  const blocked = solveTriangularBlocked(t, tOff, b, bOff, n, k, lower, unit);
  if (blocked !== null) return blocked;
  if (!unit) for (let i = 0; i < n; i++) if (t[tOff + i * n + i] === 0) return i;
  if (lower) for (let i = 0; i < n; i++) rowSolve(t, tOff, b, bOff, n, k, i, 0, i, unit);
  else for (let i = n - 1; i >= 0; i--) rowSolve(t, tOff, b, bOff, n, k, i, i + 1, n, unit);
  return -1;
}
