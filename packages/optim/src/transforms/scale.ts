import { mul, ValueError } from '@difflab/tensor';
import { matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation, LearningRate } from '../core/types.js';
import { checkFinite, lrAt } from '../core/validate.js';

/** Multiplies the updates by a constant (e.g. -1 to turn gradients into a descent direction). */
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

/** Multiplies the updates by `-lr` (a number or schedule): the last link of a hand-built chain. */
export function scaleByLearningRate(lr: LearningRate): GradientTransformation<{ count: number }> {
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
