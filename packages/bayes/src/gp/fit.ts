import { LinAlgError, ValueError, add, eye, fromTypedArray, mul, type Tensor } from '@difflab/tensor';
import { createRng, lbfgs } from '@difflab/optim';
import { resolveHyper, type HyperOption, type HyperSpec, type HyperSpecs, type HyperValues } from '../kernels/hyper.js';
import type { Kernel } from '../kernels/kernel.js';
import { matern52 } from '../kernels/stationary.js';
import { gaussLogLik } from '../ops/gauss-loglik.js';
import {
  applyInput,
  fitInputTransform,
  fitOutputTransform,
  matrixTensor,
  toMatrix,
  toVector,
  type InputLike,
  type TargetLike,
} from './data.js';
import { GaussianProcess } from './gp.js';
import { layoutOf, randomStart, toConstrained, toUnconstrained, valuesOf, type ParamLayout } from './params.js';

/**
 * Options of {@link fitGP}; the defaults follow scikit-learn's `GaussianProcessRegressor` with
 * `normalize_y=True` and BoTorch's Matérn-5/2 ARD kernel.
 *
 * @example
 * ```ts
 * import { matern52, gammaPrior, type FitGPOptions } from '@difflab/bayes';
 * const opts: FitGPOptions = {
 *   kernel: matern52({ ard: true, lengthscale: { value: 0.5, prior: gammaPrior(3, 6) } }),
 *   noise: { value: 1e-3, bounds: [1e-6, 1e-1] },
 *   restarts: 4,
 *   normalizeInputs: { lower: [0, 0], upper: [10, 5] },
 *   seed: 1,
 * };
 * ```
 */
export interface FitGPOptions {
  /** Covariance function. Default `matern52({ard: true})`. */
  kernel?: Kernel;
  /**
   * Gaussian observation-noise variance, in the model's internal units (those of the standardized
   * targets when `standardize` is on). A number fixes it; an object `{value, bounds, fixed, prior}`
   * configures the learned noise. Default: learned, initial 1e-2, bounds [1e-6, 1e5].
   */
  noise?: HyperOption;
  /** Fit hyperparameters by maximizing the log marginal likelihood (plus log priors). Default true. */
  fit?: boolean;
  /** Seed of the random restarts. Default 0. */
  seed?: number;
  /** Random restarts besides the initial hyperparameters. Default 2. */
  restarts?: number;
  /** L-BFGS iterations per start. Default 200. */
  maxIter?: number;
  /**
   * Map inputs affinely to [0, 1]^d before the kernel: `true` uses the data's min/max per column,
   * `{lower, upper}` uses given bounds. Lengthscales are then relative to that box. Default false.
   */
  normalizeInputs?:
    | boolean
    | {
        /** Lower end of the box per column. */
        lower: readonly number[];
        /** Upper end of the box per column. */
        upper: readonly number[];
      };
  /** Subtract the mean and divide by the (population) std of y. Default true. */
  standardize?: boolean;
  /** Start the fit from these hyperparameter values (e.g. the previous fit in a BO loop). */
  warmStart?: HyperValues;
}

/**
 * Result of the marginal-likelihood fit, attached to the GP for diagnostics.
 *
 * @example
 * ```ts
 * import { fitGP, type FitReport } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 1, 0], { restarts: 2 });
 * const r: FitReport | undefined = gp.fitReport;
 * r?.losses.length; // 3: the initial values plus 2 restarts
 * ```
 */
export interface FitReport {
  /** Negative log marginal likelihood (+ negative log prior) per observation at each start's end. */
  losses: number[];
  /** Index of the start that won. */
  best: number;
  /** Function evaluations over all starts. */
  evaluations: number;
}

const NOISE_DEFAULT = { value: 1e-2, bounds: [1e-6, 1e5] as const };

function fixedNoise(op: string, noise: number): HyperSpec {
  if (!(noise >= 0) || !Number.isFinite(noise))
    throw new ValueError(`${op}: noise must be a finite number >= 0, got ${noise}`);
  return { value: Float64Array.of(noise), bounds: [noise, noise], fixed: true };
}

