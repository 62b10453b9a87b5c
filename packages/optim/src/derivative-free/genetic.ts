import { createRng } from '../core/prng.js';
import { checkInteger, checkNonNegative, checkRange } from '../core/validate.js';
import { Tracker, checkBounds, clip, type BlackBoxFn, type Bounds, type SearchOptions, type SearchResult } from './common.js';
import { ValueError } from '@difflab/tensor';

/**
 * Options of {@link geneticAlgorithm}.
 *
 * @example
 * ```ts
 * import type { GAOptions } from '@difflab/optim';
 * const o: GAOptions = { bounds: [[0, 1], [0, 1]], popSize: 40, eliteCount: 1, mutationScale: 0.2, seed: 3 };
 * ```
 */
export interface GAOptions extends SearchOptions {
  /** Box bounds of the search (required). */
  bounds: Bounds;
  /** Population size (default 50). */
  popSize?: number;
  /** Best individuals copied unchanged into the next generation (default 2). */
  eliteCount?: number;
  /** Tournament size for parent selection (default 3). */
  tournamentSize?: number;
  /** Probability that two parents are recombined (default 0.9); otherwise the first is copied. */
  crossoverRate?: number;
  /** Blend crossover (BLX-α) extent (default 0.5). */
  blendAlpha?: number;
  /** Per-coordinate mutation probability (default 1/dimension). */
  mutationRate?: number;
  /** Gaussian mutation scale as a fraction of the bound width (default 0.1), decaying as 1/sqrt(1 + generation/10). */
  mutationScale?: number;
}

/**
 * A real-coded genetic algorithm: tournament selection, blend crossover (BLX-α, Eshelman &
 * Schaffer, 1993), Gaussian mutation with a shrinking scale, and elitism.
 *
 * @param f - The objective to minimise.
 * @param opts - See {@link GAOptions}.
 * @returns The best point found.
 * @throws {ValueError} for invalid bounds or settings.
 *
 * @example
 * ```ts
 * import { geneticAlgorithm } from '@difflab/optim';
 * const sphere = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0);
 * const r = geneticAlgorithm(sphere, { bounds: [[-5, 5], [-5, 5]], budget: 3000, seed: 0 });
 * r.value < 1e-2; // true
 * ```
 */
export function geneticAlgorithm(f: BlackBoxFn, opts: GAOptions): SearchResult {
  const op = 'geneticAlgorithm';
  const bounds = checkBounds(op, opts?.bounds);
  const n = bounds.length;
  const np = checkInteger(op, 'popSize', opts.popSize ?? 50, 2);
  const elite = checkInteger(op, 'eliteCount', opts.eliteCount ?? 2, 0);
  if (elite >= np) throw new ValueError(`${op}: eliteCount ${elite} must be smaller than popSize ${np}`);
  const k = checkInteger(op, 'tournamentSize', opts.tournamentSize ?? 3, 1);
  const pc = checkRange(op, 'crossoverRate', opts.crossoverRate ?? 0.9, 0, 1, true);
  const alpha = checkNonNegative(op, 'blendAlpha', opts.blendAlpha ?? 0.5);
  const pm = checkRange(op, 'mutationRate', opts.mutationRate ?? 1 / n, 0, 1, true);
  const scale0 = checkNonNegative(op, 'mutationScale', opts.mutationScale ?? 0.1);
  const rng = createRng(opts.seed ?? 0);
  const tr = new Tracker(op, f, n, opts, 1000 * n);

  let pop: Float64Array[] = Array.from({ length: np }, () => Float64Array.from(bounds, ([lo, hi]) => lo + (hi - lo) * rng.uniform()));
  let fit = pop.map((x) => (tr.exhausted ? Infinity : tr.eval(x)));
  if (tr.endIteration()) return tr.result();
  const tournament = (): Float64Array => {
    let best = rng.int(np);
    for (let t = 1; t < k; t++) {
      const c = rng.int(np);
      if (fit[c]! < fit[best]!) best = c;
    }
    return pop[best]!;
  };
  for (let gen = 1; ; gen++) {
    const order = fit.map((_, i) => i).sort((a, b) => fit[a]! - fit[b]!);
    const next: Float64Array[] = order.slice(0, elite).map((i) => pop[i]!);
    const nextFit: number[] = order.slice(0, elite).map((i) => fit[i]!);
    const scale = scale0 / Math.sqrt(1 + gen / 10);
    while (next.length < np && !tr.exhausted) {
      const a = tournament();
      const b = tournament();
      const child = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        if (rng.uniform() < pc) {
          const lo = Math.min(a[j]!, b[j]!);
          const hi = Math.max(a[j]!, b[j]!);
          const ext = alpha * (hi - lo);
          child[j] = lo - ext + (hi - lo + 2 * ext) * rng.uniform();
        } else child[j] = a[j]!;
        if (rng.uniform() < pm) child[j]! += scale * (bounds[j]![1] - bounds[j]![0]) * rng.normal();
      }
      clip(child, bounds);
      next.push(child);
      nextFit.push(tr.eval(child));
    }
    pop = next;
    fit = nextFit;
    if (tr.endIteration()) break;
  }
  return tr.result();
}
