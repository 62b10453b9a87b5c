import { crossEntropy } from '@difflab/losses';
import { add, sum, tree, valueAndGrad, type Tensor } from '@difflab/tensor';
import { checkNonNegative } from '../core/validate.js';
import { trainingExamples, type AdversarialLossOptions } from './pgd-at.js';
import type { Apply, ParamLoss } from './common.js';

export interface AwpOptions extends AdversarialLossOptions {
  /** Relative size gamma of the weight perturbation, ||v_l|| = gamma ||w_l|| (default 0.005). */
  gamma?: number;
}

/**
 * The AWP weight perturbation at `params`: one normalised ascent step on the adversarial loss per
 * weight tensor, v_l = gamma ||w_l|| g_l / ||g_l||, skipping 1-D leaves (biases, norms) as the
 * reference implementation does.
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
 */
export function awpLoss<P>(apply: Apply<P>, params: P, x: Tensor, y: Tensor, opts: AwpOptions): ParamLoss<P> {
  const gamma = checkNonNegative('awpLoss', 'gamma', opts?.gamma ?? 0.005);
  const xAdv = trainingExamples(apply, params, x, y, opts, 'awpLoss');
  const v = awpPerturbation(apply, params, xAdv, y, gamma);
  return (p: P) => crossEntropy(apply(tree.map((a: Tensor, b: Tensor) => add(a, b), p, v) as P, xAdv), y);
}
