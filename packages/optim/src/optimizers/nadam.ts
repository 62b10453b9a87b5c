import { add, div, mul, sqrt, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkBetas, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

export interface NAdamOptions {
  lr?: LearningRate;
  b1?: number;
  b2?: number;
  eps?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
  /** Momentum schedule mu_t = b1 (1 - 0.5 * 0.96^(t * momentumDecay)) (default 4e-3). */
  momentumDecay?: number;
  /**
   * Reproduce torch 1.13's NAdam, whose momentum-term coefficient uses mu_1…mu_t · mu_t · mu_{t+1}
   * (mu_t counted twice; fixed in torch 2.0). Default false: the paper's / torch >= 2.0's rule.
   */
  torch113?: boolean;
}

export interface NAdamState {
  count: number;
  /** Product of the momentum schedule mu_1 … mu_t. */
  muProduct: number;
  mu: Tensor[];
  nu: Tensor[];
}

/** NAdam (Dozat 2016) with torch.optim.NAdam's momentum-decay schedule mu_t and eps placement. */
export function nadam(opts: NAdamOptions = {}): Optimizer<NAdamState> {
  const name = 'nadam';
  const lr = checkLr(name, opts.lr ?? 2e-3);
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.999;
  checkBetas(name, b1, b2);
  const eps = checkNonNegative(name, 'eps', opts.eps ?? 1e-8);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  const md = checkNonNegative(name, 'momentumDecay', opts.momentumDecay ?? 4e-3);
  return asOptimizer<NAdamState>({
    name,
    init(params) {
      const l = leafCall(name, params, params).params;
      return { count: 0, muProduct: 1, mu: zerosLikeLeaves(l), nu: zerosLikeLeaves(l) };
    },
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      checkStateArrays(name, state as unknown as Record<string, unknown>, ['mu', 'nu'], c.params.length);
      const eta = lrAt(name, lr, state.count);
      const t = state.count + 1;
      const bc2 = 1 - b2 ** t;
      const muT = b1 * (1 - 0.5 * 0.96 ** (t * md));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * md));
      const muProduct = state.muProduct * muT;
      const muProductNext = opts.torch113 ? muProduct * muT * muNext : muProduct * muNext;
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const mu: Tensor[] = [];
      const nu: Tensor[] = [];
      const updates = c.grads.map((g0, i) => {
        const g = coupledDecay(g0, c.params[i]!, wd, decay[i]!);
        const m = add(mul(state.mu[i]!, b1), mul(g, 1 - b1));
        const v = add(mul(state.nu[i]!, b2), mul(mul(g, g), 1 - b2));
        mu.push(m);
        nu.push(v);
        const denom = add(sqrt(div(v, bc2)), eps);
        const gradPart = mul(div(g, denom), (-eta * (1 - muT)) / (1 - muProduct));
        const momPart = mul(div(m, denom), (-eta * muNext) / (1 - muProductNext));
        return add(gradPart, momPart);
      });
      return { updates: c.build(updates), state: { count: t, muProduct, mu, nu } };
    },
  });
}
