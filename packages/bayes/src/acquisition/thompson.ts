import { ValueError, add, cos, fromTypedArray, matmul, mul, squeeze, type Tensor } from '@difflab/tensor';
import { createRng } from '@difflab/optim';
import type { GaussianProcess } from '../gp/gp.js';
import type { InputLike } from '../gp/data.js';
import { choSolve } from '../internal/host-la.js';
import { selectDims } from '../kernels/stationary.js';
import { asBatch, makeAcquisition, type AcquisitionFunction } from './types.js';

/**
 * Options of {@link samplePath} and {@link thompsonSampling}.
 *
 * @example
 * ```ts
 * import type { ThompsonOptions } from '@difflab/bayes';
 * const opts: ThompsonOptions = { features: 2048, seed: 3, maximize: false };
 * ```
 */
export interface ThompsonOptions {
  /** Random Fourier features per stationary kernel term. Default 1024. */
  features?: number;
  /** Seed of the randomness. Default 0. */
  seed?: number;
  /** Maximize (default) or minimize the objective. */
  maximize?: boolean;
}

/**
 * A posterior sample path: `[..., m, d]` inputs (original units) → `[..., m]` values of y's units.
 *
 * @example
 * ```ts
 * import { linspace, reshape } from '@difflab/tensor';
 * import { fitGP, samplePath, type SamplePath } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 1, 0], { noise: 1e-4 });
 * const f: SamplePath = samplePath(gp, { seed: 0 });
 * f(reshape(linspace(0, 1, 5, { dtype: 'float64' }), [5, 1])); // [5]: one smooth draw through ≈ the data
 * ```
 */
export type SamplePath = (X: InputLike) => Tensor;

/**
 * Draws one posterior function sample by pathwise conditioning (Wilson et al. 2020):
 * `f(x) = φ(x)ᵀw + k(x, X)(K + σ²I)⁻¹(y − Φw − ε)`, with a random-Fourier-feature prior sample
 * `φ(x)ᵀw` (Rahimi & Recht 2007; spectral densities: Gaussian for RBF, Student-t with 2ν degrees
 * of freedom for Matérn ν) and ε ~ N(0, σ²I). The path is a deterministic, differentiable
 * function, so it can be maximized by gradient ascent like any acquisition.
 *
 * BoTorch's `get_matheron_path_model` / `draw_matheron_paths`.
 *
 * @throws {ValueError} when the kernel is not a (sum of) RBF/Matérn kernel(s).
 *
 * @param gp - a GP whose kernel is RBF, Matérn or a sum of those.
 * @param opts - number of features, seed and direction.
 * @returns A deterministic, differentiable sample function.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, samplePath } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 1, 0]);
 * const f = samplePath(gp, { seed: 1 });
 * f(tensor([[0.25], [0.75]], { dtype: 'float64' })); // the same draw at any inputs: evaluate it anywhere
 * ```
 */
export function samplePath(gp: GaussianProcess, opts: ThompsonOptions = {}): SamplePath {
  const F = opts.features ?? 1024;
  if (!Number.isInteger(F) || F < 1) throw new ValueError(`samplePath: features must be a positive integer, got ${F}`);
  const { Xn, yn, h, L, noise } = gp.internals();
  const terms = gp.kernel.spectral?.(h);
  if (!terms)
    throw new ValueError(
      `samplePath: kernel '${gp.kernel.kind}' has no spectral density; use RBF/Matérn kernels (or their sums)`,
    );
  const rng = createRng(opts.seed ?? 0, 0x7b5);
  const normal = () => rng.normal();
  const chi2 = (dof: number) => {
    let s = 0;
    for (let i = 0; i < dof; i++) s += rng.normal() ** 2;
    return s;
  };
  const d = gp.dim;
  const parts = terms.map((t) => {
    const dims = t.dims ?? Array.from({ length: d }, (_, i) => i);
    const D = dims.length;
    const W = new Float64Array(D * F);
    const b = new Float64Array(F);
    for (let i = 0; i < F; i++) {
      const w = t.sampleFrequency(D, normal, chi2);
      for (let j = 0; j < D; j++)
        W[j * F + i] = w[j]! / (t.lengthscale.length === 1 ? t.lengthscale[0]! : t.lengthscale[j]!);
      b[i] = 2 * Math.PI * rng.uniform();
    }
    const weights = new Float64Array(F);
    for (let i = 0; i < F; i++) weights[i] = rng.normal();
    return {
      dims: t.dims,
      W: fromTypedArray(W, [D, F], { dtype: 'float64' }),
      b: fromTypedArray(b, [F], { dtype: 'float64' }),
      scale: Math.sqrt((2 * t.variance) / F),
      w: fromTypedArray(weights, [F, 1], { dtype: 'float64' }),
    };
  });
  const prior = (xn: Tensor) =>
    parts
      .map((p) =>
        squeeze(
          matmul(mul(cos(add(matmul(selectDims('samplePath', xn, p.dims ?? undefined), p.W), p.b)), p.scale), p.w),
          -1,
        ),
      )
      .reduce((acc, v) => add(acc, v));
  const n = yn.length;
  const fX = prior(Xn).dataSync();
  const r = new Float64Array(n);
  const sd = Math.sqrt(noise);
  for (let i = 0; i < n; i++) r[i] = yn[i]! - fX[i]! - sd * rng.normal();
  const v = fromTypedArray(choSolve(L, n, r), [n, 1], { dtype: 'float64' });
  const o = gp.outputTransform;
  return (X: InputLike) => {
    const xn = gp.normalize(X);
    const f = add(prior(xn), squeeze(matmul(gp.kernel.cov(xn, Xn, h), v), -1));
    return o ? add(mul(f, o.std), o.mean) : f;
  };
}

/**
 * Thompson sampling as an acquisition: the value of one posterior sample path (negated when minimizing).
 *
 * Maximizing it with {@link optimizeAcquisition} gives a Thompson-sampling proposal; a fresh `seed`
 * per round gives a fresh sample.
 *
 * @param gp - a GP whose kernel is RBF, Matérn or a sum of those.
 * @param opts - number of features, seed and direction.
 * @returns An acquisition over `[b, 1, d]` (or `[b, d]`) candidates.
 *
 * @example
 * ```ts
 * import { fitGP, thompsonSampling, optimizeAcquisition } from '@difflab/bayes';
 * const gp = fitGP([[0.1], [0.5], [0.9]], [1.0, 0.2, 0.7]);
 * const ts = thompsonSampling(gp, { seed: 7, maximize: false });
 * const { x } = optimizeAcquisition(ts, { bounds: [[0, 1]], restarts: 2, rawSamples: 64 });
 * ```
 */
export function thompsonSampling(gp: GaussianProcess, opts: ThompsonOptions = {}): AcquisitionFunction {
  const path = samplePath(gp, opts);
  const sign = opts.maximize === false ? -1 : 1;
  return makeAcquisition('thompson', 1, (X) => mul(squeeze(path(asBatch('thompsonSampling', X, gp.dim, 1)), -1), sign));
}
