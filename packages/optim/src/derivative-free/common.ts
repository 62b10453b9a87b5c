import { ValueError } from '@difflab/tensor';
import { checkInteger } from '../core/validate.js';

/**
 * A black-box objective on host vectors, as the derivative-free searches minimise it. Wrap tensor
 * code as `x => f(tensor(x)).item()`. NaN counts as +Infinity.
 *
 * @example
 * ```ts
 * import type { BlackBoxFn } from '@difflab/optim';
 * const sphere: BlackBoxFn = (x) => x.reduce((s, v) => s + v * v, 0);
 * ```
 */
export type BlackBoxFn = (x: Float64Array) => number;

/**
 * Per-coordinate `[lower, upper]` box bounds (finite, lower < upper).
 *
 * @example
 * ```ts
 * import type { Bounds } from '@difflab/optim';
 * const box: Bounds = [[-5, 5], [0, 1]];
 * ```
 */
export type Bounds = readonly (readonly [number, number])[];

/**
 * Options shared by the derivative-free searches (budget, early target, callback, abort).
 *
 * @example
 * ```ts
 * import type { SearchOptions } from '@difflab/optim';
 * const o: SearchOptions = { seed: 1, budget: 2000, target: 1e-8, onIteration: ({ iteration, best }) => { if (iteration % 50 === 0) console.log(best); } };
 * ```
 */
export interface SearchOptions {
  /** Seed of the generator (default 0); equal seeds give equal runs. */
  seed?: number;
  /** Maximum number of objective evaluations. */
  budget?: number;
  /** Stop as soon as a value <= target is found. */
  target?: number;
  /** Called after every iteration (generation); return false to stop. */
  onIteration?: (info: { iteration: number; evaluations: number; best: number; x: Float64Array }) => void | boolean;
  /** Stops the search (checked after every iteration). */
  signal?: AbortSignal;
}

/**
 * Why a search stopped: budget spent, target reached, converged within tolerance, the callback
 * returned false, the signal fired, or the iteration limit was hit.
 *
 * @example
 * ```ts
 * import { randomSearch, type SearchStop } from '@difflab/optim';
 * const why: SearchStop = randomSearch((x) => x[0]! ** 2, { bounds: [[-1, 1]], budget: 10 }).stopReason; // 'budget'
 * ```
 */
export type SearchStop = 'budget' | 'target' | 'tolerance' | 'callback' | 'aborted' | 'iterations';

/**
 * Result of a derivative-free search.
 *
 * @example
 * ```ts
 * import { randomSearch, type SearchResult } from '@difflab/optim';
 * const r: SearchResult = randomSearch((x) => x[0]! ** 2, { bounds: [[-1, 1]], budget: 100 });
 * r.evaluations; // 100
 * ```
 */
export interface SearchResult {
  /** Best point found and its value. */
  x: Float64Array;
  /** Objective value at `x`. */
  value: number;
  /** Objective evaluations used. */
  evaluations: number;
  /** Iterations (generations) run. */
  iterations: number;
  /** Best value after each iteration. */
  history: number[];
  /** Why the search stopped. */
  stopReason: SearchStop;
}

export function checkBounds(op: string, bounds: Bounds | undefined, dim?: number): Bounds {
  if (!Array.isArray(bounds) || bounds.length === 0) throw new ValueError(`${op}: bounds must be a non-empty array of [lower, upper] pairs`);
  bounds.forEach((b, i) => {
    if (!Array.isArray(b) || b.length !== 2 || !Number.isFinite(b[0]) || !Number.isFinite(b[1]) || !(b[0] < b[1]))
      throw new ValueError(`${op}: bounds[${i}] must be [lower, upper] with finite lower < upper, got ${JSON.stringify(b)}`);
  });
  if (dim !== undefined && bounds.length !== dim) throw new ValueError(`${op}: ${bounds.length} bounds for a ${dim}-dimensional x0`);
  return bounds;
}

/** Budget bookkeeping and best-so-far tracking shared by the searches. */
export class Tracker {
  evaluations = 0;
  best = Infinity;
  bestX: Float64Array;
  history: number[] = [];
  iterations = 0;
  stop: SearchStop | null = null;
  readonly budget: number;

  constructor(
    readonly op: string,
    readonly f: BlackBoxFn,
    dim: number,
    readonly opts: SearchOptions,
    defaultBudget: number,
  ) {
    if (typeof f !== 'function') throw new ValueError(`${op}: the objective must be a function (x: Float64Array) => number`);
    this.budget = checkInteger(op, 'budget', opts.budget ?? defaultBudget, 1);
    this.bestX = new Float64Array(dim);
  }

  /** Evaluates f (a copy of x), records the best; NaN becomes +Infinity. */
  eval(x: Float64Array): number {
    this.evaluations++;
    let v = this.f(Float64Array.from(x));
    if (typeof v !== 'number') throw new ValueError(`${this.op}: the objective returned ${typeof v}, expected a number`);
    if (Number.isNaN(v)) v = Infinity;
    if (v < this.best) {
      this.best = v;
      this.bestX = Float64Array.from(x);
    }
    return v;
  }

  get exhausted(): boolean {
    return this.evaluations >= this.budget;
  }

  /** Records an iteration; returns true when the search must stop. */
  endIteration(): boolean {
    this.iterations++;
    this.history.push(this.best);
    if (this.opts.target !== undefined && this.best <= this.opts.target) this.stop = 'target';
    else if (this.opts.onIteration?.({ iteration: this.iterations - 1, evaluations: this.evaluations, best: this.best, x: Float64Array.from(this.bestX) }) === false)
      this.stop = 'callback';
    else if (this.opts.signal?.aborted) this.stop = 'aborted';
    else if (this.exhausted) this.stop = 'budget';
    return this.stop !== null;
  }

  result(): SearchResult {
    return { x: this.bestX, value: this.best, evaluations: this.evaluations, iterations: this.iterations, history: this.history, stopReason: this.stop ?? 'iterations' };
  }
}

export function clip(x: Float64Array, bounds: Bounds | undefined): Float64Array {
  if (!bounds) return x;
  for (let i = 0; i < x.length; i++) x[i] = Math.min(bounds[i]![1], Math.max(bounds[i]![0], x[i]!));
  return x;
}
