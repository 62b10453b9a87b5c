import { ValueError, add, div, grad, greater, mul, where } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import { globalNorm, matchLeaves, paramLeaves, rebuild, flat } from '../core/tree-utils.js';
import type { GradientTransformation, LossFn, Optimizer } from '../core/types.js';
import { checkNonNegative } from '../core/validate.js';

export interface GAMOptions {
  /** Radius of the neighbourhood for first-order flatness (default 0.05). */
  rho?: number;
  /** Weight of the first-order flatness term (default 0.1). */
  alpha?: number;
}

/** ||grad L(params)||, a differentiable function of the params (double backward). */
export function gradientNorm(lossFn: LossFn, params: unknown) {
  return globalNorm(flat(grad(lossFn)(params)).leaves);
}

/**
 * Gradient norm aware minimization (Zhang et al. 2023): descends
 * L(θ) + alpha·rho·max_{||e||<=rho} ||∇L(θ + e)||, approximated by the ascent
 * e = rho h/||h|| along h = ∇||∇L||(θ) = H g/||g||. The base transform receives
 * ∇L(θ) + alpha·rho·∇||∇L||(θ + e). Needs Hessian-vector products (double backward) and the
 * closure form `step(lossFn, params, state)`.
 */
export function gam<S>(base: GradientTransformation<S>, opts: GAMOptions = {}): Optimizer<{ base: S }> {
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
