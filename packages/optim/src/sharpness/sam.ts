import { ValueError, abs, add, div, grad, greater, mul, sqrt, where, type Tensor } from '@difflab/tensor';
import { resolveMask } from '../core/mask.js';
import { asOptimizer } from '../core/optimizer.js';
import { dotLeaves, matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation, LossFn, Mask, Optimizer } from '../core/types.js';
import { checkNonNegative } from '../core/validate.js';

/**
 * Options of {@link sam} and {@link samPerturbation}.
 *
 * @example
 * ```ts
 * import { pathMask, sam, sgd, type SAMOptions } from '@difflab/optim';
 * const asam: SAMOptions = { rho: 0.5, adaptive: true };
 * const samOn: SAMOptions = { rho: 0.05, perturbMask: pathMask(/norm/) };
 * const opt = sam(sgd({ lr: 0.1, momentum: 0.9 }), asam);
 * ```
 */
export interface SAMOptions {
  /** Radius of the ascent step (default 0.05). */
  rho?: number;
  /** ASAM (Kwon et al. 2021): scale-invariant neighbourhood T_w = |w| + eta. */
  adaptive?: boolean;
  /** ASAM's eta (default 0.01). */
  eta?: number;
  /**
   * Normalise the ascent step to length rho (default true). `false` gives unnormalised SAM
   * (e = rho * g), the variant whose quadratic stability threshold is eta*lambda*(1 + rho*lambda) = 2.
   */
  normalize?: boolean;
  /**
   * Leaves that are perturbed; the others stay put in the ascent step (their descent still uses
   * the perturbed gradient). `pathMask(/norm/)` gives SAM-ON (Mueller et al. 2023).
   */
  perturbMask?: Mask;
}

/**
 * State of {@link sam}: the base optimizer's state.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sam, sgd, type SAMState, type SGDState } from '@difflab/optim';
 * const s: SAMState<SGDState> = sam(sgd({ lr: 0.1 })).init({ w: tensor([1]) });
 * s.base.count; // 0
 * ```
 */
export interface SAMState<S> {
  /** The base optimizer's state. */
  base: S;
}

/**
 * The SAM ascent step `e(w)` for gradient leaves `g`: `rho g/||g||` (or `rho T^2 g/||T g||` with
 * ASAM, `T = |w| + eta`, or `rho g` unnormalised); zero on leaves outside the mask and when the
 * gradient vanishes. Exposed for custom sharpness-aware loops.
 *
 * @param params - Param leaves.
 * @param g - Gradient leaves (same shapes).
 * @param on - One flag per leaf: perturb it or not.
 * @param opts - `rho`, `adaptive`, `eta`, `normalize` of {@link SAMOptions}.
 * @returns The perturbation leaves.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { samPerturbation } from '@difflab/optim';
 * const [e] = samPerturbation([tensor([0, 0])], [tensor([3, 4])], [true], { rho: 0.5 });
 * e!.toArray(); // [0.3, 0.4]
 * ```
 */
export function samPerturbation(params: Tensor[], g: Tensor[], on: boolean[], opts: SAMOptions): Tensor[] {
  const rho = opts.rho ?? 0.05;
  const eta = opts.eta ?? 0.01;
  const t = params.map((p) => (opts.adaptive ? add(abs(p), eta) : null));
  const tg = g.map((x, i) => (on[i] ? (t[i] ? mul(t[i]!, x) : x) : mul(x, 0)));
  if (opts.normalize === false) return tg.map((x, i) => (on[i] ? mul(t[i] ? mul(t[i]!, x) : x, rho) : x));
  const n = sqrt(dotLeaves(tg, tg));
  const s = where(greater(n, 0), div(rho, where(greater(n, 0), n, 1)), 0);
  return tg.map((x, i) => (on[i] ? mul(t[i] ? mul(t[i]!, x) : x, s) : x));
}

/**
 * Sharpness-Aware Minimization (Foret et al., ICLR 2021): the base transform receives the
 * gradient at `w + e(w)`, the (first-order) worst-case point of a rho-ball.
 *
 * Costs two gradient evaluations per step and needs the closure form `step(lossFn, params, state)`.
 * `adaptive: true` gives ASAM, `perturbMask` SAM-ON, `normalize: false` unnormalised SAM.
 *
 * @param base - The optimizer applied to the perturbed gradient (not a closure-only method).
 * @param opts - See {@link SAMOptions}.
 * @returns The optimizer (`needsClosure: true`).
 * @throws {ValueError} for negative rho/eta, a closure-only base, or when called without the loss function.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sam, sgd } from '@difflab/optim';
 * const opt = sam(sgd({ lr: 0.1 }), { rho: 0.5 });
 * const params = { w: tensor([1]) };
 * const r = opt.step((p) => p.w.square().sum(), params, opt.init(params));
 * r.params.w.toArray(); // [0.7]: the gradient is taken at w + rho = 1.5
 * ```
 */
export function sam<S>(base: GradientTransformation<S>, opts: SAMOptions = {}): Optimizer<SAMState<S>> {
  const name = `sam(${base.name})`;
  checkNonNegative(name, 'rho', opts.rho ?? 0.05);
  checkNonNegative(name, 'eta', opts.eta ?? 0.01);
  if (base.needsClosure) throw new ValueError(`${name}: the base optimizer must not re-evaluate the loss itself`);
  return asOptimizer<SAMState<S>>({
    name,
    needsClosure: true,
    init: (params) => ({ base: base.init(params) }),
    transform(grads, state, params, ctx) {
      if (!ctx.lossFn) throw new ValueError(`${name}: needs the loss function; use step(lossFn, params, state)`);
      const p = paramLeaves(name, params);
      const g = matchLeaves(name, 'grads', params, grads);
      const e = samPerturbation(p.leaves, g, resolveMask(name, opts.perturbMask, params), opts);
      const perturbed = rebuild(p.treedef, p.leaves.map((x, i) => add(x, e[i]!)));
      const gAdv = grad(ctx.lossFn as LossFn)(perturbed);
      const r = base.transform(gAdv, state.base, params, ctx);
      return { updates: r.updates, state: { base: r.state } };
    },
  });
}
