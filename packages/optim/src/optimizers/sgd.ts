import { add, mul, ValueError, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkLr, checkNonNegative, checkRange, lrAt } from '../core/validate.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

/**
 * Options of {@link sgd}; names and defaults follow `torch.optim.SGD`.
 *
 * @example
 * ```ts
 * import { sgd, type SGDOptions } from '@difflab/optim';
 * const o: SGDOptions = { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4 };
 * const opt = sgd(o);
 * ```
 */
export interface SGDOptions {
  /** Learning rate or schedule (required, as PyTorch). */
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

/**
 * State of {@link sgd}: the step count and one momentum buffer per param leaf.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sgd, type SGDState } from '@difflab/optim';
 * const s: SGDState = sgd({ lr: 0.1 }).init({ w: tensor([1]) });
 * s.count; // 0
 * ```
 */
export interface SGDState {
  /** Number of updates applied so far. */
  count: number;
  /** Momentum buffers; `null` before the first step (PyTorch initialises them with the first gradient). */
  momentum: (Tensor | null)[];
}

/**
 * Stochastic gradient descent with PyTorch's exact momentum / dampening / Nesterov / weight-decay
 * semantics (`torch.optim.SGD`; optax `sgd` differs in where momentum is applied).
 *
 * Update: `b = momentum * b + (1 - dampening) * g` (b = g on the first step), then
 * `p -= lr * (nesterov ? g + momentum * b : b)`, with `g += weightDecay * p` first.
 *
 * @param opts - See {@link SGDOptions}; `lr` is required.
 * @returns The optimizer.
 * @throws {ValueError} for a negative/non-finite lr or momentum, dampening outside [0, 1], or
 * Nesterov without momentum or with dampening.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sgd } from '@difflab/optim';
 * const opt = sgd({ lr: 0.1, momentum: 0.9 });
 * let params = { w: tensor([1, -2]) };
 * let state = opt.init(params);
 * for (let i = 0; i < 2; i++) ({ params, state } = opt.step((p) => p.w.square().sum(), params, state));
 * params.w.toArray(); // [0.46, -0.92]
 * ```
 */
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
