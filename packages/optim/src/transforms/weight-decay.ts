import { add, mul } from '@difflab/tensor';
import { resolveMask } from '../core/mask.js';
import { matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation, Mask } from '../core/types.js';
import { checkNonNegative } from '../core/validate.js';

/**
 * Adds `weightDecay * param` to the updates of the masked leaves (optax's `add_decayed_weights`).
 *
 * Placed before an optimizer it is L2 regularisation; `chain(addDecayedWeights(wd, {mask}), sgd(...))`
 * decays only the selected leaves (e.g. `ndimMask(2)` skips biases and normalisation scales).
 * Placed after an optimizer and before {@link scaleByLearningRate} it is decoupled (AdamW-style) decay.
 *
 * @param weightDecay - The decay coefficient (>= 0).
 * @param opts - `mask`: the leaves that are decayed (default all).
 * @returns A stateless gradient transformation.
 * @throws {ValueError} for a negative weightDecay.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { addDecayedWeights, chain, sgd } from '@difflab/optim';
 * const opt = chain(addDecayedWeights(0.5), sgd({ lr: 0.1 }));
 * const params = { w: tensor([2]) };
 * opt.update({ w: tensor([0]) }, opt.init(params), params).params.w.toArray(); // [1.9]
 * ```
 */
export function addDecayedWeights(weightDecay: number, opts: { mask?: Mask } = {}): GradientTransformation<Record<string, never>> {
  const name = 'addDecayedWeights';
  checkNonNegative(name, 'weightDecay', weightDecay);
  return {
    name,
    init: () => ({}),
    transform(updates, state, params) {
      const p = paramLeaves(name, params);
      const u = matchLeaves(name, 'updates', params, updates);
      const on = resolveMask(name, opts.mask, params);
      return { updates: rebuild(p.treedef, u.map((x, i) => (on[i] && weightDecay !== 0 ? add(x, mul(p.leaves[i]!, weightDecay)) : x))), state };
    },
  };
}
