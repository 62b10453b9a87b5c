import { add, div, mul, sqrt, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkNonNegative } from '../core/validate.js';
import { momentConfig, momentStep, stepMoments, zeroMoments } from './moments.js';

/**
 * Options of {@link nadam}; names and defaults follow `torch.optim.NAdam`.
 *
 * @example
 * ```ts
 * import { nadam, type NAdamOptions } from '@difflab/optim';
 * const o: NAdamOptions = { lr: 2e-3, momentumDecay: 4e-3 };
 * const opt = nadam(o);
 * ```
 */
export interface NAdamOptions {
  /** Learning rate or schedule (default 2e-3). */
  lr?: LearningRate;
  /** First-moment decay (default 0.9). */
  b1?: number;
  /** Second-moment decay (default 0.999). */
  b2?: number;
  /** Added to the bias-corrected sqrt(v) (default 1e-8). */
  eps?: number;
  /** Coupled L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
  /** Momentum schedule mu_t = b1 (1 - 0.5 * 0.96^(t * momentumDecay)) (default 4e-3). */
  momentumDecay?: number;
  /**
   * Reproduce torch 1.13's NAdam, whose momentum-term coefficient uses mu_1…mu_t · mu_t · mu_{t+1}
   * (mu_t counted twice; fixed in torch 2.0). Default false: the paper's / torch >= 2.0's rule.
   */
  torch113?: boolean;
}

/**
 * State of {@link nadam}: step count, running product of the momentum schedule and per-leaf moments.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { nadam, type NAdamState } from '@difflab/optim';
 * const s: NAdamState = nadam().init({ w: tensor([1]) });
 * s.muProduct; // 1
 * ```
 */
export interface NAdamState {
  /** Number of updates applied so far. */
  count: number;
  /** Product of the momentum schedule mu_1 … mu_t. */
  muProduct: number;
  /** First-moment estimates, one per leaf. */
  mu: Tensor[];
  /** Second-moment estimates, one per leaf. */
  nu: Tensor[];
}

/**
 * NAdam (Dozat, 2016: Adam with Nesterov momentum) with `torch.optim.NAdam`'s momentum-decay
 * schedule `mu_t = b1 (1 - 0.5 * 0.96^(t * momentumDecay))` and eps placement.
 *
 * @param opts - See {@link NAdamOptions}; `torch113` reproduces torch 1.13's variant.
 * @returns The optimizer.
 * @throws {ValueError} for a negative lr/eps/weightDecay/momentumDecay or betas outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { nadam } from '@difflab/optim';
 * const opt = nadam({ lr: 0.1 });
 * let params = { w: tensor([1]) };
 * let state = opt.init(params);
 * for (let i = 0; i < 5; i++) ({ params, state } = opt.step((p) => p.w.square().sum(), params, state));
 * params.w.item(); // about 0.62
 * ```
 */
export function nadam(opts: NAdamOptions = {}): Optimizer<NAdamState> {
  const name = 'nadam';
  const cfg = momentConfig(name, opts, { lr: 2e-3, eps: 1e-8 });
  const { b1, b2, eps } = cfg;
  const md = checkNonNegative(name, 'momentumDecay', opts.momentumDecay ?? 4e-3);
  return asOptimizer<NAdamState>({
    name,
    init: (params) => ({ ...zeroMoments(name, params, ['mu', 'nu']), muProduct: 1 }),
    transform(grads, state, params) {
      const step = momentStep(name, cfg, grads, state, params, ['mu', 'nu']);
      const { eta, t } = step;
      const bc2 = 1 - b2 ** t;
      const muT = b1 * (1 - 0.5 * 0.96 ** (t * md));
      const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * md));
      const muProduct = state.muProduct * muT;
      const muProductNext = opts.torch113 ? muProduct * muT * muNext : muProduct * muNext;
      const { updates, mu, nu } = stepMoments(cfg, step, state, true, (m, v, g) => {
        const denom = add(sqrt(div(v, bc2)), eps);
        const gradPart = mul(div(g, denom), (-eta * (1 - muT)) / (1 - muProduct));
        const momPart = mul(div(m, denom), (-eta * muNext) / (1 - muProductNext));
        return add(gradPart, momPart);
      });
      return { updates, state: { count: t, muProduct, mu, nu } };
    },
  });
}
