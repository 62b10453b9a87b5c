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

/**
 * Per-example KL(p || q) from logits, sum over classes: [N].
 *
 * @param pLogits - logits of the reference distribution p, `[N, C]`.
 * @param qLogits - logits of q, `[N, C]`.
 * @returns `[N]` divergences.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { klFromLogits } from '@difflab/attacks';
 * klFromLogits(tensor([[0, 0]]), tensor([[0, 0]])); // tensor([0])
 * klFromLogits(tensor([[0, 0]]), tensor([[Math.log(3), 0]])); // tensor([0.1438]) = KL([.5, .5] || [.75, .25])
 * ```
 */
export function klFromLogits(pLogits: Tensor, qLogits: Tensor): Tensor {
  const lp = logSoftmax(pLogits, 1);
  return sum(softmax(pLogits, 1).mul(lp.sub(logSoftmax(qLogits, 1))), 1);
}

/**
 * Options of {@link tradesLoss} and {@link tradesAdversary}.
 *
 * @example
 * ```ts
 * import type { TradesOptions } from '@difflab/attacks';
 * const opts: TradesOptions = { eps: 8 / 255, alpha: 2 / 255, steps: 10, beta: 6, key: 0 };
 * ```
 */
export interface TradesOptions {
  /** L-inf radius of the inner maximisation. */
  eps: number;
  /** Inner step size (default eps / 4). */
  alpha?: number;
  /** Inner steps (default 10). */
  steps?: number;
  /** Weight of the robustness term (default 6, the paper's CIFAR setting). */
  beta?: number;
  /** Input box (default `[0, 1]`). */
  bounds?: Bounds;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * The TRADES inner maximisation: x' maximising KL(f(x) || f(x')) in the L-inf ball, by sign steps
 * from x + 0.001 N(0, I).
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - clean batch `[N, ...]` inside `bounds`.
 * @param opts - see {@link TradesOptions}.
 * @returns Adversarial inputs with the shape of `x`, detached.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { tradesAdversary } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const xAdv = tradesAdversary(model, tensor([[0.45, 0.55]]), { eps: 0.1, steps: 5 });
 * ```
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
 *
 * The reference TRADES objective (`trades_loss` of the authors' code) with `beta` the trade-off.
 *
 * @param apply - the parametrised classifier.
 * @param params - parameters at which the inner maximisation runs.
 * @param x - clean batch `[N, ...]`.
 * @param y - labels, int32 `[N]`.
 * @param opts - see {@link TradesOptions}.
 * @returns The loss of the parameters.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { adam } from '@difflab/optim';
 * import { tradesLoss } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const x = tensor([[0.2, 0.6], [0.7, 0.1]]);
 * const y = tensor([1, 0], { dtype: 'int32' });
 * const opt = adam({ lr: 1e-2 });
 * const { params, loss } = opt.step(tradesLoss(net.apply, net.params, x, y, { eps: 0.05, steps: 3, beta: 6 }), net.params, opt.init(net.params));
 * ```
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
