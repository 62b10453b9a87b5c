import { add, mul, sub, ValueError, type Tensor } from '@difflab/tensor';
import { matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import { checkRange } from '../core/validate.js';

export interface AverageState {
  count: number;
  average: Tensor[];
}

/** Tracks an average of parameter iterates; `value(state)` returns it as a params pytree. */
export interface ParamAverager {
  readonly name: string;
  init(params: unknown): AverageState;
  update(params: unknown, state: AverageState): AverageState;
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
 * Exponential moving average of the parameters (Polyak-Ruppert with exponential weights, as
 * used for "EMA weights"): avg <- decay avg + (1 - decay) params, starting from the initial params.
 */
export function emaParams(opts: { decay?: number } = {}): ParamAverager {
  const decay = checkRange('emaParams', 'decay', opts.decay ?? 0.999, 0, 1);
  return averager('emaParams', () => 1 - decay);
}

/** Polyak(-Ruppert) averaging: the uniform mean of all iterates seen (torch.optim.swa_utils.AveragedModel). */
export function polyakAverage(): ParamAverager {
  return averager('polyakAverage', (n) => 1 / (n + 1));
}
