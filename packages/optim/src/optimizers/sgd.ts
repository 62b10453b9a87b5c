import { add, mul, ValueError, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkLr, checkNonNegative, checkRange, lrAt } from '../core/validate.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

export interface SGDOptions {
  lr: LearningRate;
  /** Heavy-ball momentum (default 0). */
  momentum?: number;
  /** Dampening of the momentum's gradient term (default 0). */
  dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0, as PyTorch). */
  nesterov?: boolean;
  /** L2 penalty added to the gradient (coupled, as torch.optim.SGD). */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

export interface SGDState {
  count: number;
  /** Momentum buffers; `null` before the first step (PyTorch initialises them with the first gradient). */
  momentum: (Tensor | null)[];
}

/** Stochastic gradient descent with PyTorch's exact momentum / dampening / Nesterov / weight-decay semantics. */
export function sgd(opts: SGDOptions): Optimizer<SGDState> {
  const name = 'sgd';
  const lr = checkLr(name, opts?.lr);
  const momentum = checkRange(name, 'momentum', opts.momentum ?? 0, 0, Infinity);
  const dampening = checkRange(name, 'dampening', opts.dampening ?? 0, 0, 1, true);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  const nesterov = opts.nesterov ?? false;
  if (nesterov && (momentum <= 0 || dampening !== 0))
    throw new ValueError(`${name}: nesterov momentum requires momentum > 0 and dampening 0 (got momentum ${momentum}, dampening ${dampening})`);
  return asOptimizer<SGDState>({
    name,
    init: (params) => ({ count: 0, momentum: leafCall(name, params, params).params.map(() => null) }),
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      checkStateArrays(name, state as unknown as Record<string, unknown>, ['momentum'], c.params.length);
      const eta = lrAt(name, lr, state.count);
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const bufs: (Tensor | null)[] = [];
      const updates = c.grads.map((g0, i) => {
        const p = c.params[i]!;
        let d = coupledDecay(opts.maximize ? mul(g0, -1) : g0, p, wd, decay[i]!);
        if (momentum !== 0) {
          const prev = state.momentum[i];
          const buf = prev ? add(mul(prev, momentum), mul(d, 1 - dampening)) : d;
          bufs.push(buf);
          d = nesterov ? add(d, mul(buf, momentum)) : buf;
        } else bufs.push(null);
        return mul(d, -eta);
      });
      return { updates: c.build(updates), state: { count: state.count + 1, momentum: bufs } };
    },
  });
}