/**
 * Fits an exact GP regression model `y = f(x) + ε`, `f ~ GP(0, k)`, `ε ~ N(0, σ²)`, in float64.
 * Hyperparameters (kernel + noise) maximize the exact log marginal likelihood (MAP when priors are
 * given) with L-BFGS and strong-Wolfe line search from `@difflab/optim`, from the initial values and
 * `restarts` random starts; gradients come from autodiff through the kernel and the closed-form
 * adjoint of the Cholesky-based Gaussian log density. Non-positive-definite kernel matrices are
 * handled by jitter escalation.
 *
 * scikit-learn's `GaussianProcessRegressor(...).fit(X, y)` and BoTorch's `SingleTaskGP` +
 * `fit_gpytorch_mll` in one call; the fitted hyperparameters match scikit-learn's to optimizer
 * tolerance.
 *
 * @param X - inputs `[n, d]` (tensor or nested arrays).
 * @param y - targets `[n]`.
 * @param opts - see {@link FitGPOptions}.
 * @returns The fitted {@link GaussianProcess}, with `fitReport` when hyperparameters were fitted.
 * @throws {ValueError} for empty data, non-finite values or bad options.
 * @throws {ShapeError} for mismatched shapes.
 *
 * @example
 * ```ts
 * import { fitGP, rbf } from '@difflab/bayes';
 * const X = [[0], [0.25], [0.5], [0.75], [1]];
 * const y = X.map(([x]) => Math.sin(3 * x!));
 * const gp = fitGP(X, y, { kernel: rbf(), noise: 1e-6 });
 * const { mean, variance } = gp.predict([[0.6]]);
 * mean.item(); // 0.974 ≈ sin(1.8) = 0.9738
 * gp.logMarginalLikelihood(); // a number; larger is a better fit
 * ```
 */
export function fitGP(
  X: InputLike,
  y: TargetLike,
  opts: FitGPOptions = {},
): GaussianProcess & {
  /** Diagnostics of the hyperparameter fit (absent with `fit: false`). */
  fitReport?: FitReport;
} {
  const op = 'fitGP';
  const Xm = toMatrix(op, X);
  if (Xm.rows < 1) throw new ValueError(`${op}: needs at least one observation`);
  if (Xm.cols < 1) throw new ValueError(`${op}: inputs need at least one column`);
  const yv = toVector(op, y, Xm.rows);
  const kernel = opts.kernel ?? matern52({ ard: true });
  const inTf = opts.normalizeInputs
    ? fitInputTransform(op, Xm, typeof opts.normalizeInputs === 'object' ? opts.normalizeInputs : undefined)
    : null;
  const outTf = opts.standardize === false ? null : fitOutputTransform(yv);
  const Xn = applyInput(Xm, inTf);
  const yn = outTf ? yv.map((v) => (v - outTf.mean) / outTf.std) : yv;
  const specs: HyperSpecs = {
    ...kernel.hypers(Xm.cols),
    noise:
      typeof opts.noise === 'number'
        ? fixedNoise(op, opts.noise)
        : resolveHyper(op, 'noise', opts.noise, NOISE_DEFAULT, 1),
  };
  const layout = layoutOf(specs);
  const initial: Record<string, Float64Array> = {};
  for (const name of layout.names) initial[name] = Float64Array.from(specs[name]!.value);
  if (opts.warmStart)
    for (const [k, v] of Object.entries(opts.warmStart)) {
      const s = specs[k];
      if (s && !s.fixed && v.length === s.value.length)
        initial[k] = Float64Array.from(v, (x, j) =>
          Math.min(s.bounds[1], Math.max(s.bounds[0], Number.isFinite(x) ? x : s.value[j]!)),
        );
    }

  let chosen: Record<string, ArrayLike<number>> = initial;
  let report: FitReport | undefined;
  if (opts.fit !== false && layout.size > 0) {
    const res = optimizeHypers(kernel, layout, matrixTensor(Xn), yn, initial, opts);
    chosen = res.values;
    report = res.report;
  }
  const hyperparameters: HyperValues = {};
  for (const name of layout.names) hyperparameters[name] = Array.from(chosen[name]!);
  const gp = new GaussianProcess({
    kernel,
    hyperparameters,
    X: Xm,
    y: yv,
    inputTransform: inTf,
    outputTransform: outTf,
  }) as GaussianProcess & {
    fitReport?: FitReport;
  };
  if (report) gp.fitReport = report;
  return gp;
}

