import { LinAlgError, ShapeError, ValueError } from '@difflab/tensor';
import { finiteArray, integer, nonNegative } from '../internal/checks.js';
import type { CsrMatrix } from './sparse.js';

/**
 * Applies M⁻¹ (an approximation of A⁻¹): writes M⁻¹ r into z.
 *
 * @example
 * ```ts
 * import { CsrMatrix, conjugateGradientSparse, type Preconditioner } from '@difflab/pde';
 * const A = CsrMatrix.fromTriplets(2, [0, 1], [0, 1], [4, 9]);
 * const inverseDiagonal: Preconditioner = (r, z) => z.set([r[0]! / 4, r[1]! / 9]);
 * const { x } = conjugateGradientSparse(A, Float64Array.of(4, 9), { preconditioner: inverseDiagonal }); // [1, 1]
 * ```
 */
export type Preconditioner = (r: Float64Array, z: Float64Array) => void;

/**
 * Options of {@link conjugateGradientSparse}.
 *
 * @example
 * ```ts
 * import { CsrMatrix, conjugateGradientSparse, type CgOptions } from '@difflab/pde';
 * const A = CsrMatrix.fromTriplets(2, [0, 0, 1, 1], [0, 1, 0, 1], [2, -1, -1, 2]);
 * const opts: CgOptions = { tol: 1e-12, preconditioner: 'ic0' };
 * conjugateGradientSparse(A, Float64Array.of(1, 1), opts).x; // [1, 1]
 * ```
 */
export interface CgOptions {
  /** Stop when ‖r‖ ≤ tol ‖b‖ (default 1e-10). */
  tol?: number;
  /** Iteration cap (default 10 n). */
  maxIter?: number;
  /** Starting guess (default zeros). */
  x0?: Float64Array;
  /** 'none' (plain CG), 'jacobi', 'ssor' (ω = `omega`), 'ic0' (zero-fill incomplete Cholesky) or a function. */
  preconditioner?: 'none' | 'jacobi' | 'ssor' | 'ic0' | Preconditioner;
  /** SSOR relaxation factor in (0, 2) (default 1.5). */
  omega?: number;
  /** Throw a LinAlgError when not converged within maxIter (default false: report it). */
  throwOnFailure?: boolean;
}

/**
 * Result of {@link conjugateGradientSparse}.
 *
 * @example
 * ```ts
 * import { CsrMatrix, conjugateGradientSparse, type CgResult } from '@difflab/pde';
 * const A = CsrMatrix.fromTriplets(2, [0, 1], [0, 1], [1, 2]);
 * const r: CgResult = conjugateGradientSparse(A, Float64Array.of(1, 2));
 * r.converged; // true
 * ```
 */
