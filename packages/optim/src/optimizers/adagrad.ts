import { add, div, fullLike, mul, sqrt, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

/**
 * Options of {@link adagrad}; names and defaults follow `torch.optim.Adagrad`.
 *
 * @example
 * ```ts
 * import { adagrad, type AdagradOptions } from '@difflab/optim';
 * const o: AdagradOptions = { lr: 0.05, initialAccumulatorValue: 0.1 };
 * const opt = adagrad(o);
 * ```
 */
export interface AdagradOptions {
  /** Learning rate or schedule (default 1e-2). */
  lr?: LearningRate;
  /** lr / (1 + (t - 1) * lrDecay) at step t (default 0). */
  lrDecay?: number;
  /** Coupled L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
  /** Starting value of the squared-gradient sum (default 0). */
  initialAccumulatorValue?: number;
  /** Added to `sqrt(sum)` (default 1e-10). */
  eps?: number;
}

/**
 * State of {@link adagrad}: step count and per-leaf sums of squared gradients.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adagrad, type AdagradState } from '@difflab/optim';
 * const s: AdagradState = adagrad({ initialAccumulatorValue: 0.1 }).init({ w: tensor([1]) });
 * s.sum[0]!.toArray(); // [0.1]
 * ```
 */
export interface AdagradState {
  /** Number of updates applied so far. */
  count: number;
  /** Accumulated squared gradients, one per leaf. */
  sum: Tensor[];
}

/**
 * Adagrad (Duchi et al., 2011) as `torch.optim.Adagrad`: `p -= lr_t * g / (sqrt(sum g^2) + eps)`,
 * eps outside the sqrt, `lr_t = lr / (1 + (t - 1) lrDecay)`, default lr 1e-2, eps 1e-10.
 *
 * @param opts - See {@link AdagradOptions}.
 * @returns The optimizer.
 * @throws {ValueError} for a negative lr, lrDecay, weightDecay, initialAccumulatorValue or eps.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adagrad } from '@difflab/optim';
 * const opt = adagrad({ lr: 0.5 });
 * const params = { w: tensor([1, -2]) };
 * const r = opt.step((p) => p.w.square().sum(), params, opt.init(params));
 * r.params.w.toArray(); // [0.5, -1.5]
 * ```
 */
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
