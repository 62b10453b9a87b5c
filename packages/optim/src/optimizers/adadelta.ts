import { add, div, mul, sqrt, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkLr, checkNonNegative, checkRange, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

export interface AdadeltaOptions {
  /** Scale applied to the delta (default 1.0, as PyTorch). */
  lr?: LearningRate;
  /** Decay of both running averages (default 0.9). */
  rho?: number;
  eps?: number;
  weightDecay?: number;
  weightDecayMask?: Mask;
}

export interface AdadeltaState {
  count: number;
  squareAvg: Tensor[];
  accDelta: Tensor[];
}

/** Adadelta (Zeiler) as torch.optim.Adadelta: eps inside both square roots. */
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
