import type { Tensor } from '@difflab/tensor';
import type { InputLike } from './data.js';

/**
 * Marginal predictive distribution: `[..., m]` mean and variance.
 *
 * @example
 * ```ts
 * import { sqrt } from '@difflab/tensor';
 * import { fitGP, type Posterior } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 0.5, 1]);
 * const post: Posterior = gp.predict([[0.5], [2]]);
 * const upper = post.mean.add(sqrt(post.variance).mul(2)); // a 95% band
 * ```
 */
export interface Posterior {
  /** Posterior mean, in the units of y. */
  mean: Tensor;
  /** Posterior variance, in y units². */
  variance: Tensor;
}

/**
 * Joint predictive distribution: `[..., m]` mean and `[..., m, m]` covariance.
 *
 * @example
 * ```ts
 * import { fitGP, type JointPosterior } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 0.5, 1]);
 * const joint: JointPosterior = gp.predictJoint([[0.4], [0.6]]);
 * joint.covariance.shape; // [2, 2]
 * ```
 */
export interface JointPosterior {
  /** Posterior mean, in the units of y. */
  mean: Tensor;
  /** Posterior covariance, in y units². */
  covariance: Tensor;
}

/**
 * What acquisition functions need from a model. Inputs are `[..., m, d]` in the model's input
 * units; outputs are in the units of the targets. Analytic acquisitions use `predict`;
 * Monte-Carlo (q-batch) ones need `predictJoint`.
 *
 * Any model with `predict` works with the analytic acquisitions: a {@link GaussianProcess}, a
 * {@link DeepEnsemble}, a {@link BNN} or your own (BoTorch's `Model.posterior`).
 *
 * @example
 * ```ts
 * import { tensor, sum, onesLike, type Tensor } from '@difflab/tensor';
 * import { expectedImprovement, type Surrogate, type InputLike } from '@difflab/bayes';
 * // A toy 1-D surrogate: mean x, unit variance.
 * const toy: Surrogate = {
 *   dim: 1,
 *   predict: (X: InputLike) => {
 *     const mean = sum(X as Tensor, -1); // [..., m, 1] -> [..., m]
 *     return { mean, variance: onesLike(mean) };
 *   },
 * };
 * const ei = expectedImprovement(toy, { best: 0 });
 * ei(tensor([[0]], { dtype: 'float64' })); // tensor([0.3989]) = φ(0)
 * ```
 */
export interface Surrogate {
  /** Input dimension d. */
  readonly dim: number;
  /** Marginal posterior at `X: [..., m, d]`. */
  predict(X: InputLike, opts?: { includeNoise?: boolean }): Posterior;
  /** Joint posterior at `X: [..., m, d]` (needed by the q-batch acquisitions). */
  predictJoint?(X: InputLike, opts?: { includeNoise?: boolean }): JointPosterior;
  /** Posterior cross-covariance `[..., mA, mB]` between two input sets (knowledge gradient uses it when present). */
  predictCross?(A: InputLike, B: InputLike): Tensor;
  /** Observation-noise variance in y units² (fantasy observations use it). */
  readonly noiseVariance?: number;
}
