import { stopGradient, tree, type Tensor } from '@difflab/tensor';
import type { Model } from '../core/types.js';

/**
 * A parametrised classifier: `apply(params, x)` returns logits.
 *
 * @example
 * ```ts
 * import { nn } from '@difflab/tensor';
 * import type { Apply } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2]);
 * const apply: Apply<typeof net.params> = net.apply;
 * ```
 */
export type Apply<P> = (params: P, x: Tensor) => Tensor;

/**
 * A loss of the parameters, as `@difflab/optim` optimizers take it (`opt.step(lossFn, params, state)`).
 *
 * @example
 * ```ts
 * import { nn, tensor } from '@difflab/tensor';
 * import { adam } from '@difflab/optim';
 * import { pgdAtLoss, type ParamLoss } from '@difflab/attacks';
 * const net = nn.mlp([2, 8, 2], { key: 0 });
 * const x = tensor([[0.2, 0.6], [0.7, 0.1]]);
 * const y = tensor([1, 0], { dtype: 'int32' });
 * const lossFn: ParamLoss<typeof net.params> = pgdAtLoss(net.apply, net.params, x, y, { eps: 0.05, steps: 3 });
 * const opt = adam({ lr: 1e-2 });
 * const { params, loss } = opt.step(lossFn, net.params, opt.init(net.params));
 * ```
 */
export type ParamLoss<P> = (params: P) => Tensor;

/**
 * The model at fixed parameters, for inner attacks: the parameters (not the input) are detached,
 * so input gradients flow while an outer transform never differentiates through the attack.
 */
export function frozen<P>(apply: Apply<P>, params: P): Model {
  const fixed = tree.map((t: Tensor) => stopGradient(t), params) as P;
  return (x: Tensor) => apply(fixed, x);
}
