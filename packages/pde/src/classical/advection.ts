import { ValueError } from '@difflab/tensor';
import { finite } from '../internal/checks.js';
import { grid1d, initialValues, march, timeGrid, type InitialCondition1d, type Solution1d } from './grid.js';

/**
 * Options of {@link solveAdvection1d}.
 *
 * @example
 * ```ts
 * import { solveAdvection1d, type Advection1dOptions } from '@difflab/pde';
 * const opts: Advection1dOptions = { c: 1, domain: [0, 1], nx: 200, u0: (x) => Math.sin(2 * Math.PI * x), tEnd: 1, dt: 2e-3, scheme: 'upwind' };
 * const { u } = solveAdvection1d(opts);
 * ```
 */
export interface Advection1dOptions {
  /** Constant velocity c in u_t + c u_x = 0. */
  c: number;
  /** The periodic interval [a, b). */
  domain: readonly [number, number];
  /** Grid points (x_i = a + i(b − a)/nx). */
  nx: number;
  /** Initial condition. */
  u0: InitialCondition1d;
  /** Final time. */
  tEnd: number;
  /** Largest time step; steps are shortened to land on the snapshot times. */
  dt: number;
  /** Snapshots, including t = 0 and tEnd (default 2). */
  nt?: number;
  /** 'upwind' (first order) or 'lax-wendroff' (second order, the default). */
  scheme?: 'upwind' | 'lax-wendroff';
}

/**
 * Finite differences for linear advection on a periodic interval; requires |c| dt/dx ≤ 1 (CFL).
 *
 * @example
 * ```ts
 * import { solveAdvection1d } from '@difflab/pde';
 * // One period of transport returns the profile to where it started (up to the scheme's error).
 * const sol = solveAdvection1d({ c: 1, domain: [0, 1], nx: 200, u0: (x) => Math.sin(2 * Math.PI * x), tEnd: 1, dt: 2.5e-3 });
 * ```
 */
export function solveAdvection1d(opts: Advection1dOptions): Solution1d {
  const op = 'solveAdvection1d';
  const c = finite(op, 'c', opts.c);
  const g = grid1d(op, opts.domain, opts.nx, 'periodic');
  const tg = timeGrid(op, opts.tEnd, opts.dt, opts.nt ?? 2);
  const scheme = opts.scheme ?? 'lax-wendroff';
  if (scheme !== 'upwind' && scheme !== 'lax-wendroff')
    throw new ValueError(`${op}: unknown scheme '${String(scheme)}'`);
  const nu = (c * tg.dt) / g.dx;
  if (Math.abs(nu) > 1)
    throw new ValueError(`${op}: CFL number |c| dt/dx = ${Math.abs(nu).toPrecision(4)} > 1; reduce dt`);
  const n = g.x.length;
  const prev = new Float64Array(n);
  const step = (u: Float64Array) => {
    prev.set(u);
    for (let i = 0; i < n; i++) {
      const um = prev[(i - 1 + n) % n]!;
      const u0 = prev[i]!;
      const up = prev[(i + 1) % n]!;
      u[i] =
        scheme === 'upwind'
          ? nu >= 0
            ? u0 - nu * (u0 - um)
            : u0 - nu * (up - u0)
          : u0 - 0.5 * nu * (up - um) + 0.5 * nu * nu * (up - 2 * u0 + um);
    }
  };
  return march(g.x, initialValues(op, opts.u0, g.x), tg, step, op);
}
