import { createRng } from '../core/prng.js';
import { checkInteger } from '../core/validate.js';
import { Tracker, checkBounds, type BlackBoxFn, type Bounds, type SearchOptions, type SearchResult } from './common.js';

/**
 * Random search (Bergstra & Bengio 2012): uniform samples in the box; one iteration per
 * `batchSize` samples (default 1).
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
