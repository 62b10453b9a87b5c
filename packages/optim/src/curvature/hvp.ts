import { hvp, type Tensor } from '@difflab/tensor';
import { matchLeaves, paramLeaves } from '../core/tree-utils.js';
import type { LossFn } from '../core/types.js';

/**
 * Hessian-vector product H(params)·v of a scalar loss over a params pytree, without forming H
 * (reverse-over-reverse). `v` has the structure of the params.
 */
export function hessianVectorProduct<P>(lossFn: LossFn<P>, params: P, v: P): P {
  paramLeaves('hessianVectorProduct', params);
  matchLeaves('hessianVectorProduct', 'the vector', params, v);
  return hvp(lossFn as (p: P) => Tensor, [params], [v]) as P;
}
