import { add, mul, sub, ValueError, type Tensor } from '@difflab/tensor';
import { matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import { checkRange } from '../core/validate.js';

/**
 * State of a {@link ParamAverager}: number of iterates seen and the running average (leaves).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { polyakAverage, type AverageState } from '@difflab/optim';
 * const s: AverageState = polyakAverage().init({ w: tensor([1]) });
 * s.count; // 1
 * ```
 */
export interface AverageState {
  /** Number of iterates averaged so far (the initial params count as one). */
  count: number;
  /** The average, one Tensor per param leaf. */
  average: Tensor[];
}

/**
 * Tracks an average of parameter iterates alongside any optimizer; `value(state, like)` returns
 * it as a params pytree (e.g. to evaluate with EMA or SWA weights).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { emaParams, type ParamAverager } from '@difflab/optim';
 * const avg: ParamAverager = emaParams({ decay: 0.9 });
 * const s = avg.update({ w: tensor([1]) }, avg.init({ w: tensor([0]) }));
 * avg.value(s, { w: tensor([0]) }).w.toArray(); // [0.1]
 * ```
 */
export interface ParamAverager {
  /** Name used in error messages. */
  readonly name: string;
  /** Starts the average at the given params. */
  init(params: unknown): AverageState;
  /** Folds the current params into the average; returns the new state. */
  update(params: unknown, state: AverageState): AverageState;
  /** The average as a pytree with the structure of `like`. */
  value<P>(state: AverageState, like: P): P;
}

function averager(name: string, weight: (count: number) => number): ParamAverager {
  return {
    name,
    init: (params) => ({ count: 1, average: paramLeaves(name, params).leaves }),
    update(params, state) {
      if (!state || !Array.isArray(state.average)) throw new ValueError(`${name}: state does not come from ${name}.init`);
      const f = paramLeaves(name, params);
      if (f.leaves.length !== state.average.length) throw new ValueError(`${name}: state has ${state.average.length} leaves but the params have ${f.leaves.length}`);
      const p = matchLeaves(name, 'params', rebuild(f.treedef, state.average), params);
      const w = weight(state.count);
      // avg + w (p - avg): w = 1/(n+1) gives the running mean, w = 1 - decay an EMA.
      return { count: state.count + 1, average: state.average.map((a, i) => add(a, mul(sub(p[i]!, a), w))) };
    },
    value<P>(state: AverageState, like: P): P {
      const f = paramLeaves(name, like);
      if (f.leaves.length !== state.average.length) throw new ValueError(`${name}: state has ${state.average.length} leaves but the params have ${f.leaves.length}`);
      return rebuild(f.treedef, state.average);
    },
  };
}

/**
 * Exponential moving average of the parameters ("EMA weights", Polyak-Ruppert with exponential
 * weights): `avg = decay avg + (1 - decay) params`, starting from the initial params.
 *
 * PyTorch equivalent: `torch.optim.swa_utils.AveragedModel` with `get_ema_multi_avg_fn(decay)`.
 *
 * @param opts - `decay` in [0, 1) (default 0.999).
 * @returns The averager.
 * @throws {ValueError} when decay is outside [0, 1).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { emaParams } from '@difflab/optim';
 * const avg = emaParams({ decay: 0.5 });
 * let s = avg.init({ w: tensor([0]) });
 * s = avg.update({ w: tensor([4]) }, s);
 * avg.value(s, { w: tensor([0]) }).w.toArray(); // [2]
 * ```
 */
export function emaParams(opts: { decay?: number } = {}): ParamAverager {
  const decay = checkRange('emaParams', 'decay', opts.decay ?? 0.999, 0, 1);
  return averager('emaParams', () => 1 - decay);
}

/**
 * Polyak(-Ruppert) averaging: the uniform mean of all iterates seen, including the initial params
 * (`torch.optim.swa_utils.AveragedModel`'s default, as used by SWA).
 *
 * @returns The averager.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { polyakAverage } from '@difflab/optim';
 * const avg = polyakAverage();
 * let s = avg.init({ w: tensor([0]) });
 * s = avg.update({ w: tensor([3]) }, s);
 * s = avg.update({ w: tensor([6]) }, s);
 * avg.value(s, { w: tensor([0]) }).w.toArray(); // [3]
 * ```
 */
export function polyakAverage(): ParamAverager {
  return averager('polyakAverage', (n) => 1 / (n + 1));
}
