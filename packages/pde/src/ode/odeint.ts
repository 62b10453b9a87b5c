import {
  ShapeError,
  Tensor,
  ValueError,
  customGrad,
  neg,
  slice,
  stack,
  tree,
  vjp,
  zerosLike,
  add,
  fmtShape,
} from '@difflab/tensor';
import { integrate, type IntegrateOptions, type IntegrateStats } from './integrate.js';

/**
 * Right-hand side y' = f(t, y, params); `params` is any pytree of tensors (or undefined).
 *
 * @example
 * ```ts
 * import { odeint, type OdeFunc } from '@difflab/pde';
 * import { mul, tensor, type Tensor } from '@difflab/tensor';
 * const decay: OdeFunc<Tensor> = (_t, y, k) => mul(y, k).neg();
 * const ys = odeint(decay, tensor([1]), [0, 1], { params: tensor(2) }); // y(1) ≈ e^{−2}
 * ```
 */
export type OdeFunc<P> = (t: number, y: Tensor, params: P) => Tensor;

/**
 * Output times: an increasing array or a 1-D tensor.
 *
 * @example
 * ```ts
 * import { odeint, type TimesLike } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const ts: TimesLike = Float64Array.of(0, 0.5, 1);
 * const ys = odeint((_t, y) => y.neg(), tensor([1]), ts); // [3, 1]
 * ```
 */
export type TimesLike = readonly number[] | Float64Array | Tensor;

/**
 * Options of {@link odeint}, {@link odeintAdjoint} and {@link solveIvp}.
 *
 * @example
 * ```ts
 * import { odeint, type OdeintOptions } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const opts: OdeintOptions = { method: 'rk4', stepSize: 0.01 };
 * const ys = odeint((_t, y) => y.neg(), tensor([1]), [0, 1], opts);
 * ```
 */
export type OdeintOptions = IntegrateOptions;

/**
 * Result of {@link solveIvp}.
 *
 * @example
 * ```ts
 * import { solveIvp, type IvpResult } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const r: IvpResult = solveIvp((_t, y) => y.neg(), tensor([1], { dtype: 'float64' }), [0, 1, 2], { rtol: 1e-8 });
 * r.stats.nfev; // right-hand-side evaluations
 * ```
 */
export interface IvpResult {
  /** The output times. */
  t: Float64Array;
  /** States at `t`, stacked: [nt, ...y0.shape]. */
  y: Tensor;
  /** Work counters. */
  stats: IntegrateStats;
}

function times(op: string, ts: TimesLike): number[] {
  if (ts instanceof Tensor) {
    if (ts.ndim !== 1) throw new ShapeError(`${op}: ts must be 1-D, got ${fmtShape(ts.shape)}`);
    return Array.from(ts.dataSync() as ArrayLike<number>);
  }
  if (!Array.isArray(ts) && !(ts instanceof Float64Array)) throw new ValueError(`${op}: ts must be an array of times`);
  return Array.from(ts);
}

function checkY0(op: string, y0: Tensor): void {
  if (!(y0 instanceof Tensor)) throw new ValueError(`${op}: y0 must be a Tensor`);
  if (y0.dtype !== 'float32' && y0.dtype !== 'float64')
    throw new ValueError(`${op}: y0 must be float32 or float64, got ${y0.dtype}`);
}

function wrap<P>(op: string, f: OdeFunc<P>, params: P) {
  return (t: number, [y]: Tensor[]): Tensor[] => {
    const d = f(t, y!, params);
    if (!(d instanceof Tensor) || d.shape.join() !== y!.shape.join())
      throw new ShapeError(
        `${op}: f returned ${d instanceof Tensor ? fmtShape(d.shape) : typeof d} for a state of shape ${fmtShape(y!.shape)}`,
      );
    return [d];
  };
}

/**
 * `scipy.integrate.solve_ivp`-style: integrates y' = f(t, y, params) and reports the states at
 * every time in `ts` with step statistics. Adaptive Dormand–Prince ('dopri5', scipy's RK45) by
 * default; steps land exactly on the output times.
 *
 * @example
 * ```ts
 * import { solveIvp } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const { t, y, stats } = solveIvp((_t, u) => u.neg(), tensor([1], { dtype: 'float64' }), [0, 1]);
 * y.dataSync()[1]; // ≈ e^{−1}
 * ```
 */
