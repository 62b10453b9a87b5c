import { ValueError } from '@difflab/tensor';
import { finite } from '../internal/checks.js';
import { grid1d, initialValues, march, timeGrid, type InitialCondition1d, type Solution1d } from './grid.js';

export interface Advection1dOptions {
  /** Constant velocity c in u_t + c u_x = 0. */
  c: number;
  domain: readonly [number, number];
  nx: number;
  u0: InitialCondition1d;
  tEnd: number;
  dt: number;
  nt?: number;
  /** 'upwind' (first order) or 'lax-wendroff' (second order, the default). */
  scheme?: 'upwind' | 'lax-wendroff';
}

/** Finite differences for linear advection on a periodic interval; requires |c| dt/dx ≤ 1 (CFL). */
export function solveAdvection1d(opts: Advection1dOptions): Solution1d {
  const op = 'solveAdvection1d';
  const c = finite(op, 'c', opts.c);
  const g = grid1d(op, opts.domain, opts.nx, 'periodic');
  const tg = timeGrid(op, opts.tEnd, opts.dt, opts.nt ?? 2);
  const scheme = opts.scheme ?? 'lax-wendroff';
  if (scheme !== 'upwind' && scheme !== 'lax-wendroff') throw new ValueError(`${op}: unknown scheme '${String(scheme)}'`);
  const nu = (c * tg.dt) / g.dx;
  if (Math.abs(nu) > 1) throw new ValueError(`${op}: CFL number |c| dt/dx = ${Math.abs(nu).toPrecision(4)} > 1; reduce dt`);
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
