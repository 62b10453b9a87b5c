import { ShapeError, ValueError } from '@difflab/tensor';
import { createRng } from '@difflab/optim';
import { optimizeAcquisition, type OptimizeAcquisitionOptions } from '../acquisition/optimize.js';
import { fromUnit, toBox, toUnit, type BoundsLike, type Box } from '../design/bounds.js';
import { latinHypercube } from '../design/lhs.js';
import { sobol, SOBOL_MAX_DIM } from '../design/sobol.js';
import { fitGP } from '../gp/fit.js';
import { GaussianProcess } from '../gp/gp.js';
import type { Surrogate } from '../gp/surrogate.js';
import type { HyperOption, HyperValues } from '../kernels/hyper.js';
import type { Kernel } from '../kernels/kernel.js';
import { logNormalPrior } from '../kernels/priors.js';
import { matern52 } from '../kernels/stationary.js';
import {
  builtinAcquisition,
  isAcquisitionName,
  type AcquisitionFactory,
  type AcquisitionName,
  type AcquisitionSettings,
} from './registry.js';
import { decodeState, encodeObservations, type BayesOptState, type Observation } from './state.js';

/**
 * Options of {@link BayesOptimizer} (and, through {@link BayesOptOptions}, of {@link bayesOpt}).
 *
 * @example
 * ```ts
 * import { rbf, type BayesOptimizerOptions } from '@difflab/bayes';
 * const opts: BayesOptimizerOptions = {
 *   bounds: { lower: [0, -1], upper: [1, 1] },
 *   maximize: true,
 *   initialPoints: 6,
 *   initialDesign: 'lhs',
 *   acquisition: 'ucb',
 *   acquisitionSettings: { beta: 1 },
 *   kernel: rbf({ ard: true }),
 *   seed: 1,
 * };
 * ```
 */
export interface BayesOptimizerOptions {
  /** Search box `[[lo, hi], …]` or `{lower, upper}`; lower < upper in every dimension. */
  bounds: BoundsLike;
  /** Maximize instead of minimize. Default false (minimize). */
  maximize?: boolean;
  /** Seed of the initial design, restarts and MC samples. Default 0. */
  seed?: number;
  /** Size of the space-filling initial design. Default min(2(d + 1), budget) in `bayesOpt`, 2(d + 1) here. */
  initialPoints?: number;
  /** Initial design: scrambled Sobol (default for d ≤ 21), Latin hypercube, or uniform random. */
  initialDesign?: 'sobol' | 'lhs' | 'random';
  /** Acquisition name or factory. Default 'logEi'. */
  acquisition?: AcquisitionName | AcquisitionFactory;
  /** Tuning of the built-in acquisitions. */
  acquisitionSettings?: AcquisitionSettings;
  /** Surrogate kernel on unit-cube inputs. Default: Matérn-5/2 ARD with a LogNormal(√2 + ½ log d, √3) lengthscale prior. */
  kernel?: Kernel;
  /** Noise variance (standardized units). Default: learned, initial 1e-4, bounds [1e-6, 1]. */
  noise?: HyperOption;
  /** Hyperparameter fit: random restarts (default 1, plus the warm start) and L-BFGS iterations (default 100). */
  fit?: {
    /** Random restarts besides the warm start. */
    restarts?: number;
    /** L-BFGS iterations per start. */
    maxIter?: number;
  };
  /** Acquisition optimizer settings (restarts, raw samples, Adam steps, step size). */
  optimizer?: Omit<OptimizeAcquisitionOptions, 'bounds' | 'q' | 'seed' | 'initial'>;
  /**
   * Custom surrogate instead of the GP (e.g. `deepEnsemble`, `bayesianNeuralNetwork`): built from
   * unit-cube inputs and maximization-scale targets. Batches and pending points are fantasized by
   * refitting it with the predicted means. Acquisitions needing a joint posterior require
   * `predictJoint`; 'thompson' needs the GP.
   */
  surrogate?: (X: number[][], y: number[], ctx: { seed: number; iteration: number }) => Surrogate;
  /** Resume from a saved state (bounds, direction and seed are taken from it). */
  state?: BayesOptState;
}

