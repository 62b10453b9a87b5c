import { ValueError, add, cos, fromTypedArray, matmul, mul, squeeze, type Tensor } from '@difflab/tensor';
import { createRng } from '@difflab/optim';
import type { GaussianProcess } from '../gp/gp.js';
import type { InputLike } from '../gp/data.js';
import { choSolve } from '../internal/host-la.js';
import { selectDims } from '../kernels/stationary.js';
import { asBatch, makeAcquisition, type AcquisitionFunction } from './types.js';

export interface ThompsonOptions {
  /** Random Fourier features per stationary kernel term. Default 1024. */
  features?: number;
  seed?: number;
  maximize?: boolean;
}

/** A posterior sample path: `[..., m, d]` inputs (original units) → `[..., m]` values of y's units. */
export type SamplePath = (X: InputLike) => Tensor;

/**
 * Draws one posterior function sample by pathwise conditioning (Wilson et al. 2020):
 * `f(x) = φ(x)ᵀw + k(x, X)(K + σ²I)⁻¹(y − Φw − ε)`, with a random-Fourier-feature prior sample
 * `φ(x)ᵀw` (Rahimi & Recht 2007; spectral densities: Gaussian for RBF, Student-t with 2ν degrees
 * of freedom for Matérn ν) and ε ~ N(0, σ²I). The path is a deterministic, differentiable
 * function, so it can be maximized by gradient ascent like any acquisition.
 *
 * @throws {ValueError} when the kernel is not a (sum of) RBF/Matérn kernel(s).
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

/** Thompson sampling as an acquisition: the value of one posterior sample path (negated when minimizing). */
export function thompsonSampling(gp: GaussianProcess, opts: ThompsonOptions = {}): AcquisitionFunction {
  const path = samplePath(gp, opts);
  const sign = opts.maximize === false ? -1 : 1;
  return makeAcquisition('thompson', 1, (X) => mul(squeeze(path(asBatch('thompsonSampling', X, gp.dim, 1)), -1), sign));
}
