import { add, div, mul, zerosLike, type Tensor } from '@difflab/tensor';
import { matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { checkRange } from '../core/validate.js';

export interface EmaState {
  count: number;
  ema: Tensor[];
}

/**
 * Exponential moving average of the updates (optax's `ema`): u_t = decay u_{t-1} + (1 - decay) g_t,
 * divided by 1 - decay^t when `debias` (default true). Chained before `sgd` it gives Adam-style momentum.
 */
export function ema(decay: number, opts: { debias?: boolean } = {}): GradientTransformation<EmaState> {
  const name = 'ema';
  checkRange(name, 'decay', decay, 0, 1);
  const debias = opts.debias ?? true;
  return {
    name,
    init: (params) => ({ count: 0, ema: paramLeaves(name, params).leaves.map((l) => zerosLike(l)) }),
    transform(updates, state, params) {
      const p = paramLeaves(name, params);
      const u = matchLeaves(name, 'updates', params, updates);
      const t = state.count + 1;
      const next = u.map((g, i) => add(mul(state.ema[i]!, decay), mul(g, 1 - decay)));
      const out = debias ? next.map((e) => div(e, 1 - decay ** t)) : next;
      return { updates: rebuild(p.treedef, out), state: { count: t, ema: next } };
    },
  };
}
