import { ValueError, grad, valueAndGrad, type Tensor } from '@difflab/tensor';
import { applyUpdates } from '../core/optimizer.js';
import { paramLeaves } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { checkInteger } from '../core/validate.js';
import { sgd } from '../optimizers/sgd.js';
import type { BilevelLoss } from './implicit.js';

/**
 * Options of {@link unrolledHypergradient}.
 *
 * @example
 * ```ts
 * import { sgd, type UnrolledOptions } from '@difflab/optim';
 * const o: UnrolledOptions = { steps: 20, optimizer: sgd({ lr: 0.1, momentum: 0.9 }) };
 * ```
 */
export interface UnrolledOptions {
  /** Inner optimisation steps differentiated through (default 100). */
  steps?: number;
  /** Inner optimizer; its update must be differentiable (all optimizers here are). Default sgd({lr: 0.1}). */
  optimizer?: GradientTransformation;
}

/**
 * Hypergradient by differentiating through `steps` inner optimizer updates from `w0`
 * (Maclaurin et al., 2015; Franceschi et al., 2017, reverse mode): `F(w_K(h), h)` is a
 * differentiable function of h. Memory grows with `steps`; the result approaches the implicit
 * hypergradient as the inner problem converges.
 *
 * @param innerLoss - g(w, h), minimised over w by the inner optimizer.
 * @param outerLoss - F(w, h).
 * @param w0 - Inner starting point.
 * @param hyper - The hyper-parameters h.
 * @param opts - See {@link UnrolledOptions}.
 * @returns The hypergradient, the final inner iterate `w_K` and `F(w_K, h)`.
 * @throws {ValueError} for invalid steps or an inner optimizer that needs the closure form.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { sgd, unrolledHypergradient } from '@difflab/optim';
 * const inner = (w: Tensor, h: Tensor) => w.sub(h).square().sum();
 * const outer = (w: Tensor, _h: Tensor) => w.sub(3).square().sum();
 * const r = unrolledHypergradient(inner, outer, tensor([0]), tensor([1]), { steps: 2, optimizer: sgd({ lr: 0.5 }) });
 * r.hypergrad.item(); // -4: one step with lr 0.5 already lands on w = h
 * ```
 */
export function unrolledHypergradient<W, H>(
  innerLoss: BilevelLoss<W, H>,
  outerLoss: BilevelLoss<W, H>,
  w0: W,
  hyper: H,
  opts: UnrolledOptions = {},
): {
  /** dF(w_K(h), h)/dh, h-shaped. */
  hypergrad: H;
  /** The final inner iterate w_K. */
  w: W;
  /** The outer loss F(w_K, h). */
  outer: number;
} {
  const name = 'unrolledHypergradient';
  const steps = checkInteger(name, 'steps', opts.steps ?? 100, 0);
  const opt = opts.optimizer ?? sgd({ lr: 0.1 });
  if (opt.needsClosure) throw new ValueError(`${name}: the inner optimizer must work from gradients (${opt.name} re-evaluates the loss)`);
  paramLeaves(name, w0);
  let wFinal: W = w0;
  const F = (h: H): Tensor => {
    let w = w0;
    let s = opt.init(w0);
    for (let k = 0; k < steps; k++) {
      const g = grad(innerLoss, { argnums: 0 })(w, h);
      const r = opt.transform(g, s, w, {});
      w = applyUpdates(w, r.updates);
      s = r.state;
    }
    wFinal = w;
    return outerLoss(w, h);
  };
  const [value, hypergrad] = valueAndGrad(F)(hyper) as [Tensor, H];
  return { hypergrad, w: wFinal, outer: value.item() };
}
