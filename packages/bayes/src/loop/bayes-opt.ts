import { ValueError } from '@difflab/tensor';
import type { Surrogate } from '../gp/surrogate.js';
import { BayesOptimizer, type BayesOptimizerOptions } from './optimizer.js';
import type { BayesOptState, Observation } from './state.js';

/**
 * What `onIteration` receives after each round of evaluations.
 *
 * @example
 * ```ts
 * import { bayesOpt, branin, type IterationInfo } from '@difflab/bayes';
 * const log = ({ iteration, evaluations, budget, best }: IterationInfo) =>
 *   console.log(`round ${iteration}: ${evaluations}/${budget}, best ${best?.y.toFixed(3)}`);
 * await bayesOpt({ objective: branin, bounds: branin.bounds, budget: 8, seed: 0, onIteration: log });
 * ```
 */
export interface IterationInfo {
  /** 0-based round index. */
  iteration: number;
  /** Points evaluated in this round and their values (NaN where invalid). */
  x: number[][];
  /** Their values. */
  y: number[];
  /** Evaluations so far, including earlier runs when resumed. */
  evaluations: number;
  /** The run's total budget. */
  budget: number;
  /** Best valid evaluation so far (null while there is none). */
  best: {
    /** The point, in original units. */
    x: number[];
    /** Its objective value. */
    y: number;
  } | null;
  /** Resumable state after this round (JSON-serializable). */
  state: BayesOptState;
  /** The surrogate used for this round's proposal (null during the initial design). */
  model: Surrogate | null;
}

/**
 * Options of {@link bayesOpt}: the objective, budget and callbacks, plus everything
 * {@link BayesOptimizerOptions} configures.
 *
 * @example
 * ```ts
 * import { type BayesOptOptions } from '@difflab/bayes';
 * const opts: BayesOptOptions = {
 *   objective: ([x, y]) => (x! - 0.3) ** 2 + (y! - 0.7) ** 2,
 *   bounds: [[0, 1], [0, 1]],
 *   budget: 20,
 *   batchSize: 2,
 *   acquisition: 'qNei',
 *   seed: 0,
 * };
 * ```
 */
export interface BayesOptOptions extends BayesOptimizerOptions {
  /** The black box: a point (original units) → value, sync or async. NaN/±Infinity/non-numbers mark failed evaluations. */
  objective: (x: number[], ctx: { signal?: AbortSignal; iteration: number }) => number | Promise<number>;
  /** Total number of evaluations (including the initial design and any resumed ones). */
  budget: number;
  /** Points proposed and evaluated concurrently per round. Default 1. */
  batchSize?: number;
  /** Called after every round; return `false` to stop early. */
  onIteration?: (info: IterationInfo) => void | boolean | Promise<void | boolean>;
  /** Stops the loop between rounds (the current round's evaluations finish first). */
  signal?: AbortSignal;
}

/**
 * What {@link bayesOpt} resolves to.
 *
 * @example
 * ```ts
 * import { bayesOpt, type BayesOptResult } from '@difflab/bayes';
 * const res: BayesOptResult = await bayesOpt({ objective: ([x]) => (x! - 0.3) ** 2, bounds: [[0, 1]], budget: 8, seed: 0 });
 * res.best; // { x: [≈ 0.3], y: ≈ 0 }
 * res.trace.length; // 8
 * const more = await bayesOpt({ objective: ([x]) => (x! - 0.3) ** 2, bounds: [[0, 1]], budget: 10, state: res.state }); // 2 more evaluations
 * ```
 */
export interface BayesOptResult {
  /** Best valid evaluation (minimum, or maximum with `maximize`). */
  best: {
    /** The point, in original units. */
    x: number[];
    /** Its objective value. */
    y: number;
  };
  /** Every evaluation in order; invalid ones have `valid: false` and `y: NaN`. */
  history: Observation[];
  /** Incumbent value after each evaluation. */
  trace: number[];
  /** Final state; pass as `state` (with a larger budget) to continue. */
  state: BayesOptState;
  /** Evaluations done, including resumed ones. */
  evaluations: number;
  /** Why the loop ended: budget spent, signal aborted, or `onIteration` returned false. */
  stopReason: 'budget' | 'aborted' | 'callback';
}

