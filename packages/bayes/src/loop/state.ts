import { ShapeError, ValueError } from '@difflab/tensor';
import type { HyperValues } from '../kernels/hyper.js';

/** One objective evaluation. Non-finite results are kept with `valid: false` and never reach the model. */
export interface Observation {
  x: number[];
  /** The objective value (NaN when the objective returned NaN/±Infinity or a non-number). */
  y: number;
  valid: boolean;
  /** Loop iteration (proposal round) that produced x; initial-design points included. */
  iteration: number;
}

/** JSON-serializable optimizer state; pass it back as `state` to resume a run. */
export interface BayesOptState {
  version: 1;
  bounds: { lower: number[]; upper: number[] };
  maximize: boolean;
  seed: number;
  iteration: number;
  /** Points of the initial design handed out so far. */
  designIndex: number;
  initialPoints: number;
  observations: { x: number[]; y: number | null; iteration: number }[];
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
