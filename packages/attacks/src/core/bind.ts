import type { AttackFn, Labels, Model } from './types.js';
import type { Tensor } from '@difflab/tensor';

/**
 * Fixes an attack's options, giving the `(model, x, y) => adversarial` form that `robustAccuracy`,
 * `ensemble` and the training losses take: `bindAttack(pgd, { eps: 0.1, steps: 20 })`.
 *
 * @param attack - any attack of the form `(model, x, y, opts) => adversarial`.
 * @param opts - the options to fix.
 * @returns The attack as an {@link AttackFn}.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { bindAttack, fgsm, pgd, robustAccuracy } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * const x = tensor([[0.2, 0.6], [0.7, 0.1]]);
 * const report = await robustAccuracy(model, x, [1, 0], {
 *   fgsm: bindAttack(fgsm, { eps: 0.1 }),
 *   pgd: bindAttack(pgd, { eps: 0.1, steps: 10 }),
 * });
 * report.robustAccuracy; // 1: eps = 0.1 cannot flip either point
 * ```
 */
export function bindAttack<O>(attack: (model: Model, x: Tensor, y: Labels, opts: O) => Tensor, opts: O): AttackFn {
  return (model, x, y) => attack(model, x, y, opts);
}
