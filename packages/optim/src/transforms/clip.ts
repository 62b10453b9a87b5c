import { clamp, div, maximum, mul, ValueError, type Tensor } from '@difflab/tensor';
import { globalNorm, matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { checkFinite, checkPositive } from '../core/validate.js';

/** Clips every update element into [-maxValue, maxValue] (or [min, max]). */
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
 * Rescales the updates so their global norm is at most `maxNorm` (optax semantics: scale
 * maxNorm / max(norm, maxNorm), no epsilon).
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
