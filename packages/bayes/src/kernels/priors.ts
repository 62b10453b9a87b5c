import { ValueError, add, log, log1p, mul, square, sub, sum, type Tensor } from '@difflab/tensor';
import type { Rng } from '@difflab/optim';
import { logGamma } from '../internal/gamma.js';

/**
 * A prior on a positive hyperparameter value. `logProb` sums over the elements of `v` (an ARD
 * lengthscale vector gets one independent prior per dimension). As in GPyTorch, the density is
 * over the constrained value itself, without the Jacobian of the optimizer's parametrization.
 *
 * GPyTorch's `Prior` objects; pass one as the `prior` of a {@link HyperOption}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { gammaPrior, type Prior } from '@difflab/bayes';
 * const p: Prior = gammaPrior(2, 1);
 * p.logProb(tensor([1], { dtype: 'float64' })); // tensor(-1) = log(1 · e^-1)
 * ```
 */
export interface Prior {
  /** Distribution and parameters, e.g. `'gamma(3, 6)'`. */
  readonly kind: string;
  /** Log density summed over the elements of `v` (differentiable). */
  logProb(v: Tensor): Tensor;
  /** A draw used to initialize hyperparameter restarts. */
  sample(rng: Rng): number;
}

function positive(op: string, name: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v))
    throw new ValueError(`${op}: ${name} must be a positive finite number, got ${v}`);
  return v;
}

/**
 * Gamma(concentration α, rate β): log p = α log β − log Γ(α) + (α−1) log v − β v.
 *
 * GPyTorch's `GammaPrior(concentration, rate)`; BoTorch's default lengthscale prior was Gamma(3, 6).
 *
 * @param concentration - shape α > 0.
 * @param rate - rate β > 0.
 * @returns The prior.
 * @throws {ValueError} for non-positive parameters.
 *
 * @example
 * ```ts
 * import { fitGP, matern52, gammaPrior } from '@difflab/bayes';
 * const kernel = matern52({ lengthscale: { value: 0.5, prior: gammaPrior(3, 6) } });
 * const gp = fitGP([[0], [0.3], [0.9]], [1, 0, 2], { kernel }); // MAP fit
 * ```
 */
export function gammaPrior(concentration: number, rate: number): Prior {
  const a = positive('gammaPrior', 'concentration', concentration);
  const b = positive('gammaPrior', 'rate', rate);
  const c = a * Math.log(b) - logGamma(a);
  return {
    kind: `gamma(${a}, ${b})`,
    logProb: (v) => sum(sub(add(mul(log(v), a - 1), c), mul(v, b))),
    sample: (rng) => sampleGamma(rng, a) / b,
  };
}

/**
 * LogNormal(μ, σ) on the value: log v ~ N(μ, σ²).
 *
 * GPyTorch's `LogNormalPrior(loc, scale)`; a common noise or lengthscale prior (BoTorch's dimension-scaled
 * lengthscale prior is log-normal).
 *
 * @param loc - mean μ of log v.
 * @param scale - std σ > 0 of log v.
 * @returns The prior.
 * @throws {ValueError} for a non-positive scale.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { logNormalPrior } from '@difflab/bayes';
 * logNormalPrior(0, 1).logProb(tensor([1], { dtype: 'float64' })); // tensor(-0.9189) = -log √(2π)
 * ```
 */
export function logNormalPrior(loc: number, scale: number): Prior {
  const s = positive('logNormalPrior', 'scale', scale);
  if (!Number.isFinite(loc)) throw new ValueError(`logNormalPrior: loc must be finite, got ${loc}`);
  const c = -Math.log(s) - 0.5 * Math.log(2 * Math.PI);
  return {
    kind: `logNormal(${loc}, ${s})`,
    logProb: (v) => {
      const lv = log(v);
      return sum(sub(add(mul(square(sub(lv, loc)), -0.5 / (s * s)), c), lv));
    },
    sample: (rng) => Math.exp(loc + s * rng.normal()),
  };
}

/**
 * Normal(μ, σ) on the value (useful for values far from zero).
 *
 * GPyTorch's `NormalPrior(loc, scale)`.
 *
 * @param loc - mean μ.
 * @param scale - std σ > 0.
 * @returns The prior.
 * @throws {ValueError} for a non-positive scale.
 *
 * @example
 * ```ts
 * import { rbf, normalPrior } from '@difflab/bayes';
 * const k = rbf({ variance: { value: 4, prior: normalPrior(4, 0.5) } });
 * ```
 */
export function normalPrior(loc: number, scale: number): Prior {
  const s = positive('normalPrior', 'scale', scale);
  const c = -Math.log(s) - 0.5 * Math.log(2 * Math.PI);
  return {
    kind: `normal(${loc}, ${s})`,
    logProb: (v) => sum(add(mul(square(sub(v, loc)), -0.5 / (s * s)), c)),
    sample: (rng) => Math.abs(loc + s * rng.normal()),
  };
}

/**
 * Half-Cauchy(scale): p(v) = 2 / (π s (1 + (v/s)²)) for v > 0.
 *
 * GPyTorch's `HalfCauchyPrior(scale)`; a weakly informative prior for variances.
 *
 * @param scale - scale s > 0.
 * @returns The prior.
 * @throws {ValueError} for a non-positive scale.
 *
 * @example
 * ```ts
 * import { fitGP, halfCauchyPrior } from '@difflab/bayes';
 * const gp = fitGP([[0], [1], [2]], [0, 1, 0], { noise: { value: 0.01, prior: halfCauchyPrior(0.1) } });
 * ```
 */
export function halfCauchyPrior(scale: number): Prior {
  const s = positive('halfCauchyPrior', 'scale', scale);
  const c = Math.log(2 / (Math.PI * s));
  return {
    kind: `halfCauchy(${s})`,
    logProb: (v) => sum(sub(c, log1p(square(mul(v, 1 / s))))),
    sample: (rng) => Math.abs(s * Math.tan(Math.PI * (rng.uniform() - 0.5))),
  };
}

/** Marsaglia–Tsang gamma sampler with unit rate. */
function sampleGamma(rng: Rng, a: number): number {
  if (a < 1) return sampleGamma(rng, a + 1) * Math.pow(rng.uniform() || Number.MIN_VALUE, 1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
