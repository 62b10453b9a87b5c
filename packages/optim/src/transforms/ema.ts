import { add, div, mul, zerosLike, type Tensor } from '@difflab/tensor';
import { matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { checkRange } from '../core/validate.js';

/**
 * State of {@link ema}: step count and the moving average of the updates (leaves).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ema, type EmaState } from '@difflab/optim';
 * const s: EmaState = ema(0.9).init({ w: tensor([1]) });
 * s.ema[0]!.toArray(); // [0]
 * ```
 */
export interface EmaState {
  /** Number of updates seen. */
  count: number;
  /** The (biased) moving average, one per leaf. */
  ema: Tensor[];
}

/**
 * Exponential moving average of the updates (optax's `ema`): `u_t = decay u_{t-1} + (1 - decay) g_t`,
 * divided by `1 - decay^t` when `debias` (default true). Chained before `sgd` it gives
 * Adam-style momentum.
 *
 * @param decay - In [0, 1).
 * @param opts - `debias`: divide by `1 - decay^t` (default true).
 * @returns The gradient transformation.
 * @throws {ValueError} when decay is outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { chain, ema, sgd } from '@difflab/optim';
 * const opt = chain(ema(0.9), sgd({ lr: 0.1 }));
 * const params = { w: tensor([1]) };
 * opt.update({ w: tensor([2]) }, opt.init(params), params).params.w.toArray(); // [0.8]: debiased first average is g
 * ```
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
