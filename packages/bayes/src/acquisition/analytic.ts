import { ValueError, add, clamp, div, exp, log, mul, sqrt, sub, type Tensor } from '@difflab/tensor';
import type { Surrogate } from '../gp/surrogate.js';
import { logH, logNormCdf, normCdf } from '../ops/normal.js';
import {
  asBatch,
  incumbent,
  makeAcquisition,
  marginal,
  type AcquisitionFunction,
  type ImprovementOptions,
} from './types.js';

/** Variance floor (in y units²) so σ and its gradient stay finite at observed points. */
const MIN_VARIANCE = 1e-12;

/**
 * Options of {@link expectedImprovement} and {@link logExpectedImprovement}.
 *
 * @example
 * ```ts
 * import type { EIOptions } from '@difflab/bayes';
 * const opts: EIOptions = { maximize: false, xi: 0.01 };
 * ```
 */
export interface EIOptions extends ImprovementOptions {
  /** Exploration margin ξ: improvement is measured over best + ξ. Default 0. */
  xi?: number;
}

function standardized(op: string, model: Surrogate, X: Tensor, opts: EIOptions) {
  const x = asBatch(op, X, model.dim, 1);
  const best = incumbent(op, model, opts) + (opts.xi ?? 0);
  const { mean, variance } = marginal(model, x, opts.maximize !== false);
  const sigma = sqrt(clamp(variance, MIN_VARIANCE));
  return { sigma, z: div(sub(mean, best), sigma) };
}

/**
 * Expected improvement `E[max(f(x) − best, 0)] = σ (z Φ(z) + φ(z))`, z = (μ − best)/σ
 * (Jones et al. 1998). For minimization pass `maximize: false` (improvement below `best`).
 *
 * BoTorch's `ExpectedImprovement`. Prefer {@link logExpectedImprovement} for optimization: EI is
 * exactly 0 (flat) far from the incumbent.
 *
 * @param model - any surrogate with `predict`.
 * @param opts - incumbent, direction and ξ.
 * @returns An acquisition over `[b, 1, d]` (or `[b, d]`) candidates.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, expectedImprovement } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 1, 0], { noise: 1e-6 });
 * const ei = expectedImprovement(gp); // maximize; best = 1
 * ei(tensor([[0.5], [0.25]], { dtype: 'float64' })); // ≈ [0, > 0]: no improvement expected at an observed point
 * ```
 */
export function expectedImprovement(model: Surrogate, opts: EIOptions = {}): AcquisitionFunction {
  return makeAcquisition('ei', 1, (X) => {
    const { sigma, z } = standardized('expectedImprovement', model, X, opts);
    return mul(sigma, exp(logH(z)));
  });
}

/**
 * log EI = log σ + log h(z) with h(z) = φ(z) + zΦ(z) evaluated stably in the far tail (Ament et
 * al. 2023), so the value and its gradient stay informative where plain EI underflows to 0.
 *
 * BoTorch's `LogExpectedImprovement`; the default acquisition of {@link bayesOpt}.
 *
 * @param model - any surrogate with `predict`.
 * @param opts - incumbent, direction and ξ.
 * @returns An acquisition over `[b, 1, d]` (or `[b, d]`) candidates.
 *
 * @example
 * ```ts
 * import { fitGP, logExpectedImprovement, optimizeAcquisition } from '@difflab/bayes';
 * const gp = fitGP([[0.1], [0.5], [0.9]], [1.0, 0.2, 0.7]);
 * const acq = logExpectedImprovement(gp, { maximize: false });
 * const { x } = optimizeAcquisition(acq, { bounds: [[0, 1]] }); // next point to evaluate, [[x]]
 * ```
 */
export function logExpectedImprovement(model: Surrogate, opts: EIOptions = {}): AcquisitionFunction {
  return makeAcquisition('logEi', 1, (X) => {
    const { sigma, z } = standardized('logExpectedImprovement', model, X, opts);
    return add(log(sigma), logH(z));
  });
}

/**
 * Options of {@link probabilityOfImprovement}.
 *
 * @example
 * ```ts
 * import type { PIOptions } from '@difflab/bayes';
 * const opts: PIOptions = { best: 0, xi: 0.05, log: true };
 * ```
 */
export interface PIOptions extends EIOptions {
  /** Return log Φ(z) (stable in the tail) instead of Φ(z). Default false. */
  log?: boolean;
}

/**
 * Probability of improvement Φ((μ − best − ξ)/σ) (Kushner 1964), or its log with `log: true`.
 *
 * BoTorch's `ProbabilityOfImprovement` (`LogProbabilityOfImprovement` with `log: true`).
 *
 * @param model - any surrogate with `predict`.
 * @param opts - incumbent, direction, ξ and log.
 * @returns An acquisition over `[b, 1, d]` (or `[b, d]`) candidates.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, probabilityOfImprovement } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 0.5, 1]);
 * const pi = probabilityOfImprovement(gp, { best: 0.5 });
 * pi(tensor([[1]], { dtype: 'float64' })); // ≈ tensor([1]): the posterior at x = 1 is ≈ 1 > 0.5
 * ```
 */
export function probabilityOfImprovement(model: Surrogate, opts: PIOptions = {}): AcquisitionFunction {
  return makeAcquisition(opts.log ? 'logPi' : 'pi', 1, (X) => {
    const { z } = standardized('probabilityOfImprovement', model, X, opts);
    return opts.log ? logNormCdf(z) : normCdf(z);
  });
}

/**
 * Options of {@link upperConfidenceBound}.
 *
 * @example
 * ```ts
 * import type { UCBOptions } from '@difflab/bayes';
 * const opts: UCBOptions = { beta: 4, maximize: false }; // minimize via the lower confidence bound
 * ```
 */
export interface UCBOptions {
  /** Exploration weight β in μ + √β σ. Default 2. */
  beta?: number;
  /** Maximize (default) or minimize the objective. */
  maximize?: boolean;
}

/**
 * Upper confidence bound μ + √β σ (GP-UCB, Srinivas et al. 2010); with `maximize: false` it is the
 * negated lower confidence bound −(μ − √β σ), still to be maximized.
 *
 * BoTorch's `UpperConfidenceBound(beta)`.
 *
 * @param model - any surrogate with `predict`.
 * @param opts - β and direction.
 * @returns An acquisition over `[b, 1, d]` (or `[b, d]`) candidates.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, upperConfidenceBound } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 0.5, 1]);
 * const ucb = upperConfidenceBound(gp, { beta: 4 });
 * ucb(tensor([[0.25], [3]], { dtype: 'float64' })); // [2]: μ + 2σ, the uncertain point 3 scores higher
 * ```
 */
export function upperConfidenceBound(model: Surrogate, opts: UCBOptions = {}): AcquisitionFunction {
  const beta = opts.beta ?? 2;
  if (!(beta >= 0)) throw new ValueError(`upperConfidenceBound: beta must be >= 0, got ${beta}`);
  return makeAcquisition('ucb', 1, (X) => {
    const x = asBatch('upperConfidenceBound', X, model.dim, 1);
    const { mean, variance } = marginal(model, x, opts.maximize !== false);
    return add(mean, mul(sqrt(clamp(variance, MIN_VARIANCE)), Math.sqrt(beta)));
  });
}
