import { add, div, fullLike, mul, sqrt, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

export interface AdagradOptions {
  lr?: LearningRate;
  /** lr / (1 + (t - 1) * lrDecay) at step t (default 0). */
  lrDecay?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
  initialAccumulatorValue?: number;
  eps?: number;
}

export interface AdagradState {
  count: number;
  sum: Tensor[];
}

/** Adagrad (Duchi et al.) as torch.optim.Adagrad: eps outside the sqrt, default lr 1e-2, eps 1e-10. */
export function adagrad(opts: AdagradOptions = {}): Optimizer<AdagradState> {
  const name = 'adagrad';
  const lr = checkLr(name, opts.lr ?? 1e-2);
  const lrDecay = checkNonNegative(name, 'lrDecay', opts.lrDecay ?? 0);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  const init0 = checkNonNegative(name, 'initialAccumulatorValue', opts.initialAccumulatorValue ?? 0);
  const eps = checkNonNegative(name, 'eps', opts.eps ?? 1e-10);
  return asOptimizer<AdagradState>({
    name,
    init: (params) => ({ count: 0, sum: leafCall(name, params, params).params.map((p) => fullLike(p, init0)) }),
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      checkStateArrays(name, state as unknown as Record<string, unknown>, ['sum'], c.params.length);
      const t = state.count + 1;
      const clr = lrAt(name, lr, state.count) / (1 + (t - 1) * lrDecay);
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const sums: Tensor[] = [];
      const updates = c.grads.map((g0, i) => {
        const g = coupledDecay(g0, c.params[i]!, wd, decay[i]!);
        const s = add(state.sum[i]!, mul(g, g));
        sums.push(s);
        return mul(div(g, add(sqrt(s), eps)), -clr);
      });
      return { updates: c.build(updates), state: { count: t, sum: sums } };
    },
  });
}
