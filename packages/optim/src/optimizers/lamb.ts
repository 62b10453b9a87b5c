import { add, div, greater, logicalAnd, mul, norm, sqrt, where, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { momentConfig, momentStep, stepMoments, zeroMoments } from './moments.js';

/**
 * Options of {@link lamb}; defaults follow the paper (lr 1e-3, b1 0.9, b2 0.999, eps 1e-6).
 *
 * @example
 * ```ts
 * import { lamb, type LAMBOptions } from '@difflab/optim';
 * const o: LAMBOptions = { lr: 1e-3, weightDecay: 0.01 };
 * const opt = lamb(o);
 * ```
 */
export interface LAMBOptions {
  /** Learning rate or schedule (default 1e-3). */
  lr?: LearningRate;
  /** First-moment decay (default 0.9). */
  b1?: number;
  /** Second-moment decay (default 0.999). */
  b2?: number;
  /** Added to sqrt(v_hat) (default 1e-6, as the paper). */
  eps?: number;
  /** Decoupled decay added to the Adam direction before the trust ratio. */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
  /** Bias-correct the moments (default true, Algorithm 2 of the paper). */
  biasCorrection?: boolean;
}

/**
 * State of {@link lamb}: step count and per-leaf first/second moments.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lamb, type LAMBState } from '@difflab/optim';
 * const s: LAMBState = lamb().init({ w: tensor([1]) });
 * s.nu.length; // 1
 * ```
 */
export interface LAMBState {
  /** Number of updates applied so far. */
  count: number;
  /** First-moment estimates, one per leaf. */
  mu: Tensor[];
  /** Second-moment estimates, one per leaf. */
  nu: Tensor[];
}

/**
 * LAMB (You et al., 2020, large-batch training): Adam direction
 * `r = m_hat / (sqrt(v_hat) + eps) + wd x` scaled per leaf ("layer-wise") by the trust ratio
 * `||x|| / ||r||`; the ratio is 1 when either norm is 0.
 *
 * @param opts - See {@link LAMBOptions}.
 * @returns The optimizer.
 * @throws {ValueError} for a negative lr/eps/weightDecay or betas outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lamb } from '@difflab/optim';
 * const opt = lamb({ lr: 0.1 });
 * const params = { w: tensor([3, 4]) };
 * const r = opt.step((p) => p.w.square().sum(), params, opt.init(params));
 * r.params.w.toArray(); // about [2.65, 3.65]: trust ratio 5 / sqrt(2) on the unit-sign Adam step
 * ```
 */
export function lamb(opts: LAMBOptions = {}): Optimizer<LAMBState> {
  const name = 'lamb';
  const cfg = momentConfig(name, opts, { lr: 1e-3, eps: 1e-6 });
  const { b1, b2, eps, weightDecay: wd } = cfg;
  const bias = opts.biasCorrection ?? true;
  return asOptimizer<LAMBState>({
    name,
    init: (params) => zeroMoments(name, params, ['mu', 'nu']),
    transform(grads, state, params) {
      const step = momentStep(name, cfg, grads, state, params, ['mu', 'nu']);
      const { c, eta, t, decay } = step;
      const bc1 = bias ? 1 - b1 ** t : 1;
      const bc2 = bias ? 1 - b2 ** t : 1;
      // LAMB's decay is decoupled: it joins the Adam direction before the trust ratio.
      const { updates, mu, nu } = stepMoments(cfg, step, state, false, (m, v, _g, i) => {
        const p = c.params[i]!;
        let r = div(div(m, bc1), add(sqrt(div(v, bc2)), eps));
        if (decay[i]) r = add(r, mul(p, wd));
        const wn = norm(p);
        const rn = norm(r);
        const ok = logicalAnd(greater(wn, 0), greater(rn, 0));
        const trust = where(ok, div(wn, where(ok, rn, 1)), 1);
        return mul(mul(r, trust), -eta);
      });
      return { updates, state: { count: t, mu, nu } };
    },
  });
}
