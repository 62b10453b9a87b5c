import { ValueError, add, log, mul, softmax, sub, sum, zerosLike, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkLr, checkPositive, lrAt } from '../core/validate.js';
import { leafCall } from '../optimizers/common.js';
import { signedField } from './field.js';

/**
 * Options of {@link optimisticOMD}.
 *
 * @example
 * ```ts
 * import { optimisticOMD, type OptimisticOMDOptions } from '@difflab/optim';
 * const mwu: OptimisticOMDOptions = { lr: 0.1, mirror: 'entropy', ascent: { p: false, q: true } };
 * const adaptive: OptimisticOMDOptions = { lr: 'adaptive', diameter: 2 };
 * const opt = optimisticOMD(mwu);
 * ```
 */
export interface OptimisticOMDOptions {
  /** Step size, a schedule, or 'adaptive': η_t = diameter / sqrt(delta + Σ_{s<=t} ||g_s − M_s||²). */
  lr: LearningRate | 'adaptive';
  /** 'euclidean' (unconstrained, gives OGDA) or 'entropy' (each leaf's last axis is a probability simplex: optimistic multiplicative weights). */
  mirror?: 'euclidean' | 'entropy';
  /** Hint M_{t+1}: the last gradient (default, optimistic) or none (plain online mirror descent). */
  hint?: 'last' | 'none';
  /** Leaves that maximise (games). */
  ascent?: Mask;
  /** Diameter D of the adaptive step size `η_t = D / sqrt(delta + Σ ||g_s − M_s||²)` (default 1). */
  diameter?: number;
  /** Offset of the adaptive step size's denominator (default 1). */
  delta?: number;
}

/**
 * State of {@link optimisticOMD}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ogda, type OptimisticOMDState } from '@difflab/optim';
 * const s: OptimisticOMDState = ogda({ lr: 0.1 }).init({ x: tensor([1]) });
 * s.variation; // 0
 * ```
 */
export interface OptimisticOMDState {
  /** Number of updates applied so far. */
  count: number;
  /** The secondary ("lazy") iterate x̂_t. */
  xHat: Tensor[];
  /** The hint used for the current iterate. */
  hint: Tensor[];
  /** Σ ||g_s − M_s||² (adaptive step size). */
  variation: number;
}

/**
 * Optimistic online mirror descent (Rakhlin & Sridharan, 2013; Chen et al., 2023 for the
 * stochastically-extended adversarial setting): with hint `M_t`,
 * `x_t = argmin_x η⟨M_t, x⟩ + B(x, x̂_t)`, `x̂_{t+1} = argmin_x η⟨g_t, x⟩ + B(x, x̂_t)`.
 *
 * `update(grads, …)` receives `g_t` at the current params `x_t` and returns `x_{t+1}`. The
 * Euclidean mirror with the last gradient as hint is optimistic gradient descent-ascent (OGDA):
 * `x_{t+1} = x_t − 2η g_t + η g_{t−1}`; the entropy mirror is optimistic multiplicative weights
 * on simplices (each leaf's last axis).
 *
 * @param opts - See {@link OptimisticOMDOptions}.
 * @returns The optimizer.
 * @throws {ValueError} for an invalid lr, mirror, hint, diameter or delta.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { optimisticOMD } from '@difflab/optim';
 * // optimistic multiplicative weights against a fixed loss vector
 * const opt = optimisticOMD({ lr: 0.5, mirror: 'entropy' });
 * let params = { p: tensor([1 / 3, 1 / 3, 1 / 3]) };
 * let state = opt.init(params);
 * for (let i = 0; i < 20; i++) ({ params, state } = opt.update({ p: tensor([1, 0, 2]) }, state, params));
 * params.p.argmax().item(); // 1: mass moves to the cheapest action
 * ```
 */
export function optimisticOMD(opts: OptimisticOMDOptions): Optimizer<OptimisticOMDState> {
  const name = 'optimisticOMD';
  const adaptive = opts?.lr === 'adaptive';
  const lr = adaptive ? 0 : checkLr(name, opts?.lr);
  const mirror = opts.mirror ?? 'euclidean';
  if (mirror !== 'euclidean' && mirror !== 'entropy') throw new ValueError(`${name}: mirror must be 'euclidean' or 'entropy', got ${String(mirror)}`);
  const hintMode = opts.hint ?? 'last';
  if (hintMode !== 'last' && hintMode !== 'none') throw new ValueError(`${name}: hint must be 'last' or 'none', got ${String(hintMode)}`);
  const D = checkPositive(name, 'diameter', opts.diameter ?? 1);
  const delta = checkPositive(name, 'delta', opts.delta ?? 1);
  // One mirror step from `from` along `g` with step eta.
  const mstep = (from: Tensor, g: Tensor, eta: number): Tensor =>
    mirror === 'euclidean' ? add(from, mul(g, -eta)) : softmax(sub(log(from), mul(g, eta)), -1);
  return asOptimizer<OptimisticOMDState>({
    name,
    init(params) {
      const l = leafCall(name, params, params).params;
      return { count: 0, xHat: l, hint: l.map((p) => zerosLike(p)), variation: 0 };
    },
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      const g = signedField(name, c.grads, params, opts.ascent);
      let variation = state.variation;
      if (adaptive) g.forEach((gi, i) => (variation += sum(mul(sub(gi, state.hint[i]!), sub(gi, state.hint[i]!))).item()));
      const eta = adaptive ? D / Math.sqrt(delta + variation) : lrAt(name, lr as LearningRate, state.count);
      const xHat = state.xHat.map((xh, i) => mstep(xh, g[i]!, eta));
      const hint = hintMode === 'last' ? g : g.map((gi) => zerosLike(gi));
      const next = xHat.map((xh, i) => (hintMode === 'last' ? mstep(xh, hint[i]!, eta) : xh));
      return { updates: c.build(next.map((x, i) => sub(x, c.params[i]!))), state: { count: state.count + 1, xHat, hint, variation } };
    },
  });
}

/**
 * Optimistic gradient descent-ascent (Popov, 1980; Daskalakis et al., ICLR 2018):
 * `z_{t+1} = z_t − 2η F(z_t) + η F(z_{t−1})`, the Euclidean {@link optimisticOMD}. Converges on
 * bilinear games with one gradient per step (extragradient needs two).
 *
 * @param opts - `lr` (number or schedule, required) and `ascent`: the leaves that maximise f.
 * @returns The optimizer.
 * @throws {ValueError} for an invalid lr.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ogda } from '@difflab/optim';
 * const opt = ogda({ lr: 0.2, ascent: { x: false, y: true } });
 * let params = { x: tensor([1]), y: tensor([1]) };
 * let state = opt.init(params);
 * for (let i = 0; i < 200; i++) ({ params, state } = opt.step((p) => p.x.mul(p.y).sum(), params, state));
 * Math.abs(params.x.item()) < 0.05; // true
 * ```
 */
export function ogda(opts: { lr: LearningRate; ascent?: Mask }): Optimizer<OptimisticOMDState> {
  return optimisticOMD({ lr: opts?.lr, mirror: 'euclidean', ascent: opts?.ascent });
}
