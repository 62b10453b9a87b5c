import { ValueError } from '@difflab/tensor';
import { createRng } from '../core/prng.js';
import { checkInteger, checkNonNegative, checkRange } from '../core/validate.js';
import { Tracker, checkBounds, type BlackBoxFn, type Bounds, type SearchOptions, type SearchResult } from './common.js';

/**
 * Options of {@link differentialEvolution}; defaults follow `scipy.optimize.differential_evolution`.
 *
 * @example
 * ```ts
 * import type { DEOptions } from '@difflab/optim';
 * const o: DEOptions = { bounds: [[-5, 5], [-5, 5]], strategy: 'best1bin', mutation: 0.8, crossover: 0.9, seed: 2 };
 * ```
 */
export interface DEOptions extends SearchOptions {
  /** Box bounds of the search (required). */
  bounds: Bounds;
  /** Population size (default 15 · dimension, as SciPy). */
  popSize?: number;
  /** Differential weight F, or [lo, hi] for per-generation dither (default [0.5, 1]). */
  mutation?: number | [number, number];
  /** Crossover probability CR (default 0.7). Low values suit separable functions. */
  crossover?: number;
  /** 'rand1bin' (default), 'best1bin' or 'currentToBest1bin'. */
  strategy?: 'rand1bin' | 'best1bin' | 'currentToBest1bin';
  /** Stop when the population's value spread falls below tol · |mean| + atol (defaults 0, 0: off). */
  tol?: number;
  /** Absolute part of the convergence test (see `tol`). */
  atol?: number;
}

/**
 * Differential evolution (Storn & Price, 1997; SciPy's `differential_evolution`): mutation
 * `v = a + F (b − c)` from distinct population members, binomial crossover with rate CR (one
 * coordinate always from v), greedy selection. Mutants leaving the box are reflected back inside.
 *
 * @param f - The objective to minimise.
 * @param opts - See {@link DEOptions}.
 * @returns The best point found.
 * @throws {ValueError} for invalid bounds or settings.
 *
 * @example
 * ```ts
 * import { differentialEvolution } from '@difflab/optim';
 * const sphere = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0);
 * const r = differentialEvolution(sphere, { bounds: [[-5, 5], [-5, 5]], budget: 2000, seed: 0 });
 * r.value < 1e-6; // true
 * ```
 */
export function differentialEvolution(f: BlackBoxFn, opts: DEOptions): SearchResult {
  const op = 'differentialEvolution';
  const bounds = checkBounds(op, opts?.bounds);
  const n = bounds.length;
  const np = checkInteger(op, 'popSize', opts.popSize ?? 15 * n, 4);
  const cr = checkRange(op, 'crossover', opts.crossover ?? 0.7, 0, 1, true);
  const mut = opts.mutation ?? [0.5, 1];
  const [fLo, fHi] = typeof mut === 'number' ? [mut, mut] : mut;
  checkRange(op, 'mutation', fLo, 0, 2, true);
  checkRange(op, 'mutation', fHi, fLo, 2, true);
  const strategy = opts.strategy ?? 'rand1bin';
  if (!['rand1bin', 'best1bin', 'currentToBest1bin'].includes(strategy)) throw new ValueError(`${op}: unknown strategy '${strategy}'`);
  const tol = checkNonNegative(op, 'tol', opts.tol ?? 0);
  const atol = checkNonNegative(op, 'atol', opts.atol ?? 0);
  const rng = createRng(opts.seed ?? 0);
  const tr = new Tracker(op, f, n, opts, 2000 * n);

  const pop = Array.from({ length: np }, () => Float64Array.from(bounds, ([lo, hi]) => lo + (hi - lo) * rng.uniform()));
  const fit = pop.map((x) => (tr.exhausted ? Infinity : tr.eval(x)));
  let bestIdx = fit.indexOf(Math.min(...fit));
  const pick = (exclude: number[]): number => {
    for (;;) {
      const r = rng.int(np);
      if (!exclude.includes(r)) return r;
    }
  };
  if (tr.endIteration()) return tr.result();
  for (;;) {
    const F = fLo === fHi ? fLo : fLo + (fHi - fLo) * rng.uniform();
    for (let i = 0; i < np && !tr.exhausted; i++) {
      const r1 = pick([i]);
      const r2 = pick([i, r1]);
      const r3 = pick([i, r1, r2]);
      const base = strategy === 'rand1bin' ? pop[r3]! : pop[bestIdx]!;
      const trial = Float64Array.from(pop[i]!);
      const jRand = rng.int(n);
      for (let j = 0; j < n; j++) {
        if (j !== jRand && rng.uniform() >= cr) continue;
        let v =
          strategy === 'currentToBest1bin'
            ? pop[i]![j]! + F * (pop[bestIdx]![j]! - pop[i]![j]!) + F * (pop[r1]![j]! - pop[r2]![j]!)
            : base[j]! + F * (pop[r1]![j]! - pop[r2]![j]!);
        const [lo, hi] = bounds[j]!;
        // Reflect once, then clamp, so the box is never left.
        if (v < lo) v = Math.min(hi, 2 * lo - v);
        if (v > hi) v = Math.max(lo, 2 * hi - v);
        trial[j] = v;
      }
      const ft = tr.eval(trial);
      if (ft <= fit[i]!) {
        pop[i] = trial;
        fit[i] = ft;
        if (ft <= fit[bestIdx]!) bestIdx = i;
      }
    }
    if (tr.endIteration()) break;
    if (tol > 0 || atol > 0) {
      const finite = fit.filter(Number.isFinite);
      const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
      const sd = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / finite.length);
      if (sd <= atol + tol * Math.abs(mean)) {
        tr.stop = 'tolerance';
        break;
      }
    }
  }
  return tr.result();
}
