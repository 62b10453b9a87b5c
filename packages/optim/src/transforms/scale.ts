import { mul, ValueError } from '@difflab/tensor';
import { matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation, LearningRate } from '../core/types.js';
import { checkFinite, lrAt } from '../core/validate.js';

/**
 * Multiplies the updates by a constant (optax's `scale`), e.g. -1 to turn gradients into a
 * descent direction in a hand-built chain.
 *
 * @param factor - A finite number.
 * @returns A stateless gradient transformation.
 * @throws {ValueError} for a non-finite factor.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { chain, scale } from '@difflab/optim';
 * const opt = chain(scale(-0.1));
 * const params = { w: tensor([1]) };
 * opt.update({ w: tensor([2]) }, opt.init(params), params).params.w.toArray(); // [0.8]
 * ```
 */
export function scale(factor: number): GradientTransformation<Record<string, never>> {
  const name = 'scale';
  checkFinite(name, 'factor', factor);
  return {
    name,
    init: () => ({}),
    transform(updates, state, params) {
      const p = paramLeaves(name, params);
      return { updates: rebuild(p.treedef, matchLeaves(name, 'updates', params, updates).map((u) => mul(u, factor))), state };
    },
  };
}

/**
 * Multiplies the updates by `-lr` (a number or schedule evaluated at the step count): the last
 * link of a hand-built chain (optax's `scale_by_learning_rate`).
 *
 * @param lr - Learning rate (>= 0) or schedule.
 * @returns The gradient transformation; its state counts steps.
 * @throws {ValueError} for a negative or non-finite lr.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { chain, clipByValue, scaleByLearningRate } from '@difflab/optim';
 * const opt = chain(clipByValue(1), scaleByLearningRate((step) => 0.1 / (step + 1)));
 * const params = { w: tensor([1]) };
 * opt.update({ w: tensor([5]) }, opt.init(params), params).params.w.toArray(); // [0.9]
 * ```
 */
export function scaleByLearningRate(lr: LearningRate): GradientTransformation<{
  /** Updates applied so far (the schedule's step). */
  count: number;
}> {
  const name = 'scaleByLearningRate';
  if (typeof lr !== 'function') checkFinite(name, 'lr', lr);
  if (typeof lr === 'number' && lr < 0) throw new ValueError(`${name}: lr must be >= 0, got ${lr}`);
  return {
    name,
    init: () => ({ count: 0 }),
    transform(updates, state, params) {
      const p = paramLeaves(name, params);
      const eta = lrAt(name, lr, state.count);
      return {
        updates: rebuild(p.treedef, matchLeaves(name, 'updates', params, updates).map((u) => mul(u, -eta))),
        state: { count: state.count + 1 },
      };
    },
  };
}
