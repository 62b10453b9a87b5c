import { ValueError } from '@difflab/tensor';
import { optimizeAcquisition } from '../acquisition/optimize.js';
import { fromUnit, toBox, toUnit, type BoundsLike } from '../design/bounds.js';
import { sobol, SOBOL_MAX_DIM } from '../design/sobol.js';
import { latinHypercube } from '../design/lhs.js';
import { fitGP } from '../gp/fit.js';
import type { GaussianProcess } from '../gp/gp.js';
import type { HyperValues } from '../kernels/hyper.js';
import { defaultBOKernel } from '../loop/optimizer.js';
import { autoregressiveKernel } from './kernel.js';
import { multiFidelityExpectedImprovement } from './acquisition.js';

/**
 * One evaluation of {@link multiFidelityBayesOpt}.
 *
 * @example
 * ```ts
 * import { multiFidelityBayesOpt, type MultiFidelityObservation } from '@difflab/bayes';
 * const res = await multiFidelityBayesOpt({
 *   objective: ([x], level) => (x! - 0.3) ** 2 + (level === 0 ? 0.1 * x! : 0),
 *   bounds: [[0, 1]],
 *   costs: [1, 5],
 *   budget: 30,
 * });
 * const targetRuns: MultiFidelityObservation[] = res.history.filter((o) => o.level === 1);
 * ```
 */
export interface MultiFidelityObservation {
  /** The design point. */
  x: number[];
  /** Fidelity level 0 … L − 1 (L − 1 is the target). */
  level: number;
  /** The objective value (NaN when invalid). */
  y: number;
  /** Whether y is a finite number. */
  valid: boolean;
  /** Cost of this evaluation. */
  cost: number;
}

/**
 * Options of {@link multiFidelityBayesOpt}.
 *
 * @example
 * ```ts
 * import type { MultiFidelityOptions } from '@difflab/bayes';
 * const opts: MultiFidelityOptions = {
 *   objective: async ([x, y], level) => (x! - y!) ** 2 + (level === 0 ? 0.05 : 0), // a coarse and a fine simulator
 *   bounds: [[0, 1], [0, 1]],
 *   costs: [1, 10],
 *   budget: 100,
 *   seed: 0,
 *   fit: { restarts: 0 },
 * };
 * ```
 */
export interface MultiFidelityOptions {
  /** f(x, level): the objective at a fidelity level (0 = cheapest, costs.length − 1 = target). */
  objective: (x: number[], level: number) => number | Promise<number>;
  /** Search box of the design variables. */
  bounds: BoundsLike;
  /** Cost of one evaluation at each level, increasing. */
  costs: readonly number[];
  /** Total cost budget (initial design included). */
  budget: number;
  /** Initial design size at level 0; the first half of those points is also evaluated at the target. Default 2(d + 1). */
  initialPoints?: number;
  /** Maximize instead of minimize. Default false. */
  maximize?: boolean;
  /** Seed of the design and the fits. Default 0. */
  seed?: number;
  /** Called after every evaluation; return `false` to stop. */
  onIteration?: (info: {
    iteration: number;
    /** The design point. */
    x: number[];
    level: number;
    /** The objective value (NaN when invalid). */
    y: number;
    /** Cost spent so far. */
    spent: number;
    model: GaussianProcess;
  }) => void | boolean | Promise<void | boolean>;
  /** Stops the loop between evaluations. */
  signal?: AbortSignal;
  /** Cheaper settings for the inner fit / acquisition optimization. */
  fit?: {
    /** Random restarts besides the warm start. */
    restarts?: number;
    /** L-BFGS iterations per start. */
    maxIter?: number;
  };
  /** Acquisition-optimizer settings (see {@link OptimizeAcquisitionOptions}). */
  optimizer?: {
    /** Gradient-ascent starts. */
    restarts?: number;
    /** Quasi-random candidates scored to pick the starts. */
    rawSamples?: number;
    /** Adam steps per start. */
    steps?: number;
    /** Initial step size in unit-cube coordinates. */
    lr?: number;
  };
}

/**
 * What {@link multiFidelityBayesOpt} resolves to.
 *
 * @example
 * ```ts
 * import { multiFidelityBayesOpt, type MultiFidelityResult } from '@difflab/bayes';
 * const res: MultiFidelityResult = await multiFidelityBayesOpt({
 *   objective: ([x], level) => Math.cos(6 * x!) + (level === 0 ? 0.2 : 0),
 *   bounds: [[0, 1]],
 *   costs: [1, 4],
 *   budget: 24,
 * });
 * res.spent; // ≤ 24: no evaluation that would exceed the budget is started
 * res.best; // best target-level observation
 * ```
 */
export interface MultiFidelityResult {
  /** Best valid observation at the target level. */
  best: {
    /** The point, in original units. */
    x: number[];
    /** Its objective value. */
    y: number;
  };
  /** Every evaluation in order. */
  history: MultiFidelityObservation[];
  /** Total cost spent. */
  spent: number;
  /** Why the loop ended: budget spent, signal aborted, or `onIteration` returned false. */
  stopReason: 'budget' | 'aborted' | 'callback';
}

