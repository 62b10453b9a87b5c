import { add, div, mul, sqrt, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkBetas, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

export interface RAdamOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
}

export interface RAdamState {
  count: number;
  mu: Tensor[];
  nu: Tensor[];
}

/**
 * Rectified Adam (Liu et al.) as torch.optim.RAdam: while the variance of the adaptive lr is
 * intractable (rho_t <= 5) the step is plain bias-corrected momentum.
 */
export function radam(opts: RAdamOptions = {}): Optimizer<RAdamState> {
  const name = 'radam';
  const lr = checkLr(name, opts.lr ?? 1e-3);
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.999;
  checkBetas(name, b1, b2);
  const eps = checkNonNegative(name, 'eps', opts.eps ?? 1e-8);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  return asOptimizer<RAdamState>({
    name,
    init(params) {
      const l = leafCall(name, params, params).params;
      return { count: 0, mu: zerosLikeLeaves(l), nu: zerosLikeLeaves(l) };
    },
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      checkStateArrays(name, state as unknown as Record<string, unknown>, ['mu', 'nu'], c.params.length);
      const eta = lrAt(name, lr, state.count);
      const t = state.count + 1;
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      const rhoInf = 2 / (1 - b2) - 1;
      const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
      const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const mu: Tensor[] = [];
      const nu: Tensor[] = [];
      const updates = c.grads.map((g0, i) => {
        const g = coupledDecay(g0, c.params[i]!, wd, decay[i]!);
        const m = add(mul(state.mu[i]!, b1), mul(g, 1 - b1));
        const v = add(mul(state.nu[i]!, b2), mul(mul(g, g), 1 - b2));
        mu.push(m);
        nu.push(v);
        const mHat = div(m, bc1);
        if (rhoT > 5) {
          const adaptive = div(Math.sqrt(bc2), add(sqrt(v), eps));
          return mul(mul(mul(mHat, eta), adaptive), -rect);
        }
        return mul(mul(mHat, eta), -1);
      });
      return { updates: c.build(updates), state: { count: t, mu, nu } };
    },
  });
}
