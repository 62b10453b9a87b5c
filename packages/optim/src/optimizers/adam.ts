import { add, div, maximum, mul, sqrt, type Tensor } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkBetas, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { checkStateArrays, coupledDecay, decayFlags, leafCall } from './common.js';
import { zerosLikeLeaves } from '../core/tree-utils.js';

export interface AdamOptions {
  lr?: LearningRate;
  /** First-moment decay (default 0.9). */
  b1?: number;
  /** Second-moment decay (default 0.999). */
  b2?: number;
  /** Added to the bias-corrected sqrt(v), as PyTorch (default 1e-8). */
  eps?: number;
  /** Adam: L2 term added to the gradient. AdamW: decoupled decay p -= lr * wd * p. */
  weightDecay?: number;
  weightDecayMask?: Mask;
  /** Normalise by the running maximum of v (AMSGrad). */
  amsgrad?: boolean;
}

export interface AdamState {
  count: number;
  mu: Tensor[];
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

/** Adam (Kingma & Ba) with torch.optim.Adam's eps placement, bias correction and coupled L2 weight decay. */
export function adam(opts: AdamOptions = {}): Optimizer<AdamState> {
  return adamFamily(opts.amsgrad ? 'amsgrad' : 'adam', opts, false, 0);
}

/** AdamW (Loshchilov & Hutter): decoupled weight decay, default 0.01 as torch.optim.AdamW. */
export function adamw(opts: AdamOptions = {}): Optimizer<AdamState> {
  return adamFamily('adamw', opts, true, 0.01);
}

/** AMSGrad (Reddi et al.): Adam normalised by the running maximum of the second moment. */
export function amsgrad(opts: Omit<AdamOptions, 'amsgrad'> = {}): Optimizer<AdamState> {
  return adamFamily('amsgrad', { ...opts, amsgrad: true }, false, 0);
}
