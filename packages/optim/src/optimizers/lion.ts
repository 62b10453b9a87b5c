import { add, mul, sign, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkBetas, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, decayFlags, leafCall } from './common.js';

/**
 * Options of {@link lion}; defaults follow the paper (lr 1e-4, b1 0.9, b2 0.99).
 *
 * @example
 * ```ts
 * import { lion, type LionOptions } from '@difflab/optim';
 * const o: LionOptions = { lr: 3e-5, weightDecay: 1.0 };
 * const opt = lion(o);
 * ```
 */
export interface LionOptions {
  /** Learning rate or schedule (default 1e-4; use 3-10x smaller than AdamW's). */
  lr?: LearningRate;
  /** Interpolation between momentum and gradient for the update sign (default 0.9). */
  b1?: number;
  /** Momentum decay (default 0.99). */
  b2?: number;
  /** Decoupled weight decay: x -= lr * wd * x. */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
}

/**
 * State of {@link lion}: step count and one momentum buffer per leaf.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lion, type LionState } from '@difflab/optim';
 * const s: LionState = lion().init({ w: tensor([1]) });
 * s.mu.length; // 1
 * ```
 */
export interface LionState {
  /** Number of updates applied so far. */
  count: number;
  /** Momentum buffers, one per leaf. */
  mu: Tensor[];
}

/**
 * Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"):
 * `c = b1 m + (1 - b1) g; x -= lr (sign(c) + wd x); m = b2 m + (1 - b2) g`.
 *
 * sign(0) = 0, so a zero interpolant leaves the weight to weight decay alone. optax equivalent: `optax.lion`.
 *
 * @param opts - See {@link LionOptions}.
 * @returns The optimizer.
 * @throws {ValueError} for a negative lr/weightDecay or betas outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lion } from '@difflab/optim';
 * const opt = lion({ lr: 0.1 });
 * const params = { w: tensor([1, -2]) };
 * const r = opt.step((p) => p.w.square().sum(), params, opt.init(params));
 * r.params.w.toArray(); // [0.9, -1.9]: every entry moves by lr
 * ```
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