/**
 * Multi-fidelity Bayesian optimization: a GP with the autoregressive (AR(1) co-kriging) kernel
 * over (x, level) models all fidelities jointly; each round maximizes the cost-aware
 * multi-fidelity EI for every level and evaluates the best (x, level) pair, until the cost budget
 * is spent. Minimizes unless `maximize`. Returns the best target-level observation.
 *
 * Fills the role of BoTorch's multi-fidelity BO (there `SingleTaskMultiFidelityGP` with
 * multi-fidelity KG; here AR(1) co-kriging with cost-aware EI).
 *
 * @param opts - see {@link MultiFidelityOptions}.
 * @returns The best target-level observation, every evaluation, and the cost spent.
 * @throws {ValueError} for bad bounds, costs or budget.
 *
 * @example
 * ```ts
 * import { multiFidelityBayesOpt } from '@difflab/bayes';
 * // Level 0: a cheap, biased approximation; level 1: the expensive truth.
 * const { best, spent } = await multiFidelityBayesOpt({
 *   objective: ([x], level) => (x! - 0.6) ** 2 + (level === 0 ? 0.1 * Math.sin(10 * x!) : 0),
 *   bounds: [[0, 1]],
 *   costs: [1, 10],
 *   budget: 60,
 *   seed: 0,
 *   onIteration: ({ level, spent }) => console.log(`level ${level}, spent ${spent}`),
 * });
 * ```
 */
export async function multiFidelityBayesOpt(opts: MultiFidelityOptions): Promise<MultiFidelityResult> {
  const op = 'multiFidelityBayesOpt';
  const box = toBox(op, opts.bounds);
  const d = box.dim;
  const costs = [...opts.costs];
  if (costs.length < 2) throw new ValueError(`${op}: needs at least two fidelity levels (costs), got ${costs.length}`);
  for (let i = 0; i < costs.length; i++)
    if (!(costs[i]! > 0) || (i > 0 && !(costs[i]! >= costs[i - 1]!)))
      throw new ValueError(`${op}: costs must be positive and non-decreasing, got [${costs.join(', ')}]`);
  if (!(opts.budget > 0)) throw new ValueError(`${op}: budget must be positive, got ${opts.budget}`);
  const target = costs.length - 1;
  const sign = opts.maximize ? 1 : -1;
  const seed = opts.seed ?? 0;
  const n0 = opts.initialPoints ?? 2 * (d + 1);
  const design = d <= SOBOL_MAX_DIM ? sobol(n0, d, { seed }) : latinHypercube(n0, d, { seed });
  const history: MultiFidelityObservation[] = [];
  let spent = 0;
  const evaluate = async (u: number[], level: number) => {
    const x = fromUnit(box, u);
    const v = await opts.objective([...x], level);
    const valid = typeof v === 'number' && Number.isFinite(v);
    spent += costs[level]!;
    history.push({ x, level, y: valid ? v : NaN, valid, cost: costs[level]! });
  };
  const initial: [number[], number][] = [
    ...design.map((u) => [u, 0] as [number[], number]),
    ...design.slice(0, Math.ceil(n0 / 2)).map((u) => [u, target] as [number[], number]),
  ];
  for (const [u, l] of initial) {
    if (spent + costs[l]! > opts.budget) break;
    await evaluate(u, l);
  }
  let stopReason: MultiFidelityResult['stopReason'] = 'budget';
  let hypers: HyperValues | undefined;
  for (let it = 0; ; it++) {
    if (opts.signal?.aborted) {
      stopReason = 'aborted';
      break;
    }
    if (spent + costs[0]! > opts.budget) break;
    const valid = history.filter((o) => o.valid);
    if (!valid.some((o) => o.level === target))
      throw new ValueError(`${op}: the budget does not cover a single valid target-level evaluation`);
    const inputs = valid.map((o) => [...toUnit(box, o.x), o.level]);
    const ys = valid.map((o) => sign * o.y);
    const kernel = autoregressiveKernel({
      base: defaultBOKernel(d),
      delta: defaultBOKernel(d),
      fidelityDim: d,
      rho: { value: 1, bounds: [1e-2, 1e2] },
    });
    const gp = fitGP(inputs, ys, {
      kernel,
      noise: { value: 1e-4, bounds: [1e-6, 1] },
      restarts: opts.fit?.restarts ?? 1,
      maxIter: opts.fit?.maxIter ?? 100,
      seed: seed + it,
      warmStart: hypers,
    });
    hypers = gp.hyperparameters;
    const best = Math.max(...valid.filter((o) => o.level === target).map((o) => sign * o.y));
    let choice: { u: number[]; level: number; value: number } | null = null;
    for (let level = 0; level <= target; level++) {
      if (spent + costs[level]! > opts.budget) continue;
      const acq = multiFidelityExpectedImprovement(gp, { fidelityDim: d, target, level, costs, best });
      const r = optimizeAcquisition(acq, {
        ...opts.optimizer,
        bounds: Array.from({ length: d }, () => [0, 1] as [number, number]),
        seed: seed * 1009 + it * 31 + level,
      });
      if (!choice || r.value > choice.value) choice = { u: r.x[0]!, level, value: r.value };
    }
    if (!choice) break;
    await evaluate(choice.u, choice.level);
    const last = history[history.length - 1]!;
    if (opts.onIteration) {
      const r = await opts.onIteration({ iteration: it, x: last.x, level: last.level, y: last.y, spent, model: gp });
      if (r === false) {
        stopReason = 'callback';
        break;
      }
    }
  }
  let best: MultiFidelityObservation | null = null;
  for (const o of history) if (o.valid && o.level === target && (!best || sign * o.y > sign * best.y)) best = o;
  if (!best) throw new ValueError(`${op}: no valid target-level evaluation`);
  return { best: { x: [...best.x], y: best.y }, history, spent, stopReason };
}
