import {
  LinAlgError,
  ShapeError,
  ValueError,
  abs,
  add,
  broadcastTo,
  concat,
  expandDims,
  fmtShape,
  fromTypedArray,
  linalg,
  matmul,
  max,
  mean,
  mul,
  neg,
  relu,
  slice,
  sub,
  swapAxes,
  type Tensor,
} from '@difflab/tensor';
import { createRng } from '@difflab/optim';
import type { InputLike } from '../gp/data.js';
import type { Surrogate } from '../gp/surrogate.js';
import { normIcdf } from '../internal/special.js';
import { asBatch, incumbent, makeAcquisition, type AcquisitionFunction, type ImprovementOptions } from './types.js';

/**
 * Sampling options of the Monte-Carlo acquisitions.
 *
 * @example
 * ```ts
 * import type { MCOptions } from '@difflab/bayes';
 * const opts: MCOptions = { samples: 512, seed: 1, qmc: true };
 * ```
 */
export interface MCOptions {
  /** Number of Monte-Carlo samples. Default 256. */
  samples?: number;
  /** Seed of the fixed base samples (the acquisition is deterministic given the seed). Default 0. */
  seed?: number;
  /** Quasi-random base samples: Φ⁻¹ of a randomly shifted lattice instead of i.i.d. normals. Default false. */
  qmc?: boolean;
  /** Maximize (default) or minimize the objective. */
  maximize?: boolean;
}

/**
 * Fixed standard-normal base samples `[samples, dim]`, one matrix per joint dimension, reused on
 * every call: the MC acquisition is then a deterministic, differentiable function of X (the
 * reparameterization trick of Wilson et al. 2018 / BoTorch's "sample average approximation").
 *
 * BoTorch's `SobolQMCNormalSampler` / `IIDNormalSampler` with fixed base samples.
 *
 * @param opts - number of samples, seed and whether to use QMC.
 * @returns A function `dim => [samples, dim]` (cached per dim).
 *
 * @example
 * ```ts
 * import { baseSampler } from '@difflab/bayes';
 * const base = baseSampler({ samples: 128, seed: 0 });
 * base(3).shape; // [128, 3]
 * base(3) === base(3); // true: the same samples on every call
 * ```
 */
export function baseSampler(opts: MCOptions): (dim: number) => Tensor {
  const samples = opts.samples ?? 256;
  if (!Number.isInteger(samples) || samples < 1)
    throw new ValueError(`MC acquisition: samples must be a positive integer, got ${samples}`);
  const cache = new Map<number, Tensor>();
  return (dim: number) => {
    let z = cache.get(dim);
    if (!z) {
      const rng = createRng(opts.seed ?? 0, dim, 104729);
      const data = new Float64Array(samples * dim);
      if (opts.qmc) {
        // Randomly shifted rank-1 lattice per column with a random permutation of rows per column.
        for (let j = 0; j < dim; j++) {
          const shift = rng.uniform();
          const perm = Array.from({ length: samples }, (_, i) => i);
          for (let i = samples - 1; i > 0; i--) {
            const k = rng.int(i + 1);
            [perm[i], perm[k]] = [perm[k]!, perm[i]!];
          }
          for (let i = 0; i < samples; i++) data[perm[i]! * dim + j] = normIcdf((i + shift) / samples);
        }
      } else for (let i = 0; i < data.length; i++) data[i] = rng.normal();
      z = fromTypedArray(data, [samples, dim], { dtype: 'float64' });
      cache.set(dim, z);
    }
    return z;
  };
}

/**
 * Reparameterized joint posterior samples `[b, S, q]` at `x: [b, q, d]`:
 * `f = μ + L z`, `L = chol(Σ + jitter)`, on the maximization scale.
 */
export function jointSamples(
  op: string,
  model: Surrogate,
  x: Tensor,
  base: (dim: number) => Tensor,
  maximize: boolean,
): { samples: Tensor; mean: Tensor } {
  if (!model.predictJoint)
    throw new ValueError(`${op}: the model has no joint posterior (predictJoint); use an analytic acquisition`);
  const { mean, covariance } = model.predictJoint(x as InputLike);
  const q = x.shape[x.ndim - 2]!;
  const L = choleskyJittered(op, covariance, q);
  const z = base(q); // [S, q]
  const f = add(expandDims(mean, -2), matmul(z, swapAxes(L, -1, -2))); // [b, S, q]
  return maximize ? { samples: f, mean } : { samples: neg(f), mean: neg(mean) };
}

