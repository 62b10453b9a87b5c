import type { Tensor } from '@difflab/tensor';
import type { InputLike } from './data.js';

/** Marginal predictive distribution: `[..., m]` mean and variance. */
export interface Posterior {
  mean: Tensor;
  variance: Tensor;
}

/** Joint predictive distribution: `[..., m]` mean and `[..., m, m]` covariance. */
export interface JointPosterior {
  mean: Tensor;
  covariance: Tensor;
}

/**
 * What acquisition functions need from a model. Inputs are `[..., m, d]` in the model's input
 * units; outputs are in the units of the targets. Analytic acquisitions use `predict`;
 * Monte-Carlo (q-batch) ones need `predictJoint`.
 */
export interface Surrogate {
  readonly dim: number;
  predict(X: InputLike, opts?: { includeNoise?: boolean }): Posterior;
  predictJoint?(X: InputLike, opts?: { includeNoise?: boolean }): JointPosterior;
  /** Posterior cross-covariance `[..., mA, mB]` between two input sets (knowledge gradient uses it when present). */
  predictCross?(A: InputLike, B: InputLike): Tensor;
  /** Observation-noise variance in y units² (fantasy observations use it). */
  readonly noiseVariance?: number;
}