/**
 * Negative log marginal likelihood (minus log priors) per observation, as a function of z.
 *
 * The objective {@link fitGP} minimizes, exported for custom hyperparameter fitting (e.g. with another
 * optimizer from `@difflab/optim`). `z` is the unconstrained vector described by {@link ParamLayout}.
 *
 * @param kernel - the covariance function.
 * @param layout - where each free hyperparameter (the kernel's and `noise`) lives in z.
 * @param Xt - training inputs `[n, d]`, float64, in internal units.
 * @param yt - training targets `[n]`, float64, in internal units.
 * @returns A function of `{ z }` returning the scalar loss, differentiable in z.
 *
 * @example
 * ```ts
 * import { tensor, grad } from '@difflab/tensor';
 * import { rbf, negativeMll, type ParamLayout } from '@difflab/bayes';
 * const kernel = rbf();
 * const specs = { ...kernel.hypers(1), noise: { value: Float64Array.of(0.01), bounds: [1e-6, 1] as [number, number], fixed: false } };
 * const layout: ParamLayout = { names: ['lengthscale', 'noise', 'variance'], specs, offsets: [0, 1, 2], size: 3 };
 * const loss = negativeMll(kernel, layout, tensor([[0], [0.5], [1]], { dtype: 'float64' }), tensor([0, 1, 0], { dtype: 'float64' }));
 * const z = tensor([0, 0, 0], { dtype: 'float64' }); // the log-midpoint of every bounds box
 * const g = grad(loss)({ z }).z; // [3] gradient for any optimizer
 * ```
 */
export function negativeMll(kernel: Kernel, layout: ParamLayout, Xt: Tensor, yt: Tensor): (p: { z: Tensor }) => Tensor {
  const n = yt.shape[0]!;
  const I = eye(n, n, { dtype: 'float64' });
  return ({ z }) => {
    const h = toConstrained(layout, z);
    const K = add(kernel.cov(Xt, Xt, h), mul(I, h.noise!));
    let ll = gaussLogLik(K, yt);
    for (const name of layout.names) {
      const prior = layout.specs[name]!.prior;
      if (prior && layout.offsets[layout.names.indexOf(name)]! >= 0) ll = add(ll, prior.logProb(h[name]!));
    }
    return mul(ll, -1 / n);
  };
}

function optimizeHypers(
  kernel: Kernel,
  layout: ParamLayout,
  Xt: Tensor,
  yn: Float64Array,
  initial: Record<string, Float64Array>,
  opts: FitGPOptions,
): { values: Record<string, ArrayLike<number>>; report: FitReport } {
  const yt = fromTypedArray(Float64Array.from(yn), [yn.length], { dtype: 'float64' });
  const loss = negativeMll(kernel, layout, Xt, yt);
  const restarts = opts.restarts ?? 2;
  if (!Number.isInteger(restarts) || restarts < 0)
    throw new ValueError(`fitGP: restarts must be a non-negative integer, got ${restarts}`);
  const rng = createRng(opts.seed ?? 0, 7919);
  const starts = [initial, ...Array.from({ length: restarts }, () => randomStart(layout, rng))];
  const maxIter = opts.maxIter ?? 200;
  const losses: number[] = [];
  let best = -1;
  let bestLoss = Infinity;
  let bestZ: Tensor | null = null;
  let evaluations = 0;
  starts.forEach((start, i) => {
    const opt = lbfgs({
      maxIter,
      maxEval: Math.ceil(maxIter * 1.25),
      lineSearch: 'strong-wolfe',
      historySize: 20,
      toleranceGrad: 1e-7,
      toleranceChange: 1e-10,
    });
    let params = { z: fromTypedArray(toUnconstrained(layout, start), [layout.size], { dtype: 'float64' }) };
    let value = Infinity;
    try {
      let state = opt.init(params);
      ({ params, state } = opt.step(loss, params, state));
      evaluations += state.funcEvals;
      value = loss(params).item();
    } catch (e) {
      if (!(e instanceof LinAlgError)) throw e;
    }
    losses.push(value);
    if (Number.isFinite(value) && value < bestLoss) {
      bestLoss = value;
      best = i;
      bestZ = params.z;
    }
  });
  if (!bestZ)
    throw new LinAlgError('fitGP: every start of the hyperparameter fit failed (kernel matrix not positive definite)');
  return { values: valuesOf(toConstrained(layout, bestZ)), report: { losses, best, evaluations } };
}
