import { clamp, div, maximum, mul, ValueError, type Tensor } from '@difflab/tensor';
import { globalNorm, matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { checkFinite, checkPositive } from '../core/validate.js';

/**
 * Clips every update element into `[-maxValue, maxValue]` or `[min, max]` (optax's `clip`,
 * PyTorch's `clip_grad_value_`).
 *
 * @param bound - `maxValue > 0`, or `{min, max}` with `min <= max`.
 * @returns A stateless gradient transformation.
 * @throws {ValueError} for a non-positive maxValue or min > max.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { chain, clipByValue, sgd } from '@difflab/optim';
 * const opt = chain(clipByValue(1), sgd({ lr: 1 }));
 * const params = { w: tensor([0, 0]) };
 * opt.update({ w: tensor([5, -0.5]) }, opt.init(params), params).params.w.toArray(); // [-1, 0.5]
 * ```
 */
export function clipByValue(bound: number | { min: number; max: number }): GradientTransformation<Record<string, never>> {
  const name = 'clipByValue';
  const [lo, hi] =
    typeof bound === 'number' ? [-checkPositive(name, 'maxValue', bound), bound] : [checkFinite(name, 'min', bound.min), checkFinite(name, 'max', bound.max)];
  if (lo > hi) throw new ValueError(`${name}: min ${lo} exceeds max ${hi}`);
  return {
    name,
    init: () => ({}),
    transform(updates, state, params) {
      const p = paramLeaves(name, params);
      const u = matchLeaves(name, 'updates', params, updates);
      return { updates: rebuild(p.treedef, u.map((x) => clamp(x, lo, hi))), state };
    },
  };
}

/**
 * Rescales the updates so their global norm (over all leaves) is at most `maxNorm` (optax's
 * `clip_by_global_norm`: scale `maxNorm / max(norm, maxNorm)`, no epsilon; PyTorch's `clip_grad_norm_`).
 *
 * @param maxNorm - The norm bound (> 0).
 * @returns A stateless gradient transformation.
 * @throws {ValueError} for a non-positive maxNorm.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { chain, clipByGlobalNorm, sgd } from '@difflab/optim';
 * const opt = chain(clipByGlobalNorm(1), sgd({ lr: 1 }));
 * const params = { a: tensor([0]), b: tensor([0]) };
 * const r = opt.update({ a: tensor([3]), b: tensor([4]) }, opt.init(params), params);
 * r.params.b.toArray(); // [-0.8]
 * ```
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<Record<string, never>> {
  const name = 'clipByGlobalNorm';
  checkPositive(name, 'maxNorm', maxNorm);
  return {
    name,
    init: () => ({}),
    transform(updates, state, params) {
      const p = paramLeaves(name, params);
      const u = matchLeaves(name, 'updates', params, updates);
      const scale: Tensor = div(maxNorm, maximum(globalNorm(u), maxNorm));
      return { updates: rebuild(p.treedef, u.map((x) => mul(x, scale))), state };
    },
  };
}
