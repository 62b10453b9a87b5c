import { log, maximum, oneHot, softmax, sum, where, type Tensor } from '@difflab/tensor';
import { checkNonNegative } from '../core/validate.js';
import { klFromLogits } from './trades.js';
import { trainingExamples, type AdversarialLossOptions } from './pgd-at.js';
import type { Apply, ParamLoss } from './common.js';

/**
 * Options of {@link martLoss}: the adversarial-example options plus the KL weight.
 *
 * @example
 * ```ts
 * import type { MartOptions } from '@difflab/attacks';
 * const opts: MartOptions = { eps: 8 / 255, steps: 10, beta: 6 };
 * ```
 */
export interface MartOptions extends AdversarialLossOptions {
  /** Weight of the misclassification-aware KL term (default 6). */
  beta?: number;
}

/**
 * MART (Wang et al. 2020): boosted CE on x_adv, -log p_y(x') - log(1 - max_{k != y} p_k(x')), plus
 * beta * mean KL(p(x) || p(x')) (1 - p_y(x)), which emphasises misclassified clean examples.
 *
 * @param apply - the parametrised classifier.
 * @param params - parameters at which the attack runs.
 * @param x - clean batch `[N, ...]`.
 * @param y - labels, int32 `[N]`.
 * @param opts - see {@link MartOptions}.
 * @returns The loss of the parameters.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { martLoss } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const loss = martLoss(net.apply, net.params, tensor([[0.2, 0.6]]), tensor([1], { dtype: 'int32' }), { eps: 0.05, steps: 3 });
 * loss(net.params); // scalar tensor
 * ```
 */
export function martLoss<P>(apply: Apply<P>, params: P, x: Tensor, y: Tensor, opts: MartOptions): ParamLoss<P> {
  const beta = checkNonNegative('martLoss', 'beta', opts?.beta ?? 6);
  const xAdv = trainingExamples(apply, params, x, y, { ...opts, loss: opts.loss ?? 'ce' }, 'martLoss');
  const n = x.shape[0]!;
  return (p: P) => {
    const zAdv = apply(p, xAdv);
    const z = apply(p, x);
    const c = z.shape[1]!;
    const pa = softmax(zAdv, 1);
    const mask = oneHot(y, c, 'int32').equal(1);
    const py = sum(where(mask, pa, 0), 1);
    const pOther = where(mask, -Infinity, pa).max(1);
    const tiny = 1e-12;
    const bce = log(maximum(py, tiny))
      .neg()
      .sub(log(maximum(pOther.neg().add(1), tiny)));
    const pyClean = sum(where(mask, softmax(z, 1), 0), 1);
    const kl = klFromLogits(z, zAdv).mul(pyClean.neg().add(1));
    return sum(bce)
      .div(n)
      .add(sum(kl).mul(beta / n));
  };
}
