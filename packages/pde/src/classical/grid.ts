import { Tensor, ValueError, fromTypedArray } from '@difflab/tensor';
import { finite, integer, positive } from '../internal/checks.js';

/**
 * Snapshots of a 1-D field: x [nx], t [nt], u [nt, nx] (float64).
 *
 * @example
 * ```ts
 * import { solveHeat1d, type Solution1d } from '@difflab/pde';
 * const sol: Solution1d = solveHeat1d({ alpha: 0.1, domain: [0, 1], nx: 51, u0: (x) => Math.sin(Math.PI * x), tEnd: 0.5, dt: 1e-3, nt: 6 });
 * sol.u.shape; // [6, 51]: six snapshots at sol.t
 * ```
 */
export interface Solution1d {
  /** Grid points [nx]. */
  x: Tensor;
  /** Snapshot times [nt]. */
  t: Tensor;
  /** The field at each snapshot time, [nt, nx]. */
  u: Tensor;
}

/**
 * An initial condition: a function of x or its values on the grid.
 *
 * @example
 * ```ts
 * import { solveAdvection1d, type InitialCondition1d } from '@difflab/pde';
 * const bump: InitialCondition1d = (x) => Math.exp(-100 * (x - 0.5) ** 2);
 * const sol = solveAdvection1d({ c: 1, domain: [0, 1], nx: 100, u0: bump, tEnd: 1, dt: 5e-3 });
 * ```
 */
export type InitialCondition1d = ((x: number) => number) | ArrayLike<number> | Tensor;

/**
 * A boundary value: constant or a function of time.
 *
 * @example
 * ```ts
 * import { solveHeat1d, type BoundaryValue } from '@difflab/pde';
 * const left: BoundaryValue = (t) => Math.sin(t);
 * const sol = solveHeat1d({ alpha: 1, domain: [0, 1], nx: 21, u0: () => 0, tEnd: 0.1, dt: 1e-3, boundary: { left, right: 0 } });
 * ```
 */
export type BoundaryValue = number | ((t: number) => number);

/**
 * Boundary conditions of the 1-D solvers: `'periodic'` (grid x_i = a + i(b−a)/nx, the right end is
 * the left one) or Dirichlet values at both ends (grid x_i = a + i(b−a)/(nx−1), ends included).
 *
 * @example
 * ```ts
 * import { solveBurgers1d, type Boundary1d } from '@difflab/pde';
 * const boundary: Boundary1d = 'periodic';
 * const sol = solveBurgers1d({ nu: 0.1, domain: [0, 1], nx: 64, u0: (x) => Math.sin(2 * Math.PI * x), tEnd: 0.5, boundary });
 * ```
 */
export type Boundary1d =
  | 'periodic'
  | {
      /** Value at the left end x = a. */
      left: BoundaryValue;
      /** Value at the right end x = b. */
      right: BoundaryValue;
    };

export interface Grid1d {
  x: Float64Array;
  dx: number;
  periodic: boolean;
}

export function grid1d(op: string, domain: readonly [number, number], nx: number, boundary: Boundary1d): Grid1d {
  const [a, b] = domain;
  finite(op, 'domain[0]', a);
  finite(op, 'domain[1]', b);
  if (!(a < b)) throw new ValueError(`${op}: empty domain [${a}, ${b}]`);
  const periodic = checkBoundary(op, boundary);
  integer(op, 'nx', nx, periodic ? 2 : 3);
  const dx = (b - a) / (periodic ? nx : nx - 1);
  return { x: Float64Array.from({ length: nx }, (_, i) => a + i * dx), dx, periodic };
}

function checkBoundary(op: string, boundary: Boundary1d): boolean {
  if (boundary === 'periodic') return true;
  if (typeof boundary !== 'object' || boundary === null || !('left' in boundary) || !('right' in boundary))
    throw new ValueError(`${op}: boundary must be 'periodic' or {left, right}`);
  for (const side of ['left', 'right'] as const) {
    const v = boundary[side];
    if (typeof v === 'number') finite(op, `boundary.${side}`, v);
    else if (typeof v !== 'function')
      throw new ValueError(`${op}: boundary.${side} must be a number or a function of t`);
  }
  return false;
}

export function boundaryAt(v: BoundaryValue, t: number): number {
  return typeof v === 'number' ? v : v(t);
}

export function initialValues(op: string, u0: InitialCondition1d, x: Float64Array): Float64Array {
  let u: Float64Array;
  if (typeof u0 === 'function') u = x.map((xi) => u0(xi));
  else {
    const v = u0 instanceof Tensor ? u0.dataSync() : u0;
    if (v.length !== x.length)
      throw new ValueError(`${op}: initial condition has ${v.length} values but the grid has ${x.length} points`);
    u = Float64Array.from(v as ArrayLike<number>);
  }
  for (let i = 0; i < u.length; i++)
    if (!Number.isFinite(u[i]!))
      throw new ValueError(`${op}: initial condition is not finite at x = ${x[i]} (${u[i]})`);
  return u;
}

export interface TimeGrid {
  dt: number;
  stepsPerSave: number;
  nSave: number;
  tEnd: number;
}