export interface CgResult {
  /** The solution. */
  x: Float64Array;
  /** Iterations run. */
  iterations: number;
  /** ‖b − A x‖ / ‖b‖ at exit. */
  relativeResidual: number;
  /** Whether the relative residual reached `tol`. */
  converged: boolean;
  /** Relative residual after each iteration. */
  history: number[];
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/**
 * Jacobi preconditioner z = D⁻¹ r.
 *
 * @example
 * ```ts
 * import { CsrMatrix, conjugateGradientSparse, jacobiPreconditioner } from '@difflab/pde';
 * const A = CsrMatrix.fromTriplets(2, [0, 0, 1, 1], [0, 1, 0, 1], [4, 1, 1, 3]);
 * const r = conjugateGradientSparse(A, Float64Array.of(1, 2), { preconditioner: jacobiPreconditioner(A) });
 * ```
 */
export function jacobiPreconditioner(A: CsrMatrix): Preconditioner {
  const d = A.diagonal();
  for (let i = 0; i < d.length; i++)
    if (!(d[i]! > 0)) throw new LinAlgError(`jacobiPreconditioner: diagonal entry ${i} is ${d[i]}, not positive`);
  return (r, z) => {
    for (let i = 0; i < r.length; i++) z[i] = r[i]! / d[i]!;
  };
}

/**
 * Symmetric SOR preconditioner M = (D/ω + L) (D/ω)⁻¹ (D/ω + U) · ω/(2 − ω) for symmetric A.
 *
 * @example
 * ```ts
 * import { CsrMatrix, conjugateGradientSparse, ssorPreconditioner } from '@difflab/pde';
 * const A = CsrMatrix.fromTriplets(2, [0, 0, 1, 1], [0, 1, 0, 1], [4, 1, 1, 3]);
 * const r = conjugateGradientSparse(A, Float64Array.of(1, 2), { preconditioner: ssorPreconditioner(A, 1.2) });
 * ```
 */
export function ssorPreconditioner(A: CsrMatrix, omega = 1.5): Preconditioner {
  if (!(omega > 0 && omega < 2)) throw new ValueError(`ssorPreconditioner: omega must lie in (0, 2), got ${omega}`);
  const d = A.diagonal();
  const { n, rowPtr, colIdx, values } = A;
  return (r, z) => {
    // Forward sweep (D/ω + L) y = r, then backward (D/ω + U) z = (D/ω) y, scaled by (2−ω)/ω.
    for (let i = 0; i < n; i++) {
      let s = r[i]!;
      for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) if (colIdx[k]! < i) s -= values[k]! * z[colIdx[k]!]!;
      z[i] = (s * omega) / d[i]!;
    }
    for (let i = 0; i < n; i++) z[i] = (z[i]! * d[i]!) / omega;
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) if (colIdx[k]! > i) s -= values[k]! * z[colIdx[k]!]!;
      z[i] = (s * omega) / d[i]!;
    }
    for (let i = 0; i < n; i++) z[i] = z[i]! * (2 - omega);
  };
}

/**
 * Zero-fill incomplete Cholesky A ≈ L Lᵀ on the sparsity pattern of A's lower triangle; throws a
 * LinAlgError when a pivot is not positive (A not SPD or the factorization breaks down).
 *
 * @example
 * ```ts
 * import { CsrMatrix, conjugateGradientSparse, ic0Preconditioner } from '@difflab/pde';
 * const A = CsrMatrix.fromTriplets(2, [0, 0, 1, 1], [0, 1, 0, 1], [4, 1, 1, 3]);
 * const r = conjugateGradientSparse(A, Float64Array.of(1, 2), { preconditioner: ic0Preconditioner(A) });
 * ```
 */
export function ic0Preconditioner(A: CsrMatrix): Preconditioner {
  const { n, rowPtr, colIdx } = A;
  const L = Float64Array.from(A.values);
  const diagPos = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) if (colIdx[k] === i) diagPos[i] = k;
  // Row-oriented IC(0): for each row i, entries (i, j) with j ≤ i.
  const pos = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    pos.clear();
    for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) pos.set(colIdx[k]!, k);
    for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) {
      const j = colIdx[k]!;
      if (j > i) break;
      let s = L[k]!;
      // s -= Σ_{m < j} L[i, m] L[j, m] over the shared pattern.
      for (let kk = rowPtr[j]!; kk < rowPtr[j + 1]!; kk++) {
        const m = colIdx[kk]!;
        if (m >= j) break;
        const ki = pos.get(m);
        if (ki !== undefined) s -= L[ki]! * L[kk]!;
      }
      if (j === i) {
        if (!(s > 0))
          throw new LinAlgError(`ic0Preconditioner: non-positive pivot ${s} at row ${i}; the matrix is not SPD`);
        L[k] = Math.sqrt(s);
      } else L[k] = s / L[diagPos[j]!]!;
    }
    if (diagPos[i]! < 0) throw new LinAlgError(`ic0Preconditioner: row ${i} has no diagonal entry`);
  }
  return (r, z) => {
    // L y = r (row-wise forward), then Lᵀ z = y (column-wise backward on the rows of L).
    for (let i = 0; i < n; i++) {
      let s = r[i]!;
      for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) {
        const j = colIdx[k]!;
        if (j >= i) break;
        s -= L[k]! * z[j]!;
      }
      z[i] = s / L[diagPos[i]!]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      z[i] = z[i]! / L[diagPos[i]!]!;
      for (let k = rowPtr[i]!; k < rowPtr[i + 1]!; k++) {
        const j = colIdx[k]!;
        if (j >= i) break;
        z[j] = z[j]! - L[k]! * z[i]!;
      }
    }
  };
}

