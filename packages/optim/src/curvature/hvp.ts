import { hvp, type Tensor } from '@difflab/tensor';
import { matchLeaves, paramLeaves } from '../core/tree-utils.js';
import type { LossFn } from '../core/types.js';

/**
 * Hessian-vector product `H(params)·v` of a scalar loss over a params pytree, without forming H
 * (reverse-over-reverse, as `torch.autograd.functional.hvp` / JAX's `jvp(grad(f))`).
 *
 * @param lossFn - Scalar loss of the params (twice differentiable).
 * @param params - Where the Hessian is taken.
 * @param v - A pytree with the structure and shapes of the params.
 * @returns `H v`, with the structure of the params.
 * @throws {ValueError} when the params have no leaves or `v` does not match them.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { hessianVectorProduct } from '@difflab/optim';
 * const loss = (p: { w: Tensor }) => p.w.pow(3).sum(); // H = diag(6 w)
 * hessianVectorProduct(loss, { w: tensor([1, 2]) }, { w: tensor([1, 1]) }).w.toArray(); // [6, 12]
 * ```
 */
export function hessianVectorProduct<P>(lossFn: LossFn<P>, params: P, v: P): P {
  paramLeaves('hessianVectorProduct', params);
  matchLeaves('hessianVectorProduct', 'the vector', params, v);
  return hvp(lossFn as (p: P) => Tensor, [params], [v]) as P;
}