function choleskyJittered(op: string, cov: Tensor, q: number): Tensor {
  const diag = cov.dataSync();
  let scale = 0;
  const count = diag.length / (q * q);
  for (let b = 0; b < count; b++)
    for (let i = 0; i < q; i++) scale = Math.max(scale, Math.abs(diag[b * q * q + i * q + i]!));
  const eyeData = new Float64Array(q * q);
  for (let i = 0; i < q; i++) eyeData[i * q + i] = 1;
  const I = fromTypedArray(eyeData, [q, q], { dtype: 'float64' });
  for (let t = 0; t < 8; t++) {
    const jitter = (scale || 1) * 1e-10 * 10 ** t;
    try {
      return linalg.cholesky(add(cov, mul(I, jitter)));
    } catch (e) {
      if (!(e instanceof LinAlgError)) throw e;
    }
  }
  throw new LinAlgError(
    `${op}: joint posterior covariance of shape ${fmtShape(cov.shape)} is not positive semi-definite`,
  );
}

/**
 * Monte-Carlo batch expected improvement `E[max_j max(f(x_j) − best, 0)]` for q candidates
 * evaluated together (Ginsbourger et al. 2010; reparameterized as in BoTorch's qEI).
 *
 * @param model - a surrogate with `predictJoint` (a {@link GaussianProcess}).
 * @param opts - sampling, incumbent, direction and the largest q.
 * @returns An acquisition over `[b, q, d]` candidate batches.
 *
 * @example
 * ```ts
 * import { fitGP, qExpectedImprovement, optimizeAcquisition } from '@difflab/bayes';
 * const gp = fitGP([[0.1], [0.5], [0.9]], [1.0, 0.2, 0.7]);
 * const qei = qExpectedImprovement(gp, { maximize: false, samples: 128 });
 * const { x } = optimizeAcquisition(qei, { bounds: [[0, 1]], q: 2, restarts: 2, rawSamples: 64, steps: 20 });
 * x.length; // 2 points to evaluate in parallel
 * ```
 */
export function qExpectedImprovement(
  model: Surrogate,
  opts: MCOptions & ImprovementOptions & { maxQ?: number } = {},
): AcquisitionFunction {
  const base = baseSampler(opts);
  const maximize = opts.maximize !== false;
  return makeAcquisition('qEi', opts.maxQ ?? 64, (X) => {
    const x = asBatch('qExpectedImprovement', X, model.dim, opts.maxQ ?? 64);
    const best = incumbent('qExpectedImprovement', model, opts);
    const f = jointSamples('qExpectedImprovement', model, x, base, maximize).samples;
    return mean(max(relu(sub(f, best)), -1), -1);
  });
}

/**
 * Options of {@link qNoisyExpectedImprovement} and {@link noisyExpectedImprovement}.
 *
 * @example
 * ```ts
 * import type { NEIOptions } from '@difflab/bayes';
 * const opts: NEIOptions = { samples: 256, baseline: [[0.1], [0.5]], maximize: false };
 * ```
 */
export interface NEIOptions extends MCOptions {
  /** Previously evaluated inputs `[n, d]` whose (noisy) values define the incumbent. Default: the GP's training inputs. */
  baseline?: InputLike;
  /** Largest q the acquisition accepts. Default 64. */
  maxQ?: number;
}

function baselineOf(op: string, model: Surrogate, baseline: InputLike | undefined): Tensor {
  let b: Tensor;
  if (baseline === undefined) {
    const X = (model as { X?: { data: Float64Array; rows: number; cols: number } }).X;
    if (!X) throw new ValueError(`${op}: pass {baseline} for a model without training inputs`);
    b = fromTypedArray(X.data, [X.rows, X.cols], { dtype: 'float64' });
  } else if (Array.isArray(baseline))
    b = fromTypedArray(Float64Array.from((baseline as number[][]).flat()), [baseline.length, model.dim], {
      dtype: 'float64',
    });
  else b = (baseline as Tensor).astype('float64');
  if (b.ndim !== 2 || b.shape[1] !== model.dim)
    throw new ShapeError(`${op}: baseline of shape ${fmtShape(b.shape)} needs [n, ${model.dim}]`);
  return b;
}