/**
 * The default surrogate kernel of the BO loop for d unit-cube inputs.
 *
 * The dimension-scaled prior (Hvarfner et al. 2024, BoTorch's current default) keeps lengthscales
 * sensible in high dimensions, where a fixed prior makes the GP too wiggly.
 *
 * @param d - input dimension.
 * @returns The kernel the loop uses unless `kernel` is given.
 *
 * @example
 * ```ts
 * import { defaultBOKernel, fitGP } from '@difflab/bayes';
 * const k = defaultBOKernel(2);
 * const gp = fitGP([[0, 0], [0.5, 1], [1, 0.5]], [1, 0, 2], { kernel: k });
 * ```
 */
export function defaultBOKernel(d: number): Kernel {
  return matern52({
    ard: true,
    lengthscale: {
      value: 0.5,
      bounds: [1e-3, 1e2],
      prior: logNormalPrior(Math.SQRT2 + 0.5 * Math.log(d), Math.sqrt(3)),
    },
    variance: { value: 1, bounds: [1e-2, 1e2] },
  });
}

const mix = (seed: number, iteration: number) => (Math.imul(seed | 0, 1000003) + Math.imul(iteration + 1, 7919)) >>> 0;

/**
 * Ask/tell Bayesian optimizer: `ask(q)` proposes q points (initial design first, then maximizers of
 * the acquisition on a GP fitted to the valid observations), `tell(xs, ys)` records results. The GP
 * works on inputs mapped to [0, 1]^d and on standardized y (negated when minimizing, so every
 * acquisition maximizes). Batches use joint q-point optimization for MC acquisitions and
 * "kriging believer" fantasies otherwise; points asked but not yet told are fantasized the same
 * way, so concurrent asks do not collide.
 *
 * @example
 * ```ts
 * import { BayesOptimizer, branin } from '@difflab/bayes';
 * const bo = new BayesOptimizer({ bounds: branin.bounds, seed: 0 });
 * for (let round = 0; round < 4; round++) {
 *   const xs = bo.ask(2); // two points to evaluate in parallel
 *   bo.tell(xs, xs.map((x) => branin(x)));
 * }
 * bo.best; // { x, y } of the best of the 8 evaluations
 * const saved = JSON.stringify(bo.toJSON()); // resume later with { state: JSON.parse(saved) }
 * ```
 */
export class BayesOptimizer {
  /** The search box. */
  readonly box: Box;
  /** Whether the objective is maximized. */
  readonly maximize: boolean;
  /** The run seed. */
  readonly seed: number;
  /** Size of the initial design. */
  readonly initialPoints: number;
  private readonly opts: BayesOptimizerOptions;
  private readonly factory: AcquisitionFactory;
  private observations: Observation[] = [];
  private pending: { x: number[]; iteration: number }[] = [];
  private designIndex = 0;
  private iterationCount = 0;
  private hypers: HyperValues | null = null;
  private lastModel: Surrogate | null = null;

  /** Validates the options and restores `opts.state` when given. */
  constructor(opts: BayesOptimizerOptions) {
    const op = 'BayesOptimizer';
    this.opts = opts;
    const s = opts.state;
    this.box = toBox(op, s ? s.bounds : opts.bounds);
    if (s && opts.bounds) {
      const b = toBox(op, opts.bounds);
      if (
        b.dim !== this.box.dim ||
        b.lower.some((v, i) => v !== this.box.lower[i]) ||
        b.upper.some((v, i) => v !== this.box.upper[i])
      )
        throw new ValueError(`${op}: bounds differ from those of the saved state`);
    }
    this.maximize = s ? s.maximize : (opts.maximize ?? false);
    this.seed = s ? s.seed : (opts.seed ?? 0);
    if (!Number.isInteger(this.seed)) throw new ValueError(`${op}: seed must be an integer, got ${this.seed}`);
    const d = this.box.dim;
    this.initialPoints = s ? s.initialPoints : (opts.initialPoints ?? 2 * (d + 1));
    if (!Number.isInteger(this.initialPoints) || this.initialPoints < 1)
      throw new ValueError(`${op}: initialPoints must be a positive integer, got ${this.initialPoints}`);
    const acq = opts.acquisition ?? 'logEi';
    if (typeof acq === 'function') this.factory = acq;
    else if (isAcquisitionName(acq)) this.factory = builtinAcquisition(acq, opts.acquisitionSettings ?? {});
    else throw new ValueError(`${op}: unknown acquisition '${String(acq)}'`);
    if (opts.initialDesign && !['sobol', 'lhs', 'random'].includes(opts.initialDesign))
      throw new ValueError(`${op}: initialDesign must be 'sobol', 'lhs' or 'random', got '${opts.initialDesign}'`);
    if (s) {
      this.observations = decodeState(op, s, d);
      this.designIndex = s.designIndex;
      this.iterationCount = s.iteration;
      this.hypers = s.hyperparameters;
    }
  }

