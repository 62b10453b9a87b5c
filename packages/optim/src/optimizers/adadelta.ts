import { add, div, mul, sqrt, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkLr, checkNonNegative, checkRange, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

/**
 * Options of {@link adadelta}; names and defaults follow `torch.optim.Adadelta`.
 *
 * @example
 * ```ts
 * import { adadelta, type AdadeltaOptions } from '@difflab/optim';
 * const o: AdadeltaOptions = { rho: 0.95, eps: 1e-6 };
 * const opt = adadelta(o);
 * ```
 */
export interface AdadeltaOptions {
  /** Scale applied to the delta (default 1.0, as PyTorch). */
  lr?: LearningRate;
  /** Decay of both running averages (default 0.9). */
  rho?: number;
  /** Added inside both square roots (default 1e-6). */
  eps?: number;
  /** Coupled L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
}

/**
 * State of {@link adadelta}: step count and per-leaf running averages of squared gradients and squared deltas.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adadelta, type AdadeltaState } from '@difflab/optim';
 * const s: AdadeltaState = adadelta().init({ w: tensor([1]) });
 * s.accDelta.length; // 1
 * ```
 */
export interface AdadeltaState {
  /** Number of updates applied so far. */
  count: number;
  /** Running averages of squared gradients. */
  squareAvg: Tensor[];
  /** Running averages of squared parameter deltas. */
  accDelta: Tensor[];
}

/**
 * Adadelta (Zeiler, 2012) as `torch.optim.Adadelta`:
 * `delta = sqrt(acc + eps) / sqrt(v + eps) * g`, `p -= lr * delta`, eps inside both square roots.
 *
 * @param opts - See {@link AdadeltaOptions}.
 * @returns The optimizer.
 * @throws {ValueError} for rho outside [0, 1] or a negative lr, eps or weightDecay.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adadelta } from '@difflab/optim';
 * const opt = adadelta();
 * let params = { w: tensor([1]) };
 * let state = opt.init(params);
 * for (let i = 0; i < 3; i++) ({ params, state } = opt.step((p) => p.w.square().sum(), params, state));
 * state.count; // 3
 * ```
 */
export function adadelta(opts: AdadeltaOptions = {}): Optimizer<AdadeltaState> {
  const name = 'adadelta';
  const lr = checkLr(name, opts.lr ?? 1.0);
  const rho = checkRange(name, 'rho', opts.rho ?? 0.9, 0, 1, true);
  const eps = checkNonNegative(name, 'eps', opts.eps ?? 1e-6);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  return asOptimizer<AdadeltaState>({
    name,
    init(params) {
      const l = leafCall(name, params, params).params;
      return { count: 0, squareAvg: zerosLikeLeaves(l), accDelta: zerosLikeLeaves(l) };
    },
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      checkStateArrays(name, state as unknown as Record<string, unknown>, ['squareAvg', 'accDelta'], c.params.length);
      const eta = lrAt(name, lr, state.count);
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const sq: Tensor[] = [];
      const acc: Tensor[] = [];
      const updates = c.grads.map((g0, i) => {
        const g = coupledDecay(g0, c.params[i]!, wd, decay[i]!);
        const s = add(mul(state.squareAvg[i]!, rho), mul(mul(g, g), 1 - rho));
        const delta = mul(div(sqrt(add(state.accDelta[i]!, eps)), sqrt(add(s, eps))), g);
        sq.push(s);
        acc.push(add(mul(state.accDelta[i]!, rho), mul(mul(delta, delta), 1 - rho)));
        return mul(delta, -eta);
      });
      return { updates: c.build(updates), state: { count: state.count + 1, squareAvg: sq, accDelta: acc } };
    },
  });
}
