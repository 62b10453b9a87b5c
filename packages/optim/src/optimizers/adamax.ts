import { abs, add, div, maximum, mul, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkBetas, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';

/**
 * Options of {@link adamax}; names and defaults follow `torch.optim.Adamax`.
 *
 * @example
 * ```ts
 * import { adamax, type AdamaxOptions } from '@difflab/optim';
 * const o: AdamaxOptions = { lr: 2e-3, b1: 0.9, b2: 0.999 };
 * const opt = adamax(o);
 * ```
 */
export interface AdamaxOptions {
  /** Learning rate or schedule (default 2e-3). */
  lr?: LearningRate;
  /** First-moment decay (default 0.9). */
  b1?: number;
  /** Decay of the infinity norm (default 0.999). */
  b2?: number;
  /** Added to |g| inside the max (default 1e-8). */
  eps?: number;
  /** Coupled L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
}

/**
 * State of {@link adamax}: step count, first moments and infinity norms per leaf.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adamax, type AdamaxState } from '@difflab/optim';
 * const s: AdamaxState = adamax().init({ w: tensor([1, 2]) });
 * s.uInf[0]!.toArray(); // [0, 0]
 * ```
 */
export interface AdamaxState {
  /** Number of updates applied so far. */
  count: number;
  /** First-moment estimates, one per leaf. */
  mu: Tensor[];
  /** Exponentially weighted infinity norm. */
  uInf: Tensor[];
}

/**
 * Adamax (Kingma & Ba, 2015, the infinity-norm variant of Adam) as `torch.optim.Adamax`:
 * `u = max(b2 u, |g| + eps)`, `p -= lr / (1 - b1^t) * m / u`.
 *
 * @param opts - See {@link AdamaxOptions}.
 * @returns The optimizer.
 * @throws {ValueError} for a negative lr/eps/weightDecay or betas outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adamax } from '@difflab/optim';
 * const opt = adamax({ lr: 0.1 });
 * const params = { w: tensor([1, -2]) };
 * const r = opt.step((p) => p.w.square().sum(), params, opt.init(params));
 * r.params.w.toArray(); // [0.9, -1.9]
 * ```
 */
export function adamax(opts: AdamaxOptions = {}): Optimizer<AdamaxState> {
  const name = 'adamax';
  const lr = checkLr(name, opts.lr ?? 2e-3);
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.999;
  checkBetas(name, b1, b2);
  const eps = checkNonNegative(name, 'eps', opts.eps ?? 1e-8);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? 0);
  return asOptimizer<AdamaxState>({
    name,
    init(params) {
      const l = leafCall(name, params, params).params;
      return { count: 0, mu: zerosLikeLeaves(l), uInf: zerosLikeLeaves(l) };
    },
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      checkStateArrays(name, state as unknown as Record<string, unknown>, ['mu', 'uInf'], c.params.length);
      const t = state.count + 1;
      const clr = lrAt(name, lr, state.count) / (1 - b1 ** t);
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const mu: Tensor[] = [];
      const uInf: Tensor[] = [];
      const updates = c.grads.map((g0, i) => {
        const g = coupledDecay(g0, c.params[i]!, wd, decay[i]!);
        const m = add(mul(state.mu[i]!, b1), mul(g, 1 - b1));
        const u = maximum(mul(state.uInf[i]!, b2), add(abs(g), eps));
        mu.push(m);
        uInf.push(u);
        return mul(div(m, u), -clr);
      });
      return { updates: c.build(updates), state: { count: t, mu, uInf } };
    },
  });
}