/**
 * (Preconditioned) conjugate gradients for a symmetric positive-definite sparse A.
 *
 * @example
 * ```ts
 * import { CsrMatrix, conjugateGradientSparse } from '@difflab/pde';
 * const A = CsrMatrix.fromTriplets(2, [0, 0, 1, 1], [0, 1, 0, 1], [2, -1, -1, 2]);
 * const { x, iterations, converged } = conjugateGradientSparse(A, Float64Array.of(1, 1)); // x = [1, 1]
 * ```
 */
export function conjugateGradientSparse(A: CsrMatrix, b: Float64Array, opts: CgOptions = {}): CgResult {
  const op = 'conjugateGradientSparse';
  const n = A.n;
  if (b.length !== n) throw new ShapeError(`${op}: right-hand side has length ${b.length}, matrix is ${n}x${n}`);
  finiteArray(op, 'b', b);
  const tol = nonNegative(op, 'tol', opts.tol ?? 1e-10);
  const maxIter = integer(op, 'maxIter', opts.maxIter ?? 10 * n, 1);
  const pc = opts.preconditioner ?? 'none';
  const M: Preconditioner | null =
    typeof pc === 'function'
      ? pc
      : pc === 'none'
        ? null
        : pc === 'jacobi'
          ? jacobiPreconditioner(A)
          : pc === 'ssor'
            ? ssorPreconditioner(A, opts.omega ?? 1.5)
            : pc === 'ic0'
              ? ic0Preconditioner(A)
              : (() => {
                  throw new ValueError(`${op}: unknown preconditioner '${String(pc)}'`);
                })();
  const x = opts.x0 ? Float64Array.from(opts.x0) : new Float64Array(n);
  if (x.length !== n) throw new ShapeError(`${op}: x0 has length ${x.length}, expected ${n}`);
  const r = new Float64Array(n);
  A.matvec(x, r);
  for (let i = 0; i < n; i++) r[i] = b[i]! - r[i]!;
  const bnorm = Math.sqrt(dot(b, b)) || 1;
  const z = new Float64Array(n);
  const apply = (src: Float64Array, dst: Float64Array) => (M ? M(src, dst) : dst.set(src));
  apply(r, z);
  const p = Float64Array.from(z);
  const Ap = new Float64Array(n);
  let rz = dot(r, z);
  let res = Math.sqrt(dot(r, r)) / bnorm;
  const history: number[] = [];
  let it = 0;
  while (res > tol && it < maxIter) {
    A.matvec(p, Ap);
    const pAp = dot(p, Ap);
    if (!(pAp > 0))
      throw new LinAlgError(`${op}: p·Ap = ${pAp} at iteration ${it}; the matrix is not positive definite`);
    const alpha = rz / pAp;
    for (let i = 0; i < n; i++) {
      x[i] = x[i]! + alpha * p[i]!;
      r[i] = r[i]! - alpha * Ap[i]!;
    }
    apply(r, z);
    const rzNew = dot(r, z);
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
    res = Math.sqrt(dot(r, r)) / bnorm;
    history.push(res);
    it++;
  }
  const converged = res <= tol;
  if (!converged && opts.throwOnFailure)
    throw new LinAlgError(`${op}: relative residual ${res.toExponential(3)} > tol ${tol} after ${it} iterations`);
  return { x, iterations: it, relativeResidual: res, converged, history };
}
