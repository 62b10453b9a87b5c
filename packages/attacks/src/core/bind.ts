import type { AttackFn, Labels, Model } from './types.js';
import type { Tensor } from '@difflab/tensor';

/**
 * Fixes an attack's options, giving the `(model, x, y) => adversarial` form that `robustAccuracy`,
 * `ensemble` and the training losses take: `bindAttack(pgd, { eps: 0.1, steps: 20 })`.
 */
export function bindAttack<O>(attack: (model: Model, x: Tensor, y: Labels, opts: O) => Tensor, opts: O): AttackFn {
  return (model, x, y) => attack(model, x, y, opts);
}
