import { abs, add, div, maximum, mul, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkBetas, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

export interface AdamaxOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
}

export interface AdamaxState {
  count: number;
  mu: Tensor[];
  /** Exponentially weighted infinity norm. */
  uInf: Tensor[];
}

/** Adamax (Kingma & Ba, infinity-norm Adam) as torch.optim.Adamax: u = max(b2 u, |g| + eps). */
export function adamax(opts: AdamaxOptions = {}): Optimizer<AdamaxState> {
  const name = 'adamax';
  const lr = checkLr(name, opts.lr ?? 2e-3);
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.999;
  checkBetas(name, b1, b2);
  const eps = checkNonNegative(name, 'eps', opts.eps ?? 1e-8);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  return asOptimizer<AdamaxState>({
    name,
    init(params) {
      const l = leafCall(name, params, params).params;
      return { count: 0, mu: zerosLikeLeaves(l), uInf: zerosLikeLeaves(l) };
    },
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      checkStateArrays(name, state as unknown as Record<string, unknown>, ['mu', 'uInf'], c.params.length);
      const t = state.count + 1;
      const clr = lrAt(name, lr, state.count) / (1 - b1 ** t);
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const mu: Tensor[] = [];
      const uInf: Tensor[] = [];
      const updates = c.grads.map((g0, i) => {
        const g = coupledDecay(g0, c.params[i]!, wd, decay[i]!);
        const m = add(mul(state.mu[i]!, b1), mul(g, 1 - b1));
        const u = maximum(mul(state.uInf[i]!, b2), add(abs(g), eps));
        mu.push(m);
        uInf.push(u);
        return mul(div(m, u), -clr);
      });
      return { updates: c.build(updates), state: { count: t, mu, uInf } };
    },
  });
}
