import { ValueError, add, tree, valueAndGrad, type Tensor } from '@difflab/tensor';
import { matchLeaves } from './tree-utils.js';
import type { GradientTransformation, LossFn, Optimizer, StepResult, TransformContext, UpdateResult } from './types.js';

/** `params + updates`, leafwise (optax's `apply_updates`). */
export function applyUpdates<P>(params: P, updates: unknown): P {
  matchLeaves('applyUpdates', 'updates', params, updates);
  return tree.map((p, u) => add(p, u), params, updates) as P;
}

/**
 * Turns a gradient transformation into an {@link Optimizer} (adds `update` and the closure
 * form `step`). Every optimizer in this package is built this way.
 */
export function asOptimizer<S>(t: GradientTransformation<S>): Optimizer<S> {
  const update = <P>(grads: P, state: S, params: P, extra: { loss?: number | Tensor } = {}): UpdateResult<P, S> => {
    if (t.needsClosure)
      throw new ValueError(`${t.name}: needs the loss function to re-evaluate it; use step(lossFn, params, state) instead of update(grads, …)`);
    matchLeaves(t.name, 'grads', params, grads);
    const ctx: TransformContext = extra.loss === undefined ? {} : { loss: extra.loss };
    const r = t.transform(grads, state, params, ctx);
    return { params: applyUpdates(params, r.updates), state: r.state, updates: r.updates as P };
  };
  const step = <P>(lossFn: LossFn<P>, params: P, state: S): StepResult<P, S> => {
    if (typeof lossFn !== 'function') throw new ValueError(`${t.name}: step expects a loss function (params => scalar Tensor), got ${typeof lossFn}`);
    const [loss, grads] = valueAndGrad(lossFn)(params) as [Tensor, P];
    const r = t.transform(grads, state, params, { lossFn: lossFn as LossFn, loss });
    return { params: applyUpdates(params, r.updates), state: r.state, loss: r.loss ?? loss };
  };
  return {
    name: t.name,
    needsClosure: t.needsClosure ?? false,
    init: (params: unknown) => t.init(params),
    transform: (u, s, p, c) => t.transform(u, s, p, c),
    update,
    step,
  };
}
