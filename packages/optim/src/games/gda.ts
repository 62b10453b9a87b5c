import { mul } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import type { LearningRate, Mask, Optimizer } from '../core/types.js';
import { checkLr, lrAt } from '../core/validate.js';
import { leafCall } from '../optimizers/common.js';
import { signedField } from './field.js';

/**
 * Simultaneous gradient descent-ascent on `min_x max_y f(x, y)`: the `ascent` leaves climb f, the
 * others descend. The baseline that cycles or diverges on bilinear games (where
 * {@link extragradient} and {@link ogda} converge).
 *
 * @param opts - `lr` (number or schedule, required) and `ascent`: the leaves that maximise f.
 * @returns The optimizer.
 * @throws {ValueError} for an invalid lr.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { gda } from '@difflab/optim';
 * const opt = gda({ lr: 0.1, ascent: { x: false, y: true } });
 * const params = { x: tensor([1]), y: tensor([1]) };
 * const r = opt.step((p) => p.x.mul(p.y).sum(), params, opt.init(params));
 * [r.params.x.item(), r.params.y.item()]; // [0.9, 1.1]
 * ```
 */
export function gda(opts: { lr: LearningRate; ascent?: Mask }): Optimizer<{
  /** Updates applied so far. */
  count: number;
}> {
  const name = 'gda';
  const lr = checkLr(name, opts?.lr);
  return asOptimizer<{ count: number }>({
    name,
    init: (params) => (leafCall(name, params, params), { count: 0 }),
    transform(grads, state, params) {
      const c = leafCall(name, grads, params);
      const eta = lrAt(name, lr, state.count);
      const F = signedField(name, c.grads, params, opts.ascent);
      return { updates: c.build(F.map((f) => mul(f, -eta))), state: { count: state.count + 1 } };
    },
  });
}
