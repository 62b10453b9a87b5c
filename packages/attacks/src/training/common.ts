import { stopGradient, tree, type Tensor } from '@difflab/tensor';
import type { Model } from '../core/types.js';

/** A parametrised classifier: `apply(params, x)` returns logits. */
export type Apply<P> = (params: P, x: Tensor) => Tensor;

/** A loss of the parameters, as `@difflab/optim` optimizers take it (`opt.step(lossFn, params, state)`). */
export type ParamLoss<P> = (params: P) => Tensor;

/**
 * The model at fixed parameters, for inner attacks: the parameters (not the input) are detached,
 * so input gradients flow while an outer transform never differentiates through the attack.
 */
export function frozen<P>(apply: Apply<P>, params: P): Model {
  const fixed = tree.map((t: Tensor) => stopGradient(t), params) as P;
  return (x: Tensor) => apply(fixed, x);
}