/**
 * Bayesian optimization of an expensive black-box function over a box: a space-filling initial
 * design (scrambled Sobol by default), then rounds of GP fitting and acquisition maximization
 * (default log-EI), evaluating `batchSize` proposals concurrently per round, until `budget`
 * evaluations are spent. Minimizes unless `maximize: true`. Failed evaluations (NaN, ±Infinity,
 * non-numbers) are recorded and skipped by the model; exceptions thrown by the objective propagate.
 *
 * The one-call entry point, like BoTorch's tutorials' loop or scikit-optimize's `gp_minimize`. Use
 * {@link BayesOptimizer} for ask/tell control.
 *
 * @throws {ValueError} for bad bounds, budget, batch size or state.
 * @throws {ShapeError} for a `state` whose observations have the wrong dimension.
 *
 * @param opts - see {@link BayesOptOptions}.
 * @returns The best evaluation, the full history, the incumbent trace and a resumable state.
 *
 * @example
 * ```ts
 * import { bayesOpt, branin } from '@difflab/bayes';
 * const controller = new AbortController();
 * const { best, history } = await bayesOpt({
 *   objective: branin, // or an async function calling a simulator
 *   bounds: branin.bounds,
 *   budget: 15,
 *   seed: 0,
 *   signal: controller.signal,
 *   onIteration: ({ evaluations, best }) => console.log(evaluations, best?.y),
 * });
 * best.y; // approaches 0.397887 as the budget grows
 * ```
 */
export async function bayesOpt(opts: BayesOptOptions): Promise<BayesOptResult> {
  const op = 'bayesOpt';
  if (typeof opts.objective !== 'function') throw new ValueError(`${op}: objective must be a function`);
  if (!Number.isInteger(opts.budget) || opts.budget < 1)
    throw new ValueError(`${op}: budget must be a positive integer, got ${opts.budget}`);
  const batchSize = opts.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ValueError(`${op}: batchSize must be a positive integer, got ${batchSize}`);
  const d = (opts.state ? opts.state.bounds.lower : undefined)?.length;
  const bo = new BayesOptimizer({
    ...opts,
    initialPoints: opts.initialPoints ?? (opts.state ? undefined : Math.min(2 * ((d ?? dimOf(opts)) + 1), opts.budget)),
  });
  let stopReason: BayesOptResult['stopReason'] = 'budget';
  while (bo.history.length < opts.budget) {
    if (opts.signal?.aborted) {
      stopReason = 'aborted';
      break;
    }
    const iteration = bo.iteration;
    const before = bo.model;
    const xs = bo.ask(Math.min(batchSize, opts.budget - bo.history.length));
    const model = bo.model !== before ? bo.model : null;
    const ys = await Promise.all(
      xs.map(async (x) => {
        const v = await opts.objective([...x], { signal: opts.signal, iteration });
        return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
      }),
    );
    bo.tell(xs, ys);
    if (opts.onIteration) {
      const r = await opts.onIteration({
        iteration,
        x: xs,
        y: ys,
        evaluations: bo.history.length,
        budget: opts.budget,
        best: bo.best,
        state: bo.toJSON(),
        model,
      });
      if (r === false) {
        stopReason = 'callback';
        break;
      }
    }
  }
  const best = bo.best;
  if (!best) throw new ValueError(`${op}: no evaluation returned a finite value (${bo.history.length} evaluations)`);
  return {
    best,
    history: bo.history.map((o) => ({ ...o, x: [...o.x] })),
    trace: bo.trace,
    state: bo.toJSON(),
    evaluations: bo.history.length,
    stopReason,
  };
}

function dimOf(opts: BayesOptOptions): number {
  const b = opts.bounds as unknown;
  if (Array.isArray(b)) return b.length;
  if (b && typeof b === 'object' && Array.isArray((b as { lower?: unknown }).lower))
    return (b as { lower: unknown[] }).lower.length;
  return 1; // toBox reports the actual problem
}
