import { ValueError } from '@difflab/tensor';
import { positive } from '../internal/checks.js';
import {
  boundaryAt,
  grid1d,
  initialValues,
  march,
  solveCyclicTridiagonal,
  solveTridiagonal,
  timeGrid,
  type Boundary1d,
  type InitialCondition1d,
  type Solution1d,
} from './grid.js';

/**
 * Options of {@link solveHeat1d}.
 *
 * @example
 * ```ts
 * import { solveHeat1d, type Heat1dOptions } from '@difflab/pde';
 * const opts: Heat1dOptions = { alpha: 0.01, domain: [0, 1], nx: 101, u0: (x) => Math.sin(Math.PI * x), tEnd: 1, dt: 0.01, scheme: 'crank-nicolson' };
 * const { u } = solveHeat1d(opts);
 * ```
 */
export interface Heat1dOptions {
  /** Diffusivity α in u_t = α u_xx + s(x, t). */
  alpha: number;
  /** The interval [a, b]. */
  domain: readonly [number, number];
  /** Grid points (see {@link Boundary1d} for where they lie). */
  nx: number;
  /** Initial condition. */
  u0: InitialCondition1d;
  /** Final time. */
  tEnd: number;
  /** Largest time step; the steps are shortened to land on the snapshot times. */
  dt: number;
  /** Snapshots, including t = 0 and tEnd (default 2). */
  nt?: number;
  /** Boundary conditions (default zero Dirichlet values at both ends). */
  boundary?: Boundary1d;
  /**
   * 'ftcs' (explicit Euler, O(dt + dx²), stable for α dt/dx² ≤ 1/2), 'backward-euler' (O(dt + dx²))
   * or 'crank-nicolson' (O(dt² + dx²), the default).
   */
  scheme?: 'ftcs' | 'backward-euler' | 'crank-nicolson';
  /** Source term s(x, t) (default none). */
  source?: (x: number, t: number) => number;
}

/**
 * Finite differences for the 1-D heat equation (second-order central differences in space).
 *
 * @example
 * ```ts
 * import { solveHeat1d } from '@difflab/pde';
 * // u = e^{−π² α t} sin(πx) with zero Dirichlet ends (the default boundary).
 * const sol = solveHeat1d({ alpha: 0.1, domain: [0, 1], nx: 101, u0: (x) => Math.sin(Math.PI * x), tEnd: 1, dt: 1e-3 });
 * const uEnd = sol.u.dataSync().slice(101); // ≈ e^{−0.1π²} sin(πx)
 * ```
 */
export function solveHeat1d(opts: Heat1dOptions): Solution1d {
  const op = 'solveHeat1d';
  const alpha = positive(op, 'alpha', opts.alpha);
  const boundary = opts.boundary ?? { left: 0, right: 0 };
  const g = grid1d(op, opts.domain, opts.nx, boundary);
  const tg = timeGrid(op, opts.tEnd, opts.dt, opts.nt ?? 2);
  const scheme = opts.scheme ?? 'crank-nicolson';
  const theta = scheme === 'ftcs' ? 0 : scheme === 'backward-euler' ? 1 : scheme === 'crank-nicolson' ? 0.5 : NaN;
  if (Number.isNaN(theta)) throw new ValueError(`${op}: unknown scheme '${String(scheme)}'`);
  const r = (alpha * tg.dt) / (g.dx * g.dx);
  if (theta === 0 && r > 0.5)
    throw new ValueError(`${op}: FTCS is unstable for alpha dt/dx^2 = ${r.toPrecision(4)} > 1/2; reduce dt`);
  const n = g.x.length;
  const u0 = initialValues(op, opts.u0, g.x);
  const src = opts.source;
  const bc = boundary === 'periodic' ? null : boundary;
  if (bc) {
    u0[0] = boundaryAt(bc.left, 0);
    u0[n - 1] = boundaryAt(bc.right, 0);
  }
  // Unknowns: all points (periodic) or the interior ones (Dirichlet).
  const off = bc ? 1 : 0;
  const m = bc ? n - 2 : n;
  const lower = new Float64Array(m).fill(-theta * r);
  const diag = new Float64Array(m).fill(1 + 2 * theta * r);
  const upper = new Float64Array(m).fill(-theta * r);
  const rhs = new Float64Array(m);
  const lap = (u: Float64Array, i: number) => {
    const l = i === 0 ? u[n - 1]! : u[i - 1]!;
    const rr = i === n - 1 ? u[0]! : u[i + 1]!;
    return l - 2 * u[i]! + rr;
  };
  const step = (u: Float64Array, t: number, dt: number) => {
    for (let k = 0; k < m; k++) {
      const i = k + off;
      let s = 0;
      if (src) s = dt * ((1 - theta) * src(g.x[i]!, t) + theta * src(g.x[i]!, t + dt));
      rhs[k] = u[i]! + (1 - theta) * r * lap(u, i) + s;
    }
    if (bc) {
      const [l1, r1] = [boundaryAt(bc.left, t + dt), boundaryAt(bc.right, t + dt)];
      rhs[0] += theta * r * l1;
      rhs[m - 1] += theta * r * r1;
      if (theta > 0) solveTridiagonal(lower, diag, upper, rhs);
      u.set(rhs, 1);
      u[0] = l1;
      u[n - 1] = r1;
    } else {
      if (theta > 0) solveCyclicTridiagonal(lower, diag, upper, rhs);
      u.set(rhs);
    }
  };
  return march(g.x, u0, tg, step, op);
}
