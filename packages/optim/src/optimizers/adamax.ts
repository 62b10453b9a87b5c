import { abs, add, div, maximum, mul, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { coupledDecay } from './common.js';
import { firstMoment, momentConfig, momentStep, zeroMoments } from './moments.js';

/**
 * Options of {@link adamax}; names and defaults follow `torch.optim.Adamax`.
 *
 * @example
 * ```ts
 * import { adamax, type AdamaxOptions } from '@difflab/optim';
 * const o: AdamaxOptions = { lr: 2e-3, b1: 0.9, b2: 0.999 };
 * const opt = adamax(o);
 * ```
 */
export interface AdamaxOptions {
  /** Learning rate or schedule (default 2e-3). */
  lr?: LearningRate;
  /** First-moment decay (default 0.9). */
  b1?: number;
  /** Decay of the infinity norm (default 0.999). */
  b2?: number;
  /** Added to |g| inside the max (default 1e-8). */
  eps?: number;
  /** Coupled L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
}

/**
 * State of {@link adamax}: step count, first moments and infinity norms per leaf.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adamax, type AdamaxState } from '@difflab/optim';
 * const s: AdamaxState = adamax().init({ w: tensor([1, 2]) });
 * s.uInf[0]!.toArray(); // [0, 0]
 * ```
 */
export interface AdamaxState {
  /** Number of updates applied so far. */
  count: number;
  /** First-moment estimates, one per leaf. */
  mu: Tensor[];
  /** Exponentially weighted infinity norm. */
  uInf: Tensor[];
}

/**
 * Adamax (Kingma & Ba, 2015, the infinity-norm variant of Adam) as `torch.optim.Adamax`:
 * `u = max(b2 u, |g| + eps)`, `p -= lr / (1 - b1^t) * m / u`.
 *
 * @param opts - See {@link AdamaxOptions}.
 * @returns The optimizer.
 * @throws {ValueError} for a negative lr/eps/weightDecay or betas outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adamax } from '@difflab/optim';
 * const opt = adamax({ lr: 0.1 });
 * const params = { w: tensor([1, -2]) };
 * const r = opt.step((p) => p.w.square().sum(), params, opt.init(params));
 * r.params.w.toArray(); // [0.9, -1.9]
 * ```
 */
export function adamax(opts: AdamaxOptions = {}): Optimizer<AdamaxState> {
  const name = 'adamax';
  const cfg = momentConfig(name, opts, { lr: 2e-3, eps: 1e-8 });
  const { b1, b2, eps, weightDecay: wd } = cfg;
  return asOptimizer<AdamaxState>({
    name,
    init: (params) => zeroMoments(name, params, ['mu', 'uInf']),
    transform(grads, state, params) {
      const { c, eta, t, decay } = momentStep(name, cfg, grads, state, params, ['mu', 'uInf']);
      const clr = eta / (1 - b1 ** t);
      const mu: Tensor[] = [];
      const uInf: Tensor[] = [];
      const updates = c.grads.map((g0, i) => {
        const g = coupledDecay(g0, c.params[i]!, wd, decay[i]!);
        const m = firstMoment(state.mu[i]!, g, b1);
        const u = maximum(mul(state.uInf[i]!, b2), add(abs(g), eps));
        mu.push(m);
        uInf.push(u);
        return mul(div(m, u), -clr);
      });
      return { updates: c.build(updates), state: { count: t, mu, uInf } };
    },
  });
}
