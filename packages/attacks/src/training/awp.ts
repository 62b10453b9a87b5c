import { crossEntropy } from '@difflab/losses';
import { add, sum, tree, valueAndGrad, type Tensor } from '@difflab/tensor';
import { checkNonNegative } from '../core/validate.js';
import { trainingExamples, type AdversarialLossOptions } from './pgd-at.js';
import type { Apply, ParamLoss } from './common.js';

/**
 * Options of {@link awpLoss}.
 *
 * @example
 * ```ts
 * import type { AwpOptions } from '@difflab/attacks';
 * const opts: AwpOptions = { eps: 8 / 255, steps: 10, gamma: 0.005 };
 * ```
 */
export interface AwpOptions extends AdversarialLossOptions {
  /** Relative size gamma of the weight perturbation, ||v_l|| = gamma ||w_l|| (default 0.005). */
  gamma?: number;
}

/**
 * The AWP weight perturbation at `params`: one normalised ascent step on the adversarial loss per
 * weight tensor, v_l = gamma ||w_l|| g_l / ||g_l||, skipping 1-D leaves (biases, norms) as the
 * reference implementation does.
 *
 * @param apply - the parametrised classifier.
 * @param params - the weights to perturb (a pytree).
 * @param xAdv - adversarial inputs `[N, ...]`.
 * @param y - labels, int32 `[N]`.
 * @param gamma - relative size of the perturbation.
 * @returns The perturbation, a pytree shaped like `params` (zeros on 1-D leaves).
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { awpPerturbation } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const v = awpPerturbation(net.apply, net.params, tensor([[0.2, 0.6]]), tensor([1], { dtype: 'int32' }), 0.005);
 * v[0]!.w.shape; // same as net.params[0].w.shape
 * ```
 */
export function awpPerturbation<P>(apply: Apply<P>, params: P, xAdv: Tensor, y: Tensor, gamma: number): P {
  const g = valueAndGrad((p: P) => crossEntropy(apply(p, xAdv), y))(params)[1] as P;
  return tree.map(
    (w: Tensor, gw: Tensor) => {
      if (w.ndim < 2) return w.mul(0);
      const gn = Math.sqrt(sum(gw.mul(gw)).item());
      const wn = Math.sqrt(sum(w.mul(w)).item());
      return gn > 0 ? gw.mul((gamma * wn) / gn) : w.mul(0);
    },
    params,
    g,
  );
}

/**
 * Adversarial weight perturbation (Wu et al. 2020): x_adv = PGD(x), v = {@link awpPerturbation},
 * and the loss `params => CE(f_{params + v}(x_adv), y)`. Its gradient is the gradient at the
 * perturbed weights, which an optimizer then applies to the unperturbed ones — exactly AWP's
 * perturb / step / restore cycle.
 *
 * @param apply - the parametrised classifier.
 * @param params - parameters at which the attack and the perturbation are computed.
 * @param x - clean batch `[N, ...]`.
 * @param y - labels, int32 `[N]`.
 * @param opts - see {@link AwpOptions}.
 * @returns The loss of the parameters.
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { sgd } from '@difflab/optim';
 * import { awpLoss } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const x = tensor([[0.2, 0.6]]);
 * const y = tensor([1], { dtype: 'int32' });
 * const opt = sgd({ lr: 0.1 });
 * const { params } = opt.step(awpLoss(net.apply, net.params, x, y, { eps: 0.05, steps: 3 }), net.params, opt.init(net.params));
 * ```
 */
export function awpLoss<P>(apply: Apply<P>, params: P, x: Tensor, y: Tensor, opts: AwpOptions): ParamLoss<P> {
  const gamma = checkNonNegative('awpLoss', 'gamma', opts?.gamma ?? 0.005);
  const xAdv = trainingExamples(apply, params, x, y, opts, 'awpLoss');
  const v = awpPerturbation(apply, params, xAdv, y, gamma);
  return (p: P) => crossEntropy(apply(tree.map((a: Tensor, b: Tensor) => add(a, b), p, v) as P, xAdv), y);
}
