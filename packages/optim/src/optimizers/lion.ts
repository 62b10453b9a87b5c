import { add, mul, sign, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkBetas, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, decayFlags, leafCall } from './common.js';

export interface LionOptions {
  lr?: LearningRate;
  /** Interpolation between momentum and gradient for the update sign (default 0.9). */
  b1?: number;
  /** Momentum decay (default 0.99). */
  b2?: number;
  /** Decoupled weight decay: x -= lr * wd * x. */
  weightDecay?: number;
  weightDecayMask?: Mask;
}

export interface LionState {
  count: number;
  mu: Tensor[];
}

/**
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"):
 * c = b1 m + (1 - b1) g; x <- x - lr (sign(c) + wd x); m <- b2 m + (1 - b2) g.
 * sign(0) = 0, so a zero interpolant leaves the weight to weight decay alone.
 */
export function lion(opts: LionOptions = {}): Optimizer<LionState> {
  const name = 'lion';
  const lr = checkLr(name, opts.lr ?? 1e-4);
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.99;
  checkBetas(name, b1, b2);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  return asOptimizer<LionState>({
    name,
    init: (params) => ({ count: 0, mu: zerosLikeLeaves(leafCall(name, params, params).params) }),
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      checkStateArrays(name, state as unknown as Record<string, unknown>, ['mu'], c.params.length);
      const eta = lrAt(name, lr, state.count);
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const mu: Tensor[] = [];
      const updates = c.grads.map((g, i) => {
        const m = state.mu[i]!;
        const dir = sign(add(mul(m, b1), mul(g, 1 - b1)));
        mu.push(add(mul(m, b2), mul(g, 1 - b2)));
        const withDecay = decay[i] ? add(dir, mul(c.params[i]!, wd)) : dir;
        return mul(withDecay, -eta);
      });
      return { updates: c.build(updates), state: { count: state.count + 1, mu } };
    },
  });
}