export function solveIvp<P = undefined>(
  f: OdeFunc<P>,
  y0: Tensor,
  ts: TimesLike,
  opts: OdeintOptions & { params?: P } = {},
): IvpResult {
  const op = 'solveIvp';
  checkY0(op, y0);
  const t = times(op, ts);
  const stats: IntegrateStats = { nfev: 0, nsteps: 0, nrejected: 0 };
  const states = integrate(op, wrap(op, f, opts.params as P), [y0], t, opts, stats);
  return {
    t: Float64Array.from(t),
    y: stack(
      states.map((s) => s[0]!),
      0,
    ),
    stats,
  };
}

/**
 * `jax.experimental.ode.odeint`-style: states at the times `ts`, stacked [nt, ...y0.shape].
 * Gradients flow by backpropagation through every step (exact for the discrete solver, memory
 * grows with the number of steps); see {@link odeintAdjoint} for the adjoint method.
 *
 * @example
 * ```ts
 * import { odeint } from '@difflab/pde';
 * import { grad, mul, sum, tensor, type Tensor } from '@difflab/tensor';
 * // d/dk of y(1) for y' = −k y, y(0) = 1: −e^{−k}.
 * const yEnd = (k: Tensor) => sum(odeint((_t, y, p: Tensor) => mul(y, p).neg(), tensor([1]), [0, 1], { params: k }));
 * const dk = grad(yEnd)(tensor(1)); // ≈ −0.368
 * ```
 */
export function odeint<P = undefined>(
  f: OdeFunc<P>,
  y0: Tensor,
  ts: TimesLike,
  opts: OdeintOptions & { params?: P } = {},
): Tensor {
  return solveIvp(f, y0, ts, opts).y;
}

/**
 * Like {@link odeint}, with gradients with respect to y0 and `params` from the continuous adjoint
 * method (Chen et al. 2018): the backward pass integrates the augmented system
 * [y, a, g_θ]' = [f, −aᵀ∂f/∂y, −aᵀ∂f/∂θ] from the last output time to the first with the same
 * method and tolerances, adding each output's cotangent to a as it passes. Memory does not grow
 * with the number of steps; the gradient matches the exact one up to the integration tolerance.
 *
 * @example
 * ```ts
 * import { odeintAdjoint } from '@difflab/pde';
 * import { grad, mul, sum, tensor, type Tensor } from '@difflab/tensor';
 * const yEnd = (k: Tensor) => sum(odeintAdjoint((_t, y, p: Tensor) => mul(y, p).neg(), tensor([1], { dtype: 'float64' }), [0, 1], k, { rtol: 1e-9 }));
 * const dk = grad(yEnd)(tensor(1, { dtype: 'float64' })); // ≈ −e^{−1}
 * ```
 */
export function odeintAdjoint<P>(
  f: OdeFunc<P>,
  y0: Tensor,
  ts: TimesLike,
  params: P,
  opts: OdeintOptions = {},
): Tensor {
  const op = 'odeintAdjoint';
  checkY0(op, y0);
  const t = times(op, ts);
  const { leaves, treedef } = tree.flatten(params);
  const rebuild = (ps: Tensor[]) => (leaves.length === 0 ? params : (tree.unflatten(treedef, ps) as P));
  const forward = (y: Tensor, ...ps: Tensor[]): Tensor => {
    const stats: IntegrateStats = { nfev: 0, nsteps: 0, nrejected: 0 };
    const states = integrate(op, wrap(op, f, rebuild(ps)), [y], t, opts, stats);
    return stack(
      states.map((s) => s[0]!),
      0,
    );
  };
  const rule = (g: Tensor, out: Tensor, _y: Tensor, ...ps: Tensor[]): (Tensor | null)[] => {
    const nt = t.length;
    const row = (x: Tensor, i: number) => slice(x, i);
    let a = row(g, nt - 1);
    let gp = ps.map((p) => zerosLike(p));
    const stats: IntegrateStats = { nfev: 0, nsteps: 0, nrejected: 0 };
    for (let i = nt - 1; i > 0; i--) {
      const aug = (tt: number, s: Tensor[]): Tensor[] => {
        const [yy, aa] = s as [Tensor, Tensor];
        const [fy, pull] = vjp((yv: Tensor, ...pv: Tensor[]) => f(tt, yv, rebuild(pv)), yy, ...ps);
        const [ay, ...ap] = pull(aa) as Tensor[];
        return [fy as Tensor, neg(ay!), ...ap.map((v) => neg(v))];
      };
      // Restart from the stored forward state at each output time, which limits drift in y.
      const res = integrate(op, aug, [row(out, i), a, ...gp], [t[i]!, t[i - 1]!], opts, stats);
      const end = res[1]!;
      a = add(end[1]!, row(g, i - 1));
      gp = end.slice(2);
    }
    return [a, ...gp];
  };
  return customGrad(forward, rule)(y0, ...leaves);
}
