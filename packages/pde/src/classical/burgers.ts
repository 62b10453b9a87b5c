import { ValueError } from '@difflab/tensor';
import { nonNegative, positive } from '../internal/checks.js';
import {
  boundaryAt,
  grid1d,
  initialValues,
  march,
  timeGrid,
  type Boundary1d,
  type InitialCondition1d,
  type Solution1d,
} from './grid.js';

/**
 * Options of {@link solveBurgers1d}.
 *
 * @example
 * ```ts
 * import { solveBurgers1d, type Burgers1dOptions } from '@difflab/pde';
 * const opts: Burgers1dOptions = { nu: 0.01 / Math.PI, domain: [-1, 1], nx: 401, u0: (x) => -Math.sin(Math.PI * x), tEnd: 1, boundary: { left: 0, right: 0 }, flux: 'rusanov' };
 * const sol = solveBurgers1d(opts);
 * ```
 */
export interface Burgers1dOptions {
  /** Viscosity ν ≥ 0 in u_t + (u²/2)_x = ν u_xx. */
  nu: number;
  /** The interval [a, b]. */
  domain: readonly [number, number];
  /** Grid points (see {@link Boundary1d} for where they lie). */
  nx: number;
  /** Initial condition. */
  u0: InitialCondition1d;
  /** Final time. */
  tEnd: number;
  /** Largest time step (default: 0.4 × the explicit advective and diffusive limits at t = 0). */
  dt?: number;
  /** Snapshots, including t = 0 and tEnd (default 2). */
  nt?: number;
  /** Boundary conditions (default 'periodic'). */
  boundary?: Boundary1d;
  /**
   * Flux of the convective term: 'central' (the energy-conserving skew-symmetric form, second order;
   * for resolved viscous solutions, the default) or 'rusanov' (local Lax–Friedrichs, first order,
   * robust at shocks).
   */
  flux?: 'central' | 'rusanov';
}

/**
 * Viscous Burgers equation by the method of lines: conservative finite differences in space and
 * classical RK4 in time (periodic or Dirichlet boundaries).
 *
 * @example
 * ```ts
 * import { solveBurgers1d } from '@difflab/pde';
 * const sol = solveBurgers1d({ nu: 0.1, domain: [0, 1], nx: 128, u0: (x) => Math.sin(2 * Math.PI * x), tEnd: 1, nt: 11 });
 * sol.u.shape; // [11, 128]
 * ```
 */
export function solveBurgers1d(opts: Burgers1dOptions): Solution1d {
  const op = 'solveBurgers1d';
  const nu = nonNegative(op, 'nu', opts.nu);
  const boundary = opts.boundary ?? 'periodic';
  const g = grid1d(op, opts.domain, opts.nx, boundary);
  const flux = opts.flux ?? 'central';
  if (flux !== 'central' && flux !== 'rusanov') throw new ValueError(`${op}: unknown flux '${String(flux)}'`);
  const u0 = initialValues(op, opts.u0, g.x);
  const umax = Math.max(1e-12, ...Array.from(u0, Math.abs));
  const dx = g.dx;
  const dtAuto = 0.4 * Math.min(dx / umax, nu > 0 ? (dx * dx) / (2 * nu) : Infinity);
  const dt = opts.dt === undefined ? dtAuto : positive(op, 'dt', opts.dt);
  const tg = timeGrid(op, opts.tEnd, dt, opts.nt ?? 2);
  const n = g.x.length;
  const bc = boundary === 'periodic' ? null : boundary;
  const F = new Float64Array(n + 1);
  // du/dt at every point; Dirichlet end points are held (their rate is zero, values set per stage).
  const rate = (u: Float64Array, out: Float64Array) => {
    const at = (i: number) => (bc ? u[i]! : u[(i + n) % n]!);
    const hi = bc ? n - 1 : n;
    for (let f = 0; f < hi; f++) {
      // Interface f sits between points f and f+1.
      const a = at(f);
      const b = at(f + 1);
      F[f] =
        flux === 'central'
          ? (a * a + a * b + b * b) / 6
          : 0.25 * (a * a + b * b) - 0.5 * Math.max(Math.abs(a), Math.abs(b)) * (b - a);
    }
    for (let i = 0; i < n; i++) {
      if (bc && (i === 0 || i === n - 1)) {
        out[i] = 0;
        continue;
      }
      const fl = bc ? F[i - 1]! : F[(i - 1 + n) % n]!;
      out[i] = -(F[i]! - fl) / dx + (nu * (at(i - 1) - 2 * u[i]! + at(i + 1))) / (dx * dx);
    }
  };
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const tmp = new Float64Array(n);
  const setBc = (u: Float64Array, t: number) => {
    if (!bc) return;
    u[0] = boundaryAt(bc.left, t);
    u[n - 1] = boundaryAt(bc.right, t);
  };
  setBc(u0, 0);
  const step = (u: Float64Array, t: number, h: number) => {
    rate(u, k1);
    for (let i = 0; i < n; i++) tmp[i] = u[i]! + 0.5 * h * k1[i]!;
    setBc(tmp, t + h / 2);
    rate(tmp, k2);
    for (let i = 0; i < n; i++) tmp[i] = u[i]! + 0.5 * h * k2[i]!;
    setBc(tmp, t + h / 2);
    rate(tmp, k3);
    for (let i = 0; i < n; i++) tmp[i] = u[i]! + h * k3[i]!;
    setBc(tmp, t + h);
    rate(tmp, k4);
    for (let i = 0; i < n; i++) u[i] = u[i]! + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
    setBc(u, t + h);
  };
  return march(g.x, u0, tg, step, op);
}
