import { createRng } from '@difflab/optim';
import { ValueError } from '@difflab/tensor';
import { integer } from '../internal/checks.js';
import { haltonSequence } from './halton.js';
import { latinHypercube } from './lhs.js';
import { sobolSequence } from './sobol.js';

/**
 * How points are drawn:
 * - `'pseudo'`: independent uniform draws from a seeded generator;
 * - `'sobol'` / `'halton'`: unscrambled low-discrepancy sequences (scipy's points; `seed` unused);
 * - `'lhs'`: Latin hypercube.
 *
 * Regular grids are a separate method of each geometry (`grid`).
 *
 * @example
 * ```ts
 * import { rectangle, type SamplingMethod } from '@difflab/pde';
 * const method: SamplingMethod = 'sobol';
 * const x = rectangle([0, 0], [1, 1]).sample(128, { method, skip: 1 });
 * ```
 */
export type SamplingMethod = 'pseudo' | 'sobol' | 'halton' | 'lhs';

/**
 * Every {@link SamplingMethod}, in the order the documentation lists them.
 *
 * @example
 * ```ts
 * import { SAMPLING_METHODS, interval } from '@difflab/pde';
 * for (const method of SAMPLING_METHODS) interval(0, 1).sample(16, { method });
 * ```
 */
export const SAMPLING_METHODS: readonly SamplingMethod[] = ['pseudo', 'sobol', 'halton', 'lhs'];

/**
 * A stream of unit-cube points. Rejection sampling (non-box domains) keeps pulling batches; the
 * low-discrepancy sequences continue where the last batch stopped so the accepted set keeps
 * its low discrepancy.
 */
export interface UnitStream {
  next(count: number): Float64Array;
}

export function unitStream(op: string, method: SamplingMethod, dim: number, seed = 0, skip = 0): UnitStream {
  if (!SAMPLING_METHODS.includes(method))
    throw new ValueError(
      `${op}: unknown sampling method '${String(method)}' (expected ${SAMPLING_METHODS.join(', ')})`,
    );
  integer(op, 'seed', seed);
  let index = skip;
  const rng = createRng(seed, dim, 0x5a3);
  return {
    next(count: number): Float64Array {
      let out: Float64Array;
      if (method === 'sobol') out = sobolSequence(count, dim, index);
      else if (method === 'halton') out = haltonSequence(count, dim, index);
      else if (method === 'lhs') out = latinHypercube(count, dim, { rng });
      else {
        out = new Float64Array(count * dim);
        for (let i = 0; i < out.length; i++) out[i] = rng.uniform();
      }
      index += count;
      return out;
    },
  };
}
