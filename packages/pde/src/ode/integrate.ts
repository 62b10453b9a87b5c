import { Tensor, ValueError, abs, add, div, maximum, mul, stopGradient, sub, sum, square } from '@difflab/tensor';
import { finite, integer, nonNegative, positive } from '../internal/checks.js';
import { DOPRI5, EULER, MIDPOINT, RK4, type Tableau } from './tableau.js';

/** A system state: one or more tensors integrated together (e.g. y and its adjoint). */
export type State = Tensor[];
/** Right-hand side of y' = f(t, y) on a state. */
export type StateFn = (t: number, y: State) => State;

/**
 * The integrators: forward Euler, explicit midpoint, classical RK4 (fixed steps) and adaptive Dormand–Prince 5(4).
 *
 * @example
 * ```ts
 * import { odeint, type OdeMethod } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const method: OdeMethod = 'rk4';
 * const ys = odeint((_t, y) => y.neg(), tensor([1]), [0, 1], { method, stepSize: 0.1 });
 * ```
 */
export type OdeMethod = 'euler' | 'midpoint' | 'rk4' | 'dopri5';

/**
 * Integrator settings shared by the ODE functions.
 *
 * @example
 * ```ts
 * import { solveIvp, type IntegrateOptions } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const opts: IntegrateOptions = { method: 'dopri5', rtol: 1e-8, atol: 1e-10, maxStep: 0.1 };
 * const r = solveIvp((_t, y) => y.neg(), tensor([1], { dtype: 'float64' }), [0, 1], opts);
 * ```
 */
export interface IntegrateOptions {
  /** 'dopri5' (adaptive Dormand–Prince 5(4), default) or a fixed-step 'rk4' / 'midpoint' / 'euler'. */
  method?: OdeMethod;
  /** Relative and absolute tolerances of the adaptive method (default 1e-6, 1e-9). */
  rtol?: number;
  /** Absolute tolerance of the adaptive method (default 1e-9). */
  atol?: number;
  /** Fixed-step methods: the step, shortened to land on every output time (default: 1 step per interval). */
  stepSize?: number;
  /** Adaptive: the first step (default: Hairer's estimate, as in scipy). */
  firstStep?: number;
  /** Adaptive: the largest step (default ∞). */
  maxStep?: number;
  /** Cap on accepted + rejected steps (default 100000). */
  maxSteps?: number;
}

/**
 * Work counters of an integration (as `scipy.integrate.solve_ivp` reports them).
 *
 * @example
 * ```ts
 * import { solveIvp, type IntegrateStats } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const stats: IntegrateStats = solveIvp((_t, y) => y.neg(), tensor([1]), [0, 1]).stats;
 * stats.nsteps; // accepted steps
 * ```
 */
export interface IntegrateStats {
  /** Right-hand-side evaluations. */
  nfev: number;
  /** Accepted steps. */
  nsteps: number;
  /** Rejected steps (adaptive methods). */
  nrejected: number;
}

const TABLEAUX: Record<OdeMethod, Tableau> = { euler: EULER, midpoint: MIDPOINT, rk4: RK4, dopri5: DOPRI5 };

export function tableauFor(op: string, method: string): Tableau {
  const t = TABLEAUX[method as OdeMethod];
  if (!t) throw new ValueError(`${op}: unknown method '${method}' (expected ${Object.keys(TABLEAUX).join(', ')})`);
  return t;
}

/** y + Σ h·cᵢ·kᵢ on every component, skipping zero coefficients. */
function combine(y: State, ks: State[], coefs: readonly number[], h: number): State {
  return y.map((yj, j) => {
    let acc = yj;
    coefs.forEach((c, i) => {
      if (c !== 0 && ks[i]) acc = add(acc, mul(ks[i]![j]!, h * c));
    });
    return acc;
  });
}

function rmsNorm(parts: Tensor[]): number {
  let s = 0;
  let n = 0;
  for (const p of parts) {
    s += sum(square(p)).item();
    n += p.size;
  }
  return Math.sqrt(s / Math.max(n, 1));
}

/** Scaled error of an embedded pair: RMS of err / (atol + rtol · max(|y|, |y_new|)) (scipy's norm). */
function errorNorm(y: State, yNew: State, err: State, rtol: number, atol: number): number {
  return rmsNorm(
    err.map((e, j) =>
      div(stopGradient(e), add(mul(maximum(abs(stopGradient(y[j]!)), abs(stopGradient(yNew[j]!))), rtol), atol)),
    ),
  );
}

/** Hairer & Wanner's starting step (II.4), as scipy's `select_initial_step`. */
function initialStep(
  f: StateFn,
  t0: number,
  y0: State,
  f0: State,
  direction: number,
  order: number,
  rtol: number,
  atol: number,
  stats: IntegrateStats,
): number {
  const scale = y0.map((y) => add(mul(abs(stopGradient(y)), rtol), atol));
  const d0 = rmsNorm(y0.map((y, j) => div(stopGradient(y), scale[j]!)));
  const d1 = rmsNorm(f0.map((v, j) => div(stopGradient(v), scale[j]!)));
  const h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
  const y1 = y0.map((y, j) => add(stopGradient(y), mul(stopGradient(f0[j]!), h0 * direction)));
  const f1 = f(t0 + h0 * direction, y1);
  stats.nfev++;
  const d2 = rmsNorm(f1.map((v, j) => div(sub(stopGradient(v), stopGradient(f0[j]!)), scale[j]!))) / h0;
  const h1 =
    d1 <= 1e-15 && d2 <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 1 / (order + 1));
  return Math.min(100 * h0, h1);
}

