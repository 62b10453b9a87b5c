import { ShapeError, ValueError } from '@difflab/tensor';
import type { HyperValues } from '../kernels/hyper.js';

/**
 * One objective evaluation. Non-finite results are kept with `valid: false` and never reach the model.
 *
 * @example
 * ```ts
 * import { bayesOpt, type Observation } from '@difflab/bayes';
 * const res = await bayesOpt({ objective: ([x]) => (x! > 0.9 ? NaN : x!), bounds: [[0, 1]], budget: 6, seed: 0 });
 * const failed: Observation[] = res.history.filter((o) => !o.valid); // evaluations that returned NaN
 * ```
 */
export interface Observation {
  /** The evaluated point, in original units. */
  x: number[];
  /** The objective value (NaN when the objective returned NaN/±Infinity or a non-number). */
  y: number;
  /** Whether y is a finite number. */
  valid: boolean;
  /** Loop iteration (proposal round) that produced x; initial-design points included. */
  iteration: number;
}

/**
 * JSON-serializable optimizer state; pass it back as `state` to resume a run.
 *
 * Store it anywhere (it is plain JSON) and pass it as `state` to {@link bayesOpt} or
 * {@link BayesOptimizer} to continue a run.
 *
 * @example
 * ```ts
 * import { BayesOptimizer, type BayesOptState } from '@difflab/bayes';
 * const bo = new BayesOptimizer({ bounds: [[0, 1]], seed: 0 });
 * const [x] = bo.ask();
 * bo.tell([x!], [Math.sin(3 * x![0]!)]);
 * const state: BayesOptState = JSON.parse(JSON.stringify(bo));
 * const resumed = new BayesOptimizer({ bounds: [[0, 1]], state });
 * resumed.history.length; // 1
 * ```
 */
export interface BayesOptState {
  /** Format version. */
  version: 1;
  /** The search box. */
  bounds: {
    /** Lower bound per dimension. */
    lower: number[];
    /** Upper bound per dimension. */
    upper: number[];
  };
  /** Whether the objective is maximized. */
  maximize: boolean;
  /** The run seed. */
  seed: number;
  /** Proposal rounds so far. */
  iteration: number;
  /** Points of the initial design handed out so far. */
  designIndex: number;
  /** Size of the initial design. */
  initialPoints: number;
  /** Every evaluation (y null where invalid, since JSON has no NaN). */
  observations: {
    /** The evaluated point. */
    x: number[];
    /** Its value, null where the evaluation was invalid. */
    y: number | null;
    /** The proposal round that produced it. */
    iteration: number;
  }[];
  /** Last fitted hyperparameters (warm start of the next fit). */
  hyperparameters: HyperValues | null;
}

export function encodeObservations(obs: readonly Observation[]): BayesOptState['observations'] {
  return obs.map((o) => ({ x: [...o.x], y: o.valid ? o.y : null, iteration: o.iteration }));
}

export function decodeState(op: string, s: BayesOptState, dim: number): Observation[] {
  if (!s || s.version !== 1 || !Array.isArray(s.observations))
    throw new ValueError(`${op}: state is not a version-1 BayesOptState`);
  return s.observations.map((o, i) => {
    if (!Array.isArray(o.x) || o.x.length !== dim)
      throw new ShapeError(`${op}: state observation ${i} has ${o.x?.length} coordinates, expected ${dim}`);
    const valid = typeof o.y === 'number' && Number.isFinite(o.y);
    return { x: [...o.x], y: valid ? (o.y as number) : NaN, valid, iteration: o.iteration };
  });
}
