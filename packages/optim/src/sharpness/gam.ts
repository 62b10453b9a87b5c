import { ValueError, add, div, grad, greater, mul, where } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import { globalNorm, matchLeaves, paramLeaves, rebuild, flat } from '../core/tree-utils.js';
import type { GradientTransformation, LossFn, Optimizer } from '../core/types.js';
import { checkNonNegative } from '../core/validate.js';

/**
 * Options of {@link gam}.
 *
 * @example
 * ```ts
 * import { gam, sgd, type GAMOptions } from '@difflab/optim';
 * const o: GAMOptions = { rho: 0.05, alpha: 0.1 };
 * const opt = gam(sgd({ lr: 0.1 }), o);
 * ```
 */
export interface GAMOptions {
  /** Radius of the neighbourhood for first-order flatness (default 0.05). */
  rho?: number;
  /** Weight of the first-order flatness term (default 0.1). */
  alpha?: number;
}

/**
 * The gradient norm `||∇L(params)||` as a differentiable function of the params (its gradient
 * needs double backward, `H g / ||g||`); the flatness measure GAM penalises.
 *
 * @param lossFn - Scalar loss of the params.
 * @param params - Where to evaluate.
 * @returns A scalar Tensor.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { gradientNorm } from '@difflab/optim';
 * const loss = (p: { w: Tensor }) => p.w.square().sum();
 * gradientNorm(loss, { w: tensor([3, 4]) }).item(); // 10: ||2w||
 * ```
 */
export function gradientNorm(lossFn: LossFn, params: unknown) {
  return globalNorm(flat(grad(lossFn)(params)).leaves);
}

/**
 * Gradient norm aware minimization (Zhang et al., CVPR 2023): descends
 * `L(θ) + alpha·rho·max_{||e||<=rho} ||∇L(θ + e)||`.
 *
 * The inner max is approximated by the ascent `e = rho h/||h||` along `h = ∇||∇L||(θ) = H g/||g||`;
 * the base transform receives `∇L(θ) + alpha·rho·∇||∇L||(θ + e)`. Needs Hessian-vector products
 * (double backward) and the closure form `step(lossFn, params, state)`.
 *
 * @param base - The optimizer that takes the corrected gradient.
 * @param opts - See {@link GAMOptions}.
 * @returns The optimizer (`needsClosure: true`).
 * @throws {ValueError} for negative rho/alpha, or when called without the loss function.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { gam, sgd } from '@difflab/optim';
 * const opt = gam(sgd({ lr: 0.1 }), { rho: 0.05, alpha: 0.1 });
 * const params = { w: tensor([1, -1]) };
 * const r = opt.step((p) => p.w.pow(4).sum(), params, opt.init(params));
 * r.loss.item(); // 2
 * ```
 */
export function gam<S>(base: GradientTransformation<S>, opts: GAMOptions = {}): Optimizer<{
  /** The base optimizer's state. */
  base: S;
}> {
  const name = `gam(${base.name})`;
  const rho = checkNonNegative(name, 'rho', opts.rho ?? 0.05);
  const alpha = checkNonNegative(name, 'alpha', opts.alpha ?? 0.1);
  return asOptimizer<{ base: S }>({
    name,
    needsClosure: true,
    init: (params) => ({ base: base.init(params) }),
    transform(grads, state, params, ctx) {
      if (!ctx.lossFn) throw new ValueError(`${name}: needs the loss function; use step(lossFn, params, state)`);
      const lossFn = ctx.lossFn as LossFn;
      const p = paramLeaves(name, params);
      const g = matchLeaves(name, 'grads', params, grads);
      const normGrad = (x: unknown) => flat(grad((q: unknown) => gradientNorm(lossFn, q))(x)).leaves;
      const h = normGrad(params);
      const hn = globalNorm(h);
      const s = where(greater(hn, 0), div(rho, where(greater(hn, 0), hn, 1)), 0);
      const shifted = rebuild(p.treedef, p.leaves.map((x, i) => add(x, mul(h[i]!, s))));
      const hAdv = normGrad(shifted);
      const total = rebuild(p.treedef, g.map((gi, i) => add(gi, mul(hAdv[i]!, alpha * rho))));
      const r = base.transform(total, state.base, params, ctx);
      return { updates: r.updates, state: { base: r.state } };
    },
  });
}
