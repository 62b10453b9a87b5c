import { ValueError, add, grad, mul } from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import { matchLeaves } from '../core/tree-utils.js';
import type { LearningRate, LossFn, Mask, Optimizer } from '../core/types.js';
import { checkLr, lrAt } from '../core/validate.js';
import { leafCall } from '../optimizers/common.js';
import { signedField } from './field.js';

/**
 * Extragradient (Korpelevich, 1976) for min-max games on one objective f: extrapolate
 * `z½ = z − η F(z)`, then step `z⁺ = z − η F(z½)`, where F is the game's field (∇f, negated on the
 * `ascent` leaves). Converges on monotone games such as bilinear saddles for `η < 1/L`.
 *
 * Costs two gradient evaluations per step and needs the closure form `step(lossFn, params, state)`.
 *
 * @param opts - `lr` (number or schedule, required) and `ascent`: the leaves that maximise f (see {@link Mask}).
 * @returns The optimizer (`needsClosure: true`).
 * @throws {ValueError} for an invalid lr, or when called without the loss function.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { extragradient } from '@difflab/optim';
 * // min_x max_y x·y: the saddle is (0, 0)
 * const opt = extragradient({ lr: 0.3, ascent: { x: false, y: true } });
 * let params = { x: tensor([1]), y: tensor([1]) };
 * let state = opt.init(params);
 * for (let i = 0; i < 100; i++) ({ params, state } = opt.step((p) => p.x.mul(p.y).sum(), params, state));
 * Math.abs(params.x.item()) < 0.05; // true
 * ```
 */
export function extragradient(opts: { lr: LearningRate; ascent?: Mask }): Optimizer<{
  /** Updates applied so far. */
  count: number;
}> {
  const name = 'extragradient';
  const lr = checkLr(name, opts?.lr);
  return asOptimizer<{ count: number }>({
    name,
    needsClosure: true,
    init: (params) => (leafCall(name, params, params), { count: 0 }),
    transform(grads, state, params, ctx) {
      if (!ctx.lossFn) throw new ValueError(`${name}: needs the loss function; use step(lossFn, params, state)`);
      const c = leafCall(name, grads, params);
      const eta = lrAt(name, lr, state.count);
      const F = signedField(name, c.grads, params, opts.ascent);
      const half = c.build(c.params.map((p, i) => add(p, mul(F[i]!, -eta))));
      const gHalf = matchLeaves(name, 'grads', params, grad(ctx.lossFn as LossFn)(half));
      const FHalf = signedField(name, gHalf, params, opts.ascent);
      return { updates: c.build(FHalf.map((f) => mul(f, -eta))), state: { count: state.count + 1 } };
    },
  });
}
