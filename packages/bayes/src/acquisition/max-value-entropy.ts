import { ValueError, clamp, div, expandDims, fromTypedArray, mean, mul, sqrt, sub } from '@difflab/tensor';
import type { InputLike } from '../gp/data.js';
import type { Surrogate } from '../gp/surrogate.js';
import { invMills, logNormCdf } from '../ops/normal.js';
import { logNormCdf as logNormCdfHost } from '../internal/special.js';
import { asBatch, makeAcquisition, marginal, observedTargets, type AcquisitionFunction } from './types.js';

/**
 * Options of {@link maxValueEntropy}.
 *
 * @example
 * ```ts
 * import { sobol, type MaxValueEntropyOptions } from '@difflab/bayes';
 * const opts: MaxValueEntropyOptions = { candidates: sobol(256, 3, { seed: 1 }), samples: 16 };
 * ```
 */
export interface MaxValueEntropyOptions {
  /** Points `[M, d]` on which the distribution of the maximum max f is approximated. */
  candidates: InputLike;
  /** Number of max-value samples y*. Default 16. */
  samples?: number;
  /** Maximize (default) or minimize the objective. */
  maximize?: boolean;
}

/**
 * Max-value entropy search (Wang & Jegelka 2017): the expected reduction of the entropy of the
 * maximum value, `MES(x) = mean_k [γ_k φ(γ_k)/(2Φ(γ_k)) − log Φ(γ_k)]`, `γ_k = (y*_k − μ(x))/σ(x)`.
 * The y*_k are quantiles of the Gumbel approximation to `P(max f ≤ y) ≈ Π_{c} Φ((y − μ(c))/σ(c))`
 * over `candidates` (deterministic, so MES is a smooth function of x), floored just above the best
 * observation. φ/Φ and log Φ are evaluated stably for large γ.
 *
 * BoTorch's `qMaxValueEntropy` (q = 1) with Gumbel max-value samples.
 *
 * @param model - any surrogate with `predict`.
 * @param opts - candidate set, number of max-value samples and direction.
 * @returns An acquisition over `[b, 1, d]` (or `[b, d]`) candidates.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, maxValueEntropy, sobol } from '@difflab/bayes';
 * const gp = fitGP([[0.1], [0.5], [0.9]], [1.0, 0.2, 0.7]);
 * const mes = maxValueEntropy(gp, { candidates: sobol(64, 1, { seed: 0 }), maximize: false });
 * mes(tensor([[0.3], [0.5]], { dtype: 'float64' })); // [2]
 * ```
 */
export function maxValueEntropy(model: Surrogate, opts: MaxValueEntropyOptions): AcquisitionFunction {
  const maximize = opts.maximize !== false;
  const K = opts.samples ?? 16;
  if (!Number.isInteger(K) || K < 1)
    throw new ValueError(`maxValueEntropy: samples must be a positive integer, got ${K}`);
  const ystar = maxValueSamples(model, opts.candidates, K, maximize);
  const ys = fromTypedArray(ystar, [K], { dtype: 'float64' });
  return makeAcquisition('mes', 1, (X) => {
    const x = asBatch('maxValueEntropy', X, model.dim, 1);
    const { mean: mu, variance } = marginal(model, x, maximize);
    const sigma = sqrt(clamp(variance, 1e-12));
    const gamma = div(sub(expandDims(ys, 0), expandDims(mu, -1)), expandDims(sigma, -1)); // [b, K]
    return mean(sub(mul(mul(gamma, invMills(gamma)), 0.5), logNormCdf(gamma)), -1);
  });
}

/**
 * Gumbel-approximation quantiles of max f over the candidates (maximization scale).
 *
 * @param model - any surrogate with `predict`.
 * @param candidates - points `[M, d]` approximating the domain.
 * @param K - number of samples.
 * @param maximize - maximization (default) or minimization scale.
 * @returns `K` sorted values y* on the maximization scale (negated values when minimizing).
 *
 * @example
 * ```ts
 * import { fitGP, maxValueSamples, sobol } from '@difflab/bayes';
 * const gp = fitGP([[0.1], [0.5], [0.9]], [1.0, 0.2, 0.7]);
 * const ystar = maxValueSamples(gp, sobol(64, 1, { seed: 0 }), 8); // Float64Array(8), each ≥ max y ≈ 1
 * ```
 */
export function maxValueSamples(model: Surrogate, candidates: InputLike, K: number, maximize = true): Float64Array {
  const { mean: mt, variance: vt } = model.predict(candidates);
  const mu = Float64Array.from(mt.dataSync(), (v) => (maximize ? v : -v));
  const sd = Float64Array.from(vt.dataSync(), (v) => Math.sqrt(Math.max(v, 1e-12)));
  const y = observedTargets(model);
  let floor = -Infinity;
  if (y) for (const v of y) floor = Math.max(floor, maximize ? v : -v);
  let muMax = -Infinity;
  let sdMax = 0;
  for (let i = 0; i < mu.length; i++) {
    muMax = Math.max(muMax, mu[i]!);
    sdMax = Math.max(sdMax, sd[i]!);
  }
  const logCdf = (t: number) => {
    let s = 0;
    for (let i = 0; i < mu.length; i++) s += logNormCdfHost((t - mu[i]!) / sd[i]!);
    return s;
  };
  // Bisection for the quantiles of P(max ≤ y) = exp(logCdf(y)).
  const quantile = (p: number) => {
    let lo = Math.max(muMax - 5 * sdMax, Number.isFinite(floor) ? floor - 5 * sdMax : -Infinity);
    if (!Number.isFinite(lo)) lo = muMax - 5 * sdMax - 1;
    let hi = muMax + 10 * sdMax + 1e-9;
    const target = Math.log(p);
    for (let i = 0; i < 100; i++) {
      const mid = 0.5 * (lo + hi);
      if (logCdf(mid) < target) lo = mid;
      else hi = mid;
    }
    return 0.5 * (lo + hi);
  };
  const q25 = quantile(0.25);
  const q50 = quantile(0.5);
  const q75 = quantile(0.75);
  const beta = Math.max((q75 - q25) / (Math.log(Math.log(4)) - Math.log(Math.log(4 / 3))), 1e-9);
  const loc = q50 + beta * Math.log(Math.log(2));
  const out = new Float64Array(K);
  const eps = 1e-6 * Math.max(1, sdMax);
  for (let k = 0; k < K; k++) {
    const u = (k + 0.5) / K;
    const v = loc - beta * Math.log(-Math.log(u));
    out[k] = Number.isFinite(floor) ? Math.max(v, floor + eps) : v;
  }
  return out;
}
