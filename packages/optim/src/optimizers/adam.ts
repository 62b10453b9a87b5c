import { add, div, maximum, mul, sqrt, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkBetas, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';

/**
 * Options of {@link adam}, {@link adamw} and {@link amsgrad}; names and defaults follow
 * `torch.optim.Adam` / `AdamW` (`lr` 1e-3, `b1` 0.9, `b2` 0.999, `eps` 1e-8).
 *
 * @example
 * ```ts
 * import { adamw, type AdamOptions } from '@difflab/optim';
 * const o: AdamOptions = { lr: 3e-4, b2: 0.95, weightDecay: 0.1 };
 * const opt = adamw(o);
 * ```
 */
export interface AdamOptions {
  /** Learning rate or schedule (default 1e-3). */
  lr?: LearningRate;
  /** First-moment decay (default 0.9). */
  b1?: number;
  /** Second-moment decay (default 0.999). */
  b2?: number;
  /** Added to the bias-corrected sqrt(v), as PyTorch (default 1e-8). */
  eps?: number;
  /** Adam: L2 term added to the gradient. AdamW: decoupled decay p -= lr * wd * p. */
  weightDecay?: number;
  /** Leaves that get weight decay (default all). */
  weightDecayMask?: Mask;
  /** Normalise by the running maximum of v (AMSGrad). */
  amsgrad?: boolean;
}

/**
 * State of the Adam family: step count and per-leaf first/second moment estimates.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adam, type AdamState } from '@difflab/optim';
 * const s: AdamState = adam().init({ w: tensor([1, 2]) });
 * s.mu[0]!.toArray(); // [0, 0]
 * ```
 */
export interface AdamState {
  /** Number of updates applied so far (drives bias correction and schedules). */
  count: number;
  /** First-moment (mean) estimates, one per leaf. */
  mu: Tensor[];
  /** Second-moment (uncentered variance) estimates, one per leaf. */
  nu: Tensor[];
  /** Running max of nu (AMSGrad only; empty otherwise). */
  nuMax: Tensor[];
}

function adamFamily(name: string, opts: AdamOptions, decoupled: boolean, defaultWd: number): Optimizer<AdamState> {
  const lr = checkLr(name, opts.lr ?? 1e-3);
  const b1 = opts.b1 ?? 0.9;
  const b2 = opts.b2 ?? 0.999;
  checkBetas(name, b1, b2);
  const eps = checkNonNegative(name, 'eps', opts.eps ?? 1e-8);
  const wd = checkNonNegative(name, 'weightDecay', opts.weightDecay ?? defaultWd);
  const ams = opts.amsgrad ?? false;
  return asOptimizer<AdamState>({
    name,
    init(params) {
      const leaves = leafCall(name, params, params).params;
      return { count: 0, mu: zerosLikeLeaves(leaves), nu: zerosLikeLeaves(leaves), nuMax: ams ? zerosLikeLeaves(leaves) : [] };
    },
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      checkStateArrays(name, state as unknown as Record<string, unknown>, ams ? ['mu', 'nu', 'nuMax'] : ['mu', 'nu'], c.params.length);
      const eta = lrAt(name, lr, state.count);
      const t = state.count + 1;
      const stepSize = eta / (1 - b1 ** t);
      const bc2Sqrt = Math.sqrt(1 - b2 ** t);
      const decay = decayFlags(name, wd, opts.weightDecayMask, params);
      const mu: Tensor[] = [];
      const nu: Tensor[] = [];
      const nuMax: Tensor[] = [];
      const updates = c.grads.map((g0, i) => {
        const p = c.params[i]!;
        const g = decoupled ? g0 : coupledDecay(g0, p, wd, decay[i]!);
        const m = add(mul(state.mu[i]!, b1), mul(g, 1 - b1));
        const v = add(mul(state.nu[i]!, b2), mul(mul(g, g), 1 - b2));
        mu.push(m);
        nu.push(v);
        let vHat = v;
        if (ams) {
          vHat = maximum(state.nuMax[i]!, v);
          nuMax.push(vHat);
        }
        const denom = add(div(sqrt(vHat), bc2Sqrt), eps);
        let u = mul(div(m, denom), -stepSize);
        if (decoupled && decay[i]) u = add(u, mul(p, -eta * wd));
        return u;
      });
      return { updates: c.build(updates), state: { count: t, mu, nu, nuMax } };
    },
  });
}

/**
 * Adam (Kingma & Ba, 2015) with `torch.optim.Adam`'s eps placement (added to the bias-corrected
 * `sqrt(v)`), bias correction and coupled L2 weight decay (`g += weightDecay * p`).
 *
 * With `amsgrad: true` it is {@link amsgrad}. optax equivalent: `optax.adam` (eps placement differs slightly).
 *
 * @param opts - See {@link AdamOptions}.
 * @returns The optimizer.
 * @throws {ValueError} for a negative lr/eps/weightDecay or betas outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adam } from '@difflab/optim';
 * const opt = adam({ lr: 0.1 });
 * let params = { w: tensor([1, -2]) };
 * let state = opt.init(params);
 * ({ params, state } = opt.step((p) => p.w.square().sum(), params, state));
 * params.w.toArray(); // [0.9, -1.9]: the first Adam step moves each entry by lr
 * ```
 */
export function adam(opts: AdamOptions = {}): Optimizer<AdamState> {
  return adamFamily(opts.amsgrad ? 'amsgrad' : 'adam', opts, false, 0);
}

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay `p -= lr * weightDecay * p`,
 * default `weightDecay` 0.01 as `torch.optim.AdamW`.
 *
 * @param opts - See {@link AdamOptions}; `weightDecayMask` selects the decayed leaves.
 * @returns The optimizer.
 * @throws {ValueError} for a negative lr/eps/weightDecay or betas outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adamw, ndimMask } from '@difflab/optim';
 * const opt = adamw({ lr: 1e-3, weightDecay: 0.05, weightDecayMask: ndimMask() });
 * const params = { w: tensor([[1, 2]]), b: tensor([0]) };
 * const r = opt.step((p) => p.w.sum().add(p.b.sum()), params, opt.init(params));
 * r.params.b.toArray(); // [-0.001]: no decay on the 1-D bias
 * ```
 */
export function adamw(opts: AdamOptions = {}): Optimizer<AdamState> {
  return adamFamily('adamw', opts, true, 0.01);
}

/**
 * AMSGrad (Reddi et al., 2018): Adam normalised by the running maximum of the second moment,
 * as `torch.optim.Adam(amsgrad=True)`.
 *
 * @param opts - See {@link AdamOptions} (without `amsgrad`).
 * @returns The optimizer; its state's `nuMax` holds the running maxima.
 * @throws {ValueError} for a negative lr/eps/weightDecay or betas outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { amsgrad } from '@difflab/optim';
 * const opt = amsgrad({ lr: 0.1 });
 * const params = { w: tensor([1]) };
 * const r = opt.step((p) => p.w.square().sum(), params, opt.init(params));
 * r.state.nuMax.length; // 1
 * ```
 */
export function amsgrad(opts: Omit<AdamOptions, 'amsgrad'> = {}): Optimizer<AdamState> {
  return adamFamily('amsgrad', { ...opts, amsgrad: true }, false, 0);
}