  /** Input dimension. */
  get dim(): number {
    return this.box.dim;
  }

  /** Every evaluation so far, in order (invalid ones included). */
  get history(): readonly Observation[] {
    return this.observations;
  }

  /** Number of proposal rounds (`ask` calls) so far. */
  get iteration(): number {
    return this.iterationCount;
  }

  /** Best valid observation in the optimization direction, or null before the first valid one. */
  get best(): {
    /** The point, in original units. */
    x: number[];
    /** Its objective value. */
    y: number;
  } | null {
    let b: Observation | null = null;
    for (const o of this.observations) if (o.valid && (!b || (this.maximize ? o.y > b.y : o.y < b.y))) b = o;
    return b ? { x: [...b.x], y: b.y } : null;
  }

  /** Incumbent value after each evaluation (NaN until the first valid one). */
  get trace(): number[] {
    const out: number[] = [];
    let b = NaN;
    for (const o of this.observations) {
      if (o.valid && (Number.isNaN(b) || (this.maximize ? o.y > b : o.y < b))) b = o.y;
      out.push(b);
    }
    return out;
  }

  /** The surrogate of the last model-based proposal (unit-cube inputs, maximization-scale targets). */
  get model(): Surrogate | null {
    return this.lastModel;
  }

  /** Proposes `q` points to evaluate next (in the original units). */
  ask(q = 1): number[][] {
    const op = 'BayesOptimizer.ask';
    if (!Number.isInteger(q) || q < 1) throw new ValueError(`${op}: q must be a positive integer, got ${q}`);
    const iteration = this.iterationCount++;
    const valid = this.observations.filter((o) => o.valid);
    const out: number[][] = [];
    // Space-filling design until the initial budget is spent and the model has data to stand on.
    while (
      out.length < q &&
      (this.designIndex < this.initialPoints || valid.length + this.pending.length + out.length < 2)
    ) {
      out.push(fromUnit(this.box, this.designPoint(this.designIndex++)));
    }
    if (out.length < q) out.push(...this.propose(q - out.length, iteration, valid));
    this.pending.push(...out.map((x) => ({ x: [...x], iteration })));
    return out;
  }

  /** Records results for points (typically from `ask`). Non-finite or non-number y are kept as invalid. */
  tell(xs: readonly (readonly number[])[] | readonly number[], ys: readonly unknown[] | unknown): void {
    const op = 'BayesOptimizer.tell';
    const X = (Array.isArray(xs[0]) ? xs : [xs]) as readonly (readonly number[])[];
    const Y = (Array.isArray(ys) ? ys : [ys]) as readonly unknown[];
    if (X.length !== Y.length) throw new ShapeError(`${op}: ${X.length} points but ${Y.length} values`);
    X.forEach((x, i) => {
      if (!Array.isArray(x) || x.length !== this.dim)
        throw new ShapeError(
          `${op}: point ${i} has ${Array.isArray(x) ? x.length : 'no'} coordinates, expected ${this.dim}`,
        );
      for (const v of x)
        if (!Number.isFinite(v)) throw new ValueError(`${op}: point ${i} has a non-finite coordinate ${v}`);
      const y = Y[i];
      const valid = typeof y === 'number' && Number.isFinite(y);
      const k = this.pending.findIndex((p) => p.x.every((v, j) => v === x[j]));
      const iteration = k >= 0 ? this.pending[k]!.iteration : Math.max(0, this.iterationCount - 1);
      if (k >= 0) this.pending.splice(k, 1);
      this.observations.push({ x: [...x], y: valid ? (y as number) : NaN, valid, iteration });
    });
  }

  /** Forgets points that were asked but will never be told (e.g. failed workers). */
  clearPending(): void {
    this.pending = [];
  }

  /** The resumable, JSON-serializable state (also used by `JSON.stringify`). */
  toJSON(): BayesOptState {
    return {
      version: 1,
      bounds: { lower: [...this.box.lower], upper: [...this.box.upper] },
      maximize: this.maximize,
      seed: this.seed,
      iteration: this.iterationCount,
      designIndex: this.designIndex,
      initialPoints: this.initialPoints,
      observations: encodeObservations(this.observations),
      hyperparameters: this.hypers ? JSON.parse(JSON.stringify(this.hypers)) : null,
    };
  }

