import { add, div, mul, sqrt, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { momentConfig, momentStep, stepMoments, zeroMoments } from './moments.js';

/**
 * Options of {@link radam}; names and defaults follow `torch.optim.RAdam`.
 *
 * @example
 * ```ts
 * import { radam, type RAdamOptions } from '@difflab/optim';
 * const o: RAdamOptions = { lr: 1e-3, weightDecay: 1e-4 };
 * const opt = radam(o);
 * ```
 */
export interface RAdamOptions {
  /** Learning rate or schedule (default 1e-3). */
  lr?: LearningRate;
  /** First-moment decay (default 0.9). */
  b1?: number;
  /** Second-moment decay (default 0.999). */
  b2?: number;
  /** Added to sqrt(v) (default 1e-8). */
  eps?: number;
  /** Coupled L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
}

/**
 * State of {@link radam}: step count and per-leaf first/second moments.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { radam, type RAdamState } from '@difflab/optim';
 * const s: RAdamState = radam().init({ w: tensor([1]) });
 * s.count; // 0
 * ```
 */
export interface RAdamState {
  /** Number of updates applied so far. */
  count: number;
  /** First-moment estimates, one per leaf. */
  mu: Tensor[];
  /** Second-moment estimates, one per leaf. */
  nu: Tensor[];
}

/**
 * Rectified Adam (Liu et al., 2020) as `torch.optim.RAdam`: while the variance of the adaptive
 * learning rate is intractable (`rho_t <= 5`, the first few steps) the step is plain
 * bias-corrected momentum; afterwards Adam's step times the rectification term.
 *
 * @param opts - See {@link RAdamOptions}.
 * @returns The optimizer.
 * @throws {ValueError} for a negative lr/eps/weightDecay or betas outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { radam } from '@difflab/optim';
 * const opt = radam({ lr: 0.1 });
 * const params = { w: tensor([1]) };
 * const r = opt.step((p) => p.w.square().sum(), params, opt.init(params));
 * r.params.w.toArray(); // [0.8]: first step is momentum SGD, -lr * g
 * ```
 */
export function radam(opts: RAdamOptions = {}): Optimizer<RAdamState> {
  const name = 'radam';
  const cfg = momentConfig(name, opts, { lr: 1e-3, eps: 1e-8 });
  const { b1, b2, eps } = cfg;
  return asOptimizer<RAdamState>({
    name,
    init: (params) => zeroMoments(name, params, ['mu', 'nu']),
    transform(grads, state, params) {
      const step = momentStep(name, cfg, grads, state, params, ['mu', 'nu']);
      const { eta, t } = step;
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      const rhoInf = 2 / (1 - b2) - 1;
      const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
      const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
      const { updates, mu, nu } = stepMoments(cfg, step, state, true, (m, v) => {
        const mHat = div(m, bc1);
        if (rhoT > 5) {
          const adaptive = div(Math.sqrt(bc2), add(sqrt(v), eps));
          return mul(mul(mul(mHat, eta), adaptive), -rect);
        }
        return mul(mul(mHat, eta), -1);
      });
      return { updates, state: { count: t, mu, nu } };
    },
  });
}
