import { add, div, greater, logicalAnd, mul, norm, sqrt, where, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkBetas, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, decayFlags, leafCall } from './common.js';

export interface LAMBOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  /** Added to sqrt(v_hat) (default 1e-6, as the paper). */
  eps?: number;
  /** Decoupled decay added to the Adam direction before the trust ratio. */
  weightDecay?: number;
  weightDecayMask?: Mask;
  /** Bias-correct the moments (default true, Algorithm 2 of the paper). */
  biasCorrection?: boolean;
}

export interface LAMBState {
  count: number;
  mu: Tensor[];
  nu: Tensor[];
}

/**
 * LAMB (You et al. 2020): per-leaf ("layer-wise") trust ratio ||x|| / ||r|| on the Adam direction
 * r = m_hat / (sqrt(v_hat) + eps) + wd x. The ratio is 1 when either norm is 0.
 */
export function lamb(opts: LAMBOptions = {}): Optimizer<LAMBState> {
  const name = 'lamb';
  const lr = checkLr(name, opts.lr ?? 1e-3);
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.999;
  checkBetas(name, b1, b2);
  const eps = checkNonNegative(name, 'eps', opts.eps ?? 1e-6);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  const bias = opts.biasCorrection ?? true;
  return asOptimizer<LAMBState>({
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
      const bc1 = bias ? 1 - b1 ** t : 1;
      const bc2 = bias ? 1 - b2 ** t : 1;
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const mu: Tensor[] = [];
      const nu: Tensor[] = [];
      const updates = c.grads.map((g, i) => {
        const p = c.params[i]!;
        const m = add(mul(state.mu[i]!, b1), mul(g, 1 - b1));
        const v = add(mul(state.nu[i]!, b2), mul(mul(g, g), 1 - b2));
        mu.push(m);
        nu.push(v);
        let r = div(div(m, bc1), add(sqrt(div(v, bc2)), eps));
        if (decay[i]) r = add(r, mul(p, wd));
        const wn = norm(p);
        const rn = norm(r);
        const ok = logicalAnd(greater(wn, 0), greater(rn, 0));
        const trust = where(ok, div(wn, where(ok, rn, 1)), 1);
        return mul(mul(r, trust), -eta);
      });
      return { updates: c.build(updates), state: { count: t, mu, nu } };
    },
  });
}