/**
 * Uniform steps no longer than `dt` that land exactly on `nt` equally spaced snapshot times
 * 0, tEnd/(nt−1), …, tEnd.
 */
export function timeGrid(op: string, tEnd: number, dt: number, nt: number): TimeGrid {
  positive(op, 'tEnd', tEnd);
  positive(op, 'dt', dt);
  integer(op, 'nt', nt, 2);
  const stepsPerSave = Math.max(1, Math.ceil(tEnd / (nt - 1) / dt - 1e-9));
  return { dt: tEnd / ((nt - 1) * stepsPerSave), stepsPerSave, nSave: nt, tEnd };
}

/** Runs `step(u, t, dt)` (in place) over the time grid and packs the snapshots. */
export function march(
  grid: Float64Array,
  u0: Float64Array,
  tg: TimeGrid,
  step: (u: Float64Array, t: number, dt: number) => void,
  check: string,
): Solution1d {
  const nx = u0.length;
  const out = new Float64Array(tg.nSave * nx);
  out.set(u0, 0);
  const u = Float64Array.from(u0);
  let t = 0;
  for (let s = 1; s < tg.nSave; s++) {
    for (let k = 0; k < tg.stepsPerSave; k++) {
      step(u, t, tg.dt);
      t += tg.dt;
    }
    for (let i = 0; i < nx; i++)
      if (!Number.isFinite(u[i]!))
        throw new ValueError(`${check}: the solution became non-finite by t = ${t.toPrecision(4)}; reduce dt`);
    out.set(u, s * nx);
  }
  const times = Float64Array.from({ length: tg.nSave }, (_, s) => (s * tg.tEnd) / (tg.nSave - 1));
  return {
    x: fromTypedArray(Float64Array.from(grid), [nx], { dtype: 'float64' }),
    t: fromTypedArray(times, [tg.nSave], { dtype: 'float64' }),
    u: fromTypedArray(out, [tg.nSave, nx], { dtype: 'float64' }),
  };
}

/**
 * Solves the tridiagonal system lower[i] x[i−1] + diag[i] x[i] + upper[i] x[i+1] = rhs[i] (Thomas
 * algorithm; lower[0] and upper[n−1] are ignored). Overwrites and returns `rhs`.
 *
 * @example
 * ```ts
 * import { solveTridiagonal } from '@difflab/pde';
 * // [2 1 0; 1 2 1; 0 1 2] x = [3, 4, 3]  →  x = [1, 1, 1]
 * const x = solveTridiagonal(Float64Array.of(0, 1, 1), Float64Array.of(2, 2, 2), Float64Array.of(1, 1, 0), Float64Array.of(3, 4, 3));
 * ```
 */
export function solveTridiagonal(
  lower: Float64Array,
  diag: Float64Array,
  upper: Float64Array,
  rhs: Float64Array,
): Float64Array {
  const n = diag.length;
  const c = new Float64Array(n);
  let beta = diag[0]!;
  rhs[0] = rhs[0]! / beta;
  for (let i = 1; i < n; i++) {
    c[i] = upper[i - 1]! / beta;
    beta = diag[i]! - lower[i]! * c[i]!;
    rhs[i] = (rhs[i]! - lower[i]! * rhs[i - 1]!) / beta;
  }
  for (let i = n - 2; i >= 0; i--) rhs[i] = rhs[i]! - c[i + 1]! * rhs[i + 1]!;
  return rhs;
}

/**
 * Cyclic tridiagonal solve (corner entries lower[0] at (0, n−1) and upper[n−1] at (n−1, 0)) by
 * the Sherman–Morrison correction of two Thomas solves.
 *
 * @example
 * ```ts
 * import { solveCyclicTridiagonal } from '@difflab/pde';
 * // Periodic [4 1 1; 1 4 1; 1 1 4] x = [6, 6, 6]  →  x = [1, 1, 1]
 * const x = solveCyclicTridiagonal(Float64Array.of(1, 1, 1), Float64Array.of(4, 4, 4), Float64Array.of(1, 1, 1), Float64Array.of(6, 6, 6));
 * ```
 */
export function solveCyclicTridiagonal(
  lower: Float64Array,
  diag: Float64Array,
  upper: Float64Array,
  rhs: Float64Array,
): Float64Array {
  const n = diag.length;
  const alpha = upper[n - 1]!;
  const beta = lower[0]!;
  const gamma = -diag[0]!;
  const d = Float64Array.from(diag);
  d[0] = diag[0]! - gamma;
  d[n - 1] = diag[n - 1]! - (alpha * beta) / gamma;
  const x = solveTridiagonal(lower, Float64Array.from(d), upper, Float64Array.from(rhs));
  const uvec = new Float64Array(n);
  uvec[0] = gamma;
  uvec[n - 1] = alpha;
  const z = solveTridiagonal(lower, Float64Array.from(d), upper, uvec);
  const fact = (x[0]! + (beta * x[n - 1]!) / gamma) / (1 + z[0]! + (beta * z[n - 1]!) / gamma);
  for (let i = 0; i < n; i++) rhs[i] = x[i]! - fact * z[i]!;
  return rhs;
}
