import { createRng } from '../core/prng.js';
import { checkInteger } from '../core/validate.js';
import { Tracker, checkBounds, type BlackBoxFn, type Bounds, type SearchOptions, type SearchResult } from './common.js';

/**
 * Random search (Bergstra & Bengio, JMLR 2012): uniform samples in the box; one iteration per
 * `batchSize` samples (default 1). Default budget 100 · dimension.
 *
 * @param f - The objective to minimise.
 * @param opts - {@link SearchOptions} plus `bounds` (required) and `batchSize`.
 * @returns The best point found.
 * @throws {ValueError} for invalid bounds, budget or batchSize.
 *
 * @example
 * ```ts
 * import { randomSearch } from '@difflab/optim';
 * const r = randomSearch((x) => (x[0]! - 0.5) ** 2, { bounds: [[0, 1]], budget: 200, seed: 1 });
 * r.value < 1e-3; // true
 * ```
 */
export function randomSearch(f: BlackBoxFn, opts: SearchOptions & { bounds: Bounds; batchSize?: number }): SearchResult {
  const op = 'randomSearch';
  const bounds = checkBounds(op, opts?.bounds);
  const batch = checkInteger(op, 'batchSize', opts.batchSize ?? 1, 1);
  const rng = createRng(opts.seed ?? 0);
  const tr = new Tracker(op, f, bounds.length, opts, 100 * bounds.length);
  for (;;) {
    for (let i = 0; i < batch && !tr.exhausted; i++) tr.eval(Float64Array.from(bounds, ([lo, hi]) => lo + (hi - lo) * rng.uniform()));
    if (tr.endIteration()) break;
  }
  return tr.result();
}