  private designPoint(i: number): number[] {
    const d = this.dim;
    const kind = this.opts.initialDesign ?? (d <= SOBOL_MAX_DIM ? 'sobol' : 'lhs');
    if (kind === 'sobol') return sobol(1, d, { seed: this.seed, skip: i })[0]!;
    if (kind === 'lhs') {
      // A Latin hypercube of the whole initial design; points past it continue at random.
      if (i < this.initialPoints) return latinHypercube(this.initialPoints, d, { seed: this.seed })[i]!;
    }
    const rng = createRng(this.seed, i, 0xd51);
    return Array.from({ length: d }, () => rng.uniform());
  }

  /** Fits the GP to the valid observations (plus fantasies of pending points). */
  fitModel(
    valid: readonly Observation[] = this.observations.filter((o) => o.valid),
    iteration = this.iterationCount,
  ): GaussianProcess {
    const sign = this.maximize ? 1 : -1;
    const U = valid.map((o) => toUnit(this.box, o.x).map((v) => Math.min(1, Math.max(0, v))));
    const y = valid.map((o) => sign * o.y);
    const d = this.dim;
    const gp = fitGP(U, y, {
      kernel: this.opts.kernel ?? defaultBOKernel(d),
      noise: this.opts.noise ?? { value: 1e-4, bounds: [1e-6, 1] },
      restarts: this.opts.fit?.restarts ?? 1,
      maxIter: this.opts.fit?.maxIter ?? 100,
      seed: mix(this.seed, iteration),
      warmStart: this.hypers ?? undefined,
      standardize: true,
    });
    this.hypers = gp.hyperparameters;
    this.lastModel = gp;
    return gp;
  }

  private propose(q: number, iteration: number, valid: readonly Observation[]): number[][] {
    const sign = this.maximize ? 1 : -1;
    const seed = mix(this.seed, iteration);
    const unit = (x: readonly number[]) => toUnit(this.box, x).map((v) => Math.min(1, Math.max(0, v)));
    const U = valid.map((o) => unit(o.x));
    const Y = valid.map((o) => sign * o.y);
    const custom = this.opts.surrogate;
    let model: Surrogate = custom ? custom(U, Y, { seed, iteration }) : this.fitModel(valid, iteration);
    if (custom) this.lastModel = model;
    const fantasize = (m: Surrogate, us: number[][]): Surrogate => {
      if (us.length === 0) return m;
      const means = Array.from(m.predict(us).mean.dataSync());
      if (m instanceof GaussianProcess) return m.condition(us, means);
      fU.push(...us);
      fY.push(...means);
      return custom!(fU, fY, { seed, iteration });
    };
    const fU = [...U];
    const fY = [...Y];
    model = fantasize(
      model,
      this.pending.map((p) => unit(p.x)),
    );
    const best = Math.max(...Y);
    const unitBounds = Array.from({ length: this.dim }, () => [0, 1] as [number, number]);
    const ctx = { q, seed, dim: this.dim, best, observed: U };
    const acq = this.factory(model, ctx);
    const optOpts = { ...this.opts.optimizer, bounds: unitBounds, seed };
    const out: number[][] = [];
    if (q > 1 && acq.maxQ >= q) {
      out.push(...optimizeAcquisition(acq, { ...optOpts, q }).x);
    } else {
      let a = acq;
      for (let j = 0; j < q; j++) {
        if (j > 0) {
          model = fantasize(model, [out[j - 1]!]);
          a = this.factory(model, { ...ctx, seed: mix(seed, j) });
        }
        out.push(
          optimizeAcquisition(a, { ...optOpts, seed: mix(seed, j), initial: this.localStarts(valid, seed + j) }).x[0]!,
        );
      }
    }
    return out.map((u) => fromUnit(this.box, u));
  }

  /** Gaussian perturbations (σ = 0.01 and 0.05 of the box) of the best observations, to refine the incumbent. */
  private localStarts(valid: readonly Observation[], seed: number): number[][] {
    const sign = this.maximize ? 1 : -1;
    const top = [...valid].sort((a, b) => sign * (b.y - a.y)).slice(0, 3);
    const rng = createRng(seed, 0x10ca1);
    const out: number[][] = [];
    top.forEach((o, r) => {
      const u = toUnit(this.box, o.x);
      const count = r === 0 ? 32 : 8;
      for (let k = 0; k < count; k++) {
        const s = k % 2 === 0 ? 0.01 : 0.05;
        out.push(u.map((v) => Math.min(1, Math.max(0, v + s * rng.normal()))));
      }
    });
    return out;
  }
}
