import { add, div, mul, sqrt, sub, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkLr, checkNonNegative, checkRange, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

export interface RMSpropOptions {
  lr?: LearningRate;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
  momentum?: number;
  /** Normalise by the estimated variance (subtract the squared mean gradient). */
  centered?: boolean;
}

export interface RMSpropState {
  count: number;
  squareAvg: Tensor[];
  gradAvg: Tensor[];
  momentum: Tensor[];
}

/** RMSprop (Hinton) as torch.optim.RMSprop: eps added after the sqrt; optional centering and momentum. */
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
