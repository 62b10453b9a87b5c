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
 */
export function logExpectedImprovement(model: Surrogate, opts: EIOptions = {}): AcquisitionFunction {
  return makeAcquisition('logEi', 1, (X) => {
    const { sigma, z } = standardized('logExpectedImprovement', model, X, opts);
    return add(log(sigma), logH(z));
  });
}

export interface PIOptions extends EIOptions {
  /** Return log Φ(z) (stable in the tail) instead of Φ(z). Default false. */
  log?: boolean;
}

/** Probability of improvement Φ((μ − best − ξ)/σ) (Kushner 1964), or its log with `log: true`. */
export function probabilityOfImprovement(model: Surrogate, opts: PIOptions = {}): AcquisitionFunction {
  return makeAcquisition(opts.log ? 'logPi' : 'pi', 1, (X) => {
    const { z } = standardized('probabilityOfImprovement', model, X, opts);
    return opts.log ? logNormCdf(z) : normCdf(z);
  });
}

export interface UCBOptions {
  /** Exploration weight β in μ + √β σ. Default 2. */
  beta?: number;
  maximize?: boolean;
}

/**
 * Upper confidence bound μ + √β σ (GP-UCB, Srinivas et al. 2010); with `maximize: false` it is the
 * negated lower confidence bound −(μ − √β σ), still to be maximized.
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
