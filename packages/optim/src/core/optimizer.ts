import { ValueError, add, tree, valueAndGrad, type Tensor } from '@difflab/tensor';
import { matchLeaves } from './tree-utils.js';
import type { GradientTransformation, LossFn, Optimizer, StepResult, TransformContext, UpdateResult } from './types.js';

/**
 * Adds updates to params leafwise (optax's `apply_updates`).
 *
 * @param params - The params pytree.
 * @param updates - A pytree with the same structure and leaf shapes.
 * @returns `params + updates`, with the structure of `params`.
 * @throws {ValueError} when the structures differ.
 * @throws {ShapeError} when a leaf's shape differs.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { applyUpdates } from '@difflab/optim';
 * const p = applyUpdates({ w: tensor([1, 2]) }, { w: tensor([0.5, -1]) });
 * p.w.toArray(); // [1.5, 1]
 * ```
 */
export function applyUpdates<P>(params: P, updates: unknown): P {
  matchLeaves('applyUpdates', 'updates', params, updates);
  return tree.map((p, u) => add(p, u), params, updates) as P;
}

/**
 * Turns a gradient transformation into an {@link Optimizer} by adding `update` (precomputed
 * gradients) and the closure form `step` (computes the loss and gradients itself).
 *
 * Every optimizer in this package is built this way; use it to write your own. `update` throws for
 * a transformation with `needsClosure` (it must re-evaluate the loss).
 *
 * @param t - The gradient transformation.
 * @returns The optimizer.
 *
 * @example
 * ```ts
 * import { mul, tensor, tree } from '@difflab/tensor';
 * import { asOptimizer } from '@difflab/optim';
 * const signSgd = asOptimizer<null>({
 *   name: 'signSgd',
 *   init: () => null,
 *   transform: (g, state) => ({ updates: tree.map((x) => mul(x.sign(), -0.1), g), state }),
 * });
 * const params = { w: tensor([1, -1]) };
 * const r = signSgd.step((p) => p.w.square().sum(), params, signSgd.init(params));
 * r.params.w.toArray(); // [0.9, -0.9]
 * ```
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