/**
 * Integrates y' = f(t, y) from ts[0] through every later time in `ts` (strictly monotone, either
 * direction) and returns the states at those times (index 0 is y0). Differentiable by ordinary
 * backpropagation through the steps; `odeintAdjoint` gives the memory-light adjoint gradients.
 */
export function integrate(
  op: string,
  f: StateFn,
  y0: State,
  ts: readonly number[],
  opts: IntegrateOptions,
  stats: IntegrateStats,
): State[] {
  const tab = tableauFor(op, opts.method ?? 'dopri5');
  if (ts.length < 1) throw new ValueError(`${op}: ts must hold at least one time`);
  ts.forEach((t, i) => finite(op, `ts[${i}]`, t));
  const direction = ts.length > 1 ? Math.sign(ts[1]! - ts[0]!) : 1;
  for (let i = 1; i < ts.length; i++)
    if (!(direction * (ts[i]! - ts[i - 1]!) > 0))
      throw new ValueError(`${op}: ts must be strictly monotone, got ${ts[i - 1]} then ${ts[i]}`);
  const maxSteps = integer(op, 'maxSteps', opts.maxSteps ?? 100000, 1);
  const out: State[] = [y0];
  let y = y0;
  let t = ts[0]!;
  if (!tab.e) {
    const hMax = opts.stepSize === undefined ? Infinity : positive(op, 'stepSize', opts.stepSize);
    for (let i = 1; i < ts.length; i++) {
      const span = ts[i]! - ts[i - 1]!;
      const n = Math.max(1, Math.ceil(Math.abs(span) / hMax - 1e-9));
      const h = span / n;
      for (let s = 0; s < n; s++) {
        const ks: State[] = [];
        for (let k = 0; k < tab.c.length; k++) {
          ks.push(f(t + tab.c[k]! * h, k === 0 ? y : combine(y, ks, tab.a[k]!, h)));
          stats.nfev++;
        }
        y = combine(y, ks, tab.b, h);
        t = ts[i - 1]! + (s + 1) * h;
        stats.nsteps++;
        if (stats.nsteps > maxSteps) throw new ValueError(`${op}: more than maxSteps = ${maxSteps} steps`);
      }
      t = ts[i]!;
      out.push(y);
    }
    return out;
  }
  const rtol = nonNegative(op, 'rtol', opts.rtol ?? 1e-6);
  const atol = nonNegative(op, 'atol', opts.atol ?? 1e-9);
  if (rtol === 0 && atol === 0) throw new ValueError(`${op}: rtol and atol cannot both be zero`);
  const maxStep = opts.maxStep === undefined ? Infinity : positive(op, 'maxStep', opts.maxStep);
  if (ts.length === 1) return out;
  let fy = f(t, y);
  stats.nfev++;
  let h = Math.min(
    maxStep,
    opts.firstStep === undefined
      ? initialStep(f, t, y, fy, direction, tab.order, rtol, atol, stats)
      : positive(op, 'firstStep', opts.firstStep),
  );
  const exponent = -1 / tab.order;
  let attempts = 0;
  for (let i = 1; i < ts.length; i++) {
    const target = ts[i]!;
    while (direction * (target - t) > 0) {
      if (++attempts > maxSteps)
        throw new ValueError(`${op}: more than maxSteps = ${maxSteps} steps before t = ${target}`);
      // Land exactly on the output time instead of interpolating.
      const remaining = Math.abs(target - t);
      const hStep = Math.min(h, remaining, maxStep);
      const hs = hStep * direction;
      const ks: State[] = [fy];
      for (let k = 1; k < tab.c.length; k++) {
        ks.push(f(t + tab.c[k]! * hs, combine(y, ks, tab.a[k]!, hs)));
        stats.nfev++;
      }
      // Stage 7 of DOPRI5 is evaluated at the new point, so y_new = the stage-7 argument.
      const yNew = combine(y, ks, tab.b, hs);
      const err = ks[0]!.map((_, j) => {
        let acc: Tensor | null = null;
        tab.e!.forEach((c, k) => {
          if (c !== 0) acc = acc ? add(acc, mul(ks[k]![j]!, hs * c)) : mul(ks[k]![j]!, hs * c);
        });
        return acc!;
      });
      const en = errorNorm(y, yNew, err, rtol, atol);
      if (!Number.isFinite(en)) throw new ValueError(`${op}: the solution became non-finite near t = ${t}`);
      if (en <= 1) {
        t = hStep === remaining ? target : t + hs;
        y = yNew;
        fy = ks[ks.length - 1]!;
        stats.nsteps++;
        const factor = en === 0 ? 10 : Math.min(10, 0.9 * Math.pow(en, exponent));
        // A step clipped to an output time does not shrink the next one.
        h = hStep < h ? Math.max(h, hStep * factor) : hStep * factor;
      } else {
        stats.nrejected++;
        h = hStep * Math.max(0.2, 0.9 * Math.pow(en, exponent));
        if (h < 1e-14 * Math.max(1, Math.abs(t)))
          throw new ValueError(`${op}: step size underflow at t = ${t}; the problem may be stiff`);
      }
    }
    out.push(y);
  }
  return out;
}
