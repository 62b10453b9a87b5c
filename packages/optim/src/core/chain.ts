import { ValueError } from '@difflab/tensor';
import { asOptimizer } from './optimizer.js';
import type { GradientTransformation, Optimizer, TransformResult } from './types.js';

/**
 * Composes gradient transformations left to right into one optimizer (optax's `chain`).
 *
 * Each member's output updates feed the next member; the state is the array of the members'
 * states. A member that re-evaluates the loss (SAM, L-BFGS) sees the updates produced by the
 * members before it, so put such methods outermost: `sam(chain(...))`.
 *
 * @param transforms - The transformations, applied in order (at least one).
 * @returns An optimizer whose state is `unknown[]`, one entry per member.
 * @throws {ValueError} when no transformation is given or an argument lacks `init`/`transform`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { chain, clipByGlobalNorm, sgd } from '@difflab/optim';
 * const opt = chain(clipByGlobalNorm(1), sgd({ lr: 0.1 }));
 * const params = { w: tensor([3, 4]) };
 * const state = opt.init(params);
 * const r = opt.update({ w: tensor([30, 40]) }, state, params);
 * r.params.w.toArray(); // [2.94, 3.92]: the gradient is clipped to norm 1 first
 * ```
 */
export function chain(...transforms: GradientTransformation[]): Optimizer<unknown[]> {
  if (transforms.length === 0) throw new ValueError('chain: needs at least one gradient transformation');
  transforms.forEach((t, i) => {
    if (!t || typeof t.init !== 'function' || typeof t.transform !== 'function')
      throw new ValueError(`chain: argument ${i} is not a gradient transformation (needs init and transform)`);
  });
  const name = `chain(${transforms.map((t) => t.name).join(', ')})`;
  return asOptimizer<unknown[]>({
    name,
    needsClosure: transforms.some((t) => t.needsClosure),
    init: (params) => transforms.map((t) => t.init(params)),
    transform(updates, state, params, ctx): TransformResult<unknown[]> {
      if (!Array.isArray(state) || state.length !== transforms.length)
        throw new ValueError(`${name}: state does not come from this chain's init (expected ${transforms.length} member states)`);
      let u = updates;
      let loss: TransformResult<unknown>['loss'];
      const next = transforms.map((t, i) => {
        const r = t.transform(u, state[i], params, ctx);
        u = r.updates;
        if (r.loss !== undefined && loss === undefined) loss = r.loss;
        return r.state;
      });
      return loss === undefined ? { updates: u, state: next } : { updates: u, state: next, loss };
    },
  });
}
