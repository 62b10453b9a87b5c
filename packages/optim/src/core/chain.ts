import { ValueError } from '@difflab/tensor';
import { asOptimizer } from './optimizer.js';
import type { GradientTransformation, Optimizer, TransformResult } from './types.js';

/**
 * Composes gradient transformations left to right (optax's `chain`):
 * `chain(clipByGlobalNorm(1), adamw({lr: 1e-3}))`. The result is an optimizer; its state is
 * the array of the members' states. A member that re-evaluates the loss (SAM, L-BFGS) sees the
 * updates produced by the members before it, so put such methods outermost: `sam(chain(...))`.
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
