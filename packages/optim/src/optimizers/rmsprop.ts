import { add, div, mul, sqrt, sub, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkLr, checkNonNegative, checkRange, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

/**
 * Options of {@link rmsprop}; names and defaults follow `torch.optim.RMSprop`.
 *
 * @example
 * ```ts
 * import { rmsprop, type RMSpropOptions } from '@difflab/optim';
 * const o: RMSpropOptions = { lr: 1e-3, alpha: 0.9, momentum: 0.9, centered: true };
 * const opt = rmsprop(o);
 * ```
 */
export interface RMSpropOptions {
  /** Learning rate or schedule (default 1e-2). */
  lr?: LearningRate;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added after the square root (default 1e-8). */
  eps?: number;
  /** Coupled L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
  /** Momentum on the normalised gradient (default 0). */
  momentum?: number;
  /** Normalise by the estimated variance (subtract the squared mean gradient). */
  centered?: boolean;
}

/**
 * State of {@link rmsprop}; `gradAvg` is empty unless `centered`, `momentum` empty unless momentum > 0.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { rmsprop, type RMSpropState } from '@difflab/optim';
 * const s: RMSpropState = rmsprop().init({ w: tensor([1]) });
 * s.gradAvg.length; // 0
 * ```
 */
export interface RMSpropState {
  /** Number of updates applied so far. */
  count: number;
  /** Running averages of squared gradients, one per leaf. */
  squareAvg: Tensor[];
  /** Running averages of gradients (centered variant only). */
  gradAvg: Tensor[];
  /** Momentum buffers (momentum > 0 only). */
  momentum: Tensor[];
}

/**
 * RMSprop (Hinton, 2012) as `torch.optim.RMSprop`: `p -= lr * g / (sqrt(v) + eps)` with
 * `v = alpha v + (1 - alpha) g^2`; eps is added after the sqrt; optional centering (subtracts the
 * squared mean gradient) and momentum.
 *
 * @param opts - See {@link RMSpropOptions}.
 * @returns The optimizer.
 * @throws {ValueError} for alpha outside [0, 1] or a negative lr, eps, weightDecay or momentum.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { rmsprop } from '@difflab/optim';
 * const opt = rmsprop({ lr: 0.01 });
 * const params = { w: tensor([1]) };
 * const r = opt.step((p) => p.w.square().sum(), params, opt.init(params));
 * r.params.w.toArray(); // [0.9]: g / sqrt(0.01 g^2) = 10
 * ```
 */
export function rmsprop(opts: RMSpropOptions = {}): Optimizer<RMSpropState> {
  const name = 'rmsprop';
  const lr = checkLr(name, opts.lr ?? 1e-2);
  const alpha = checkRange(name, 'alpha', opts.alpha ?? 0.99, 0, 1, true);
  const eps = checkNonNegative(name, 'eps', opts.eps ?? 1e-8);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  const mom = checkNonNegative(name, 'momentum', opts.momentum ?? 0);
  const centered = opts.centered ?? false;
  return asOptimizer<RMSpropState>({
    name,
    init(params) {
      const l = leafCall(name, params, params).params;
      return { count: 0, squareAvg: zerosLikeLeaves(l), gradAvg: centered ? zerosLikeLeaves(l) : [], momentum: mom > 0 ? zerosLikeLeaves(l) : [] };
    },
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      const keys = ['squareAvg', ...(centered ? ['gradAvg'] : []), ...(mom > 0 ? ['momentum'] : [])];
      checkStateArrays(name, state as unknown as Record<string, unknown>, keys, c.params.length);
      const eta = lrAt(name, lr, state.count);
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const sq: Tensor[] = [];
      const ga: Tensor[] = [];
      const mb: Tensor[] = [];
      const updates = c.grads.map((g0, i) => {
        const g = coupledDecay(g0, c.params[i]!, wd, decay[i]!);
        const s = add(mul(state.squareAvg[i]!, alpha), mul(mul(g, g), 1 - alpha));
        sq.push(s);
        let avg: Tensor;
        if (centered) {
          const a = add(mul(state.gradAvg[i]!, alpha), mul(g, 1 - alpha));
          ga.push(a);
          avg = sqrt(sub(s, mul(a, a)));
        } else avg = sqrt(s);
        avg = add(avg, eps);
        if (mom > 0) {
          const b = add(mul(state.momentum[i]!, mom), div(g, avg));
          mb.push(b);
          return mul(b, -eta);
        }
        return mul(div(g, avg), -eta);
      });
      return { updates: c.build(updates), state: { count: state.count + 1, squareAvg: sq, gradAvg: ga, momentum: mb } };
    },
  });
}