/**
 * Monte-Carlo noisy expected improvement (Letham et al. 2019; BoTorch's qNEI): the improvement of
 * the best of q candidates over the best *latent* value at the baseline points, sampled jointly,
 * so noisy observations never set an over-optimistic incumbent.
 *
 * @param model - a surrogate with `predictJoint`.
 * @param opts - sampling, baseline, direction and the largest q.
 * @returns An acquisition over `[b, q, d]` candidate batches.
 * @throws {ValueError} when no baseline is given and the model has no training inputs.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, qNoisyExpectedImprovement } from '@difflab/bayes';
 * const gp = fitGP([[0.1], [0.5], [0.9]], [1.0, 0.25, 0.7]); // noisy observations
 * const qnei = qNoisyExpectedImprovement(gp, { maximize: false, samples: 128 });
 * qnei(tensor([[[0.4], [0.6]]], { dtype: 'float64' })); // one batch of q = 2 → tensor([value])
 * ```
 */
export function qNoisyExpectedImprovement(model: Surrogate, opts: NEIOptions = {}): AcquisitionFunction {
  const base = baseSampler(opts);
  const maximize = opts.maximize !== false;
  const baseline = baselineOf('qNoisyExpectedImprovement', model, opts.baseline);
  const nb = baseline.shape[0]!;
  const maxQ = opts.maxQ ?? 64;
  return makeAcquisition('qNei', maxQ, (X) => {
    const x = asBatch('qNoisyExpectedImprovement', X, model.dim, maxQ);
    const b = x.shape[0]!;
    const all = concat([broadcastTo(expandDims(baseline, 0), [b, nb, model.dim]), x], 1);
    const f = jointSamples('qNoisyExpectedImprovement', model, all, base, maximize).samples; // [b, S, nb + q]
    const fb = max(slice(f, null, null, `0:${nb}`), -1);
    const fq = max(slice(f, null, null, `${nb}:`), -1);
    return mean(relu(sub(fq, fb)), -1);
  });
}

/**
 * Noisy expected improvement of a single candidate: {@link qNoisyExpectedImprovement} with q = 1.
 *
 * @param model - a surrogate with `predictJoint`.
 * @param opts - sampling, baseline and direction.
 * @returns An acquisition over `[b, 1, d]` (or `[b, d]`) candidates.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, noisyExpectedImprovement } from '@difflab/bayes';
 * const gp = fitGP([[0.1], [0.5], [0.9]], [1.0, 0.25, 0.7]);
 * const nei = noisyExpectedImprovement(gp, { maximize: false });
 * nei(tensor([[0.45], [0.9]], { dtype: 'float64' })); // [2]
 * ```
 */
export function noisyExpectedImprovement(model: Surrogate, opts: NEIOptions = {}): AcquisitionFunction {
  const inner = qNoisyExpectedImprovement(model, { ...opts, maxQ: 1 });
  return makeAcquisition('nei', 1, inner);
}

/**
 * Options of {@link qUpperConfidenceBound}.
 *
 * @example
 * ```ts
 * import type { QUCBOptions } from '@difflab/bayes';
 * const opts: QUCBOptions = { beta: 0.2, samples: 256, maxQ: 4 };
 * ```
 */
export interface QUCBOptions extends MCOptions {
  /** Exploration weight β. Default 2. */
  beta?: number;
  /** Largest q the acquisition accepts. Default 64. */
  maxQ?: number;
}

/**
 * Monte-Carlo batch UCB (Wilson et al. 2017, BoTorch's qUCB):
 * `E[max_j μ_j + √(βπ/2) |f_j − μ_j|]`, which equals μ + √β σ for q = 1.
 *
 * @param model - a surrogate with `predictJoint`.
 * @param opts - β, sampling, direction and the largest q.
 * @returns An acquisition over `[b, q, d]` candidate batches.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, qUpperConfidenceBound } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 0.5, 1]);
 * const qucb = qUpperConfidenceBound(gp, { beta: 2, samples: 512 });
 * qucb(tensor([[[0.5], [2]]], { dtype: 'float64' })); // one q = 2 batch
 * ```
 */
export function qUpperConfidenceBound(model: Surrogate, opts: QUCBOptions = {}): AcquisitionFunction {
  const base = baseSampler(opts);
  const maximize = opts.maximize !== false;
  const beta = opts.beta ?? 2;
  if (!(beta >= 0)) throw new ValueError(`qUpperConfidenceBound: beta must be >= 0, got ${beta}`);
  const c = Math.sqrt((beta * Math.PI) / 2);
  return makeAcquisition('qUcb', opts.maxQ ?? 64, (X) => {
    const x = asBatch('qUpperConfidenceBound', X, model.dim, opts.maxQ ?? 64);
    const { samples, mean: m } = jointSamples('qUpperConfidenceBound', model, x, base, maximize);
    const mu = expandDims(m, -2);
    return mean(max(add(mu, mul(abs(sub(samples, mu)), c)), -1), -1);
  });
}
