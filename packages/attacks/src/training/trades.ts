import { crossEntropy } from '@difflab/losses';
import {
  clamp,
  logSoftmax,
  random,
  sign,
  softmax,
  stopGradient,
  sum,
  valueAndGrad,
  type Tensor,
} from '@difflab/tensor';
import { toKey } from '../core/grad.js';
import { clampBox, projectAdv } from '../core/project.js';
import type { Bounds, KeyLike, Model } from '../core/types.js';
import { checkBounds, checkEps, checkInt, checkNonNegative } from '../core/validate.js';
import { frozen, type Apply, type ParamLoss } from './common.js';

/** Per-example KL(p || q) from logits, sum over classes: [N]. */
export function klFromLogits(pLogits: Tensor, qLogits: Tensor): Tensor {
  const lp = logSoftmax(pLogits, 1);
  return sum(softmax(pLogits, 1).mul(lp.sub(logSoftmax(qLogits, 1))), 1);
}

export interface TradesOptions {
  eps: number;
  /** Inner step size (default eps / 4). */
  alpha?: number;
  /** Inner steps (default 10). */
  steps?: number;
  /** Weight of the robustness term (default 6, the paper's CIFAR setting). */
  beta?: number;
  bounds?: Bounds;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * The TRADES inner maximisation: x' maximising KL(f(x) || f(x')) in the L-inf ball, by sign steps
 * from x + 0.001 N(0, I).
 */
export function tradesAdversary(model: Model, x: Tensor, opts: TradesOptions): Tensor {
  const op = 'tradesAdversary';
  const eps = checkEps(op, opts?.eps);
  const steps = checkInt(op, 'steps', opts.steps ?? 10, 0);
  const alpha = checkNonNegative(op, 'alpha', opts.alpha ?? eps / 4);
  const [lo, hi] = checkBounds(op, opts.bounds);
  const clean = stopGradient(model(x));
  const noise = random.normal(toKey(op, opts.key), x.shape, { std: 0.001, dtype: x.dtype as 'float32' | 'float64' });
  let adv = clampBox(x.add(clamp(noise, -eps, eps)), lo, hi);
  for (let s = 0; s < steps; s++) {
    const g = valueAndGrad((z: Tensor) => sum(klFromLogits(clean, model(z))))(adv)[1] as Tensor;
    adv = projectAdv(adv.add(sign(g).mul(alpha)), x, eps, 'linf', lo, hi);
  }
  return stopGradient(adv);
}

/**
 * TRADES (Zhang et al. 2019): `params => CE(f(x), y) + beta * mean KL(f(x) || f(x_adv))`, x_adv from
 * {@link tradesAdversary} at the current params; both terms are differentiated.
 */
export function tradesLoss<P>(apply: Apply<P>, params: P, x: Tensor, y: Tensor, opts: TradesOptions): ParamLoss<P> {
  const beta = checkNonNegative('tradesLoss', 'beta', opts?.beta ?? 6);
  const xAdv = tradesAdversary(frozen(apply, params), x, opts);
  const n = x.shape[0]!;
  return (p: P) => {
    const z = apply(p, x);
    return crossEntropy(z, y).add(sum(klFromLogits(z, apply(p, xAdv))).mul(beta / n));
  };
}
