import {
  ShapeError,
  ValueError,
  add,
  clamp,
  div,
  fmtShape,
  fromTypedArray,
  isTensor,
  linalg,
  matmul,
  mul,
  random,
  square,
  squeeze,
  sub,
  sum,
  swapAxes,
  type Tensor,
} from '@difflab/tensor';
import { createRng } from '@difflab/optim';
import type { HyperValues } from '../kernels/hyper.js';
import type { HyperTensors, Kernel } from '../kernels/kernel.js';
import { choLogDet, choSolve, choleskyWithJitter } from '../internal/host-la.js';
import { tensorsOf } from './params.js';
import {
  toMatrix,
  toVector,
  type InputLike,
  type InputTransform,
  type Matrix,
  type OutputTransform,
  type TargetLike,
} from './data.js';
import type { Posterior, JointPosterior, Surrogate } from './surrogate.js';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Options of {@link GaussianProcess.predict} and the other prediction methods.
 *
 * @example
 * ```ts
 * import { fitGP, type PredictOptions } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 0.5, 1]);
 * const opts: PredictOptions = { includeNoise: true };
 * gp.predict([[0.5]], opts).variance; // latent variance + noise
 * ```
 */
export interface PredictOptions {
  /** Add the observation-noise variance (predict y rather than the latent f). Default false. */
  includeNoise?: boolean;
}

/**
 * Everything that defines a fitted GP; produced by `fitGP`, consumed by `new GaussianProcess(def)`.
 *
 * @example
 * ```ts
 * import { GaussianProcess, rbf, fitGP, type GPDefinition } from '@difflab/bayes';
 * const fitted = fitGP([[0], [1], [2]], [0, 1, 0], { kernel: rbf() });
 * // The same posterior with the lengthscale doubled, without refitting.
 * const def: GPDefinition = {
 *   kernel: fitted.kernel,
 *   hyperparameters: { ...fitted.hyperparameters, lengthscale: fitted.hyperparameters.lengthscale!.map((v) => 2 * v) },
 *   X: fitted.X,
 *   y: fitted.y,
 *   inputTransform: fitted.inputTransform,
 *   outputTransform: fitted.outputTransform,
 * };
 * const gp = new GaussianProcess(def);
 * ```
 */
export interface GPDefinition {
  /** The covariance function. */
  kernel: Kernel;
  /** Kernel hyperparameters and `noise`, in the model's internal (transformed) units. */
  hyperparameters: HyperValues;
  /** Training inputs in the original units. */
  X: Matrix;
  /** Training targets in the original units. */
  y: Float64Array;
  /** Input normalization (null: none). */
  inputTransform: InputTransform | null;
  /** Output standardization (null: none). */
  outputTransform: OutputTransform | null;
}

/**
 * An exact Gaussian-process posterior in float64. Predictions take `[m, d]` (or batched
 * `[..., m, d]`) inputs in the original units and return Tensors in the original units of y; they
 * are differentiable with respect to the inputs, which is what acquisition functions need.
 * Internally inputs may be normalized and y standardized; hyperparameters live in those units.
 *
 * BoTorch's `SingleTaskGP` posterior / scikit-learn's fitted `GaussianProcessRegressor`. Create one
 * with {@link fitGP}.
 *
 * @example
 * ```ts
 * import { random } from '@difflab/tensor';
 * import { fitGP } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 1, 0]);
 * const { mean, variance } = gp.predict([[0.25], [0.75]]); // [2] each, original units of y
 * const paths = gp.sample([[0], [0.5], [1]], 4, random.key(0)); // [4, 3] joint posterior draws
 * const gp2 = gp.condition([[0.25]], [0.8]); // a fantasy observation, same hyperparameters
 * gp.logMarginalLikelihood(); // log p(y | X, θ)
 * ```
 */
export class GaussianProcess implements Surrogate {
  /** The covariance function. */
  readonly kernel: Kernel;
  /** Kernel hyperparameters and `noise`, in the model's internal units. */
  readonly hyperparameters: HyperValues;
  /** Input normalization applied before the kernel (null: none). */
  readonly inputTransform: InputTransform | null;
  /** Output standardization of y (null: none). */
  readonly outputTransform: OutputTransform | null;
  /** Training inputs and targets in the original units. */
  readonly X: Matrix;
  /** Training targets in the original units. */
  readonly y: Float64Array;
  /** Jitter that had to be added to K + σ²I for its Cholesky factorization (0 normally). */
  readonly jitter: number;
  /** Input dimension d. */
  readonly dim: number;
  /** Number of training points. */
  readonly n: number;
  private readonly Xn: Tensor;
  private readonly yn: Float64Array;
  private readonly L: Float64Array;
  private readonly Lt: Tensor;
  private readonly alpha: Tensor;
  private readonly h: HyperTensors;
  private readonly lmlInternal: number;

  /** Factorizes the kernel matrix of `def` (with jitter escalation when it is not numerically positive definite). */
  constructor(def: GPDefinition) {
    this.kernel = def.kernel;
    this.hyperparameters = def.hyperparameters;
    this.inputTransform = def.inputTransform;
    this.outputTransform = def.outputTransform;
    this.X = def.X;
    this.y = def.y;
    this.dim = def.X.cols;
    this.n = def.X.rows;
    if (this.n < 1) throw new ValueError('GaussianProcess: needs at least one observation');
    const noise = def.hyperparameters.noise?.[0];
    if (!(noise !== undefined && noise >= 0))
      throw new ValueError(`GaussianProcess: hyperparameters need a non-negative 'noise', got ${noise}`);
    this.h = tensorsOf(def.hyperparameters);
    const xn = new Float64Array(def.X.data.length);
    const t = def.inputTransform;
    for (let i = 0; i < this.n; i++)
      for (let j = 0; j < this.dim; j++) {
        const v = def.X.data[i * this.dim + j]!;
        xn[i * this.dim + j] = t ? (v - t.offset[j]!) / t.scale[j]! : v;
      }
    this.Xn = fromTypedArray(xn, [this.n, this.dim], { dtype: 'float64' });
    const o = def.outputTransform;
    this.yn = o ? def.y.map((v) => (v - o.mean) / o.std) : Float64Array.from(def.y);
    const K = this.kernel.cov(this.Xn, this.Xn, this.h).dataSync() as Float64Array;
    const n = this.n;
    for (let i = 0; i < n; i++) K[i * n + i]! += noise;
    const f = choleskyWithJitter(K, n);
    if (!f)
      throw new ValueError(
        `GaussianProcess: the kernel matrix of ${n} points is not positive definite even with jitter (check the hyperparameters)`,
      );
    this.L = f.L;
    this.jitter = f.jitter;
    const a = choSolve(f.L, n, this.yn);
    this.Lt = fromTypedArray(f.L, [n, n], { dtype: 'float64' });
    this.alpha = fromTypedArray(a, [n, 1], { dtype: 'float64' });
    let quad = 0;
    for (let i = 0; i < n; i++) quad += this.yn[i]! * a[i]!;
    this.lmlInternal = -0.5 * quad - 0.5 * choLogDet(f.L, n) - 0.5 * n * LOG_2PI;
  }

  /** Observation-noise variance in the original units of y. */
  get noiseVariance(): number {
    const s = this.outputTransform?.std ?? 1;
    return this.hyperparameters.noise![0]! * s * s;
  }

  /**
   * Exact log marginal likelihood log p(y | X, θ) of the training targets in their original units
   * (with output standardization this includes the Jacobian −n log σ_y of the affine map).
   */
  logMarginalLikelihood(): number {
    return this.lmlInternal - this.n * Math.log(this.outputTransform?.std ?? 1);
  }

  /** Converts user inputs to a float64 tensor `[..., m, d]` in the model's internal units. */
  normalize(Xs: InputLike): Tensor {
    let t: Tensor;
    if (isTensor(Xs)) {
      t = Xs as Tensor;
      if (t.ndim < 2 || t.shape[t.ndim - 1] !== this.dim)
        throw new ShapeError(
          `GaussianProcess.predict: inputs of shape ${fmtShape(t.shape)} need [..., m, ${this.dim}]`,
        );
      if (t.dtype !== 'float64') t = t.astype('float64');
    } else
      t = fromTypedArray(toMatrix('GaussianProcess.predict', Xs, this.dim).data, [(Xs as unknown[]).length, this.dim], {
        dtype: 'float64',
      });
    const tf = this.inputTransform;
    if (!tf) return t;
    return div(
      sub(t, fromTypedArray(tf.offset, [this.dim], { dtype: 'float64' })),
      fromTypedArray(tf.scale, [this.dim], { dtype: 'float64' }),
    );
  }

  private unstandardize(mean: Tensor, variance: Tensor): Posterior {
    const o = this.outputTransform;
    if (!o) return { mean, variance };
    return { mean: add(mul(mean, o.std), o.mean), variance: mul(variance, o.std * o.std) };
  }

  /**
   * `(L⁻¹ Ksᵀ)ᵀ` for cross-covariances `Ks: [..., m, n]`, as one triangular solve with all
   * `∏(...)·m` right-hand sides (a batched solve would broadcast L to every batch element).
   */
  private whiten(Ks: Tensor): Tensor {
    const n = this.n;
    const flat = Ks.reshape([-1, n]);
    return swapAxes(linalg.triangularSolve(this.Lt, swapAxes(flat, 0, 1)), 0, 1).reshape(Ks.shape);
  }

  /** Marginal posterior mean and variance at `Xs: [..., m, d]` → `[..., m]` each. */
  predict(Xs: InputLike, opts: PredictOptions = {}): Posterior {
    const xn = this.normalize(Xs);
    const Ks = this.kernel.cov(xn, this.Xn, this.h); // [..., m, n]
    const mean = squeeze(matmul(Ks, this.alpha), -1);
    const Vt = this.whiten(Ks); // [..., m, n]
    let variance = clamp(sub(this.kernel.diag(xn, this.h), sum(square(Vt), -1)), 0);
    if (opts.includeNoise) variance = add(variance, this.hyperparameters.noise![0]!);
    return this.unstandardize(mean, variance);
  }

  /** Joint posterior: mean `[..., m]` and covariance `[..., m, m]` (latent f unless `includeNoise`). */
  predictJoint(Xs: InputLike, opts: PredictOptions = {}): JointPosterior {
    const xn = this.normalize(Xs);
    const Ks = this.kernel.cov(xn, this.Xn, this.h);
    const mean = squeeze(matmul(Ks, this.alpha), -1);
    const Vt = this.whiten(Ks);
    let cov = sub(this.kernel.cov(xn, xn, this.h), matmul(Vt, swapAxes(Vt, -1, -2)));
    const m = xn.shape[xn.ndim - 2]!;
    if (opts.includeNoise) cov = add(cov, mul(eyeLike(m), this.hyperparameters.noise![0]!));
    const o = this.outputTransform;
    if (!o) return { mean, covariance: cov };
    return { mean: add(mul(mean, o.std), o.mean), covariance: mul(cov, o.std * o.std) };
  }

  /**
   * Posterior cross-covariance of f between `A: [..., mA, d]` and `B: [..., mB, d]` (same batch
   * shape) → `[..., mA, mB]` in y units², without forming the joint covariance of A and B.
   */
  predictCross(A: InputLike, B: InputLike): Tensor {
    const an = this.normalize(A);
    const bn = this.normalize(B);
    const Va = this.whiten(this.kernel.cov(an, this.Xn, this.h));
    const Vb = this.whiten(this.kernel.cov(bn, this.Xn, this.h));
    const cross = sub(this.kernel.cov(an, bn, this.h), matmul(Va, swapAxes(Vb, -1, -2)));
    const s = this.outputTransform?.std ?? 1;
    return s === 1 ? cross : mul(cross, s * s);
  }

  /** Full posterior covariance `[m, m]` at `Xs` (original units). */
  covariance(Xs: InputLike, opts: PredictOptions = {}): Tensor {
    return this.predictJoint(Xs, opts).covariance;
  }

  /**
   * `count` joint posterior samples of f at `Xs: [m, d]` → `[count, m]`. `key` is a
   * `random.key(...)` tensor from @difflab/tensor or an integer seed; same key, same samples.
   */
  sample(Xs: InputLike, count: number, key: Tensor | number): Tensor {
    if (!Number.isInteger(count) || count < 1)
      throw new ValueError(`GaussianProcess.sample: count must be a positive integer, got ${count}`);
    const { mean, covariance } = this.predictJoint(Xs);
    if (mean.ndim !== 1)
      throw new ShapeError(
        `GaussianProcess.sample: inputs must be [m, d], got a batch of shape ${fmtShape(mean.shape)}`,
      );
    const m = mean.shape[0]!;
    const C = covariance.dataSync() as Float64Array;
    const f = choleskyWithJitter(C, m, { initial: 1e-10, maxTries: 8 });
    if (!f)
      throw new ValueError(
        `GaussianProcess.sample: posterior covariance of shape [${m}, ${m}] is not positive semi-definite`,
      );
    const Z = standardNormals(key, count * m);
    const mu = mean.dataSync();
    const out = new Float64Array(count * m);
    const z = new Float64Array(m);
    for (let s = 0; s < count; s++) {
      for (let i = 0; i < m; i++) z[i] = Z[s * m + i]!;
      for (let i = 0; i < m; i++) {
        let acc = mu[i]!;
        for (let k = 0; k <= i; k++) acc += f.L[i * m + k]! * z[k]!;
        out[s * m + i] = acc;
      }
    }
    return fromTypedArray(out, [count, m], { dtype: 'float64' });
  }

  /**
   * The posterior after also observing `(X, y)` with the same hyperparameters and transforms
   * (fantasies for batch proposals and look-ahead acquisitions).
   */
  condition(X: InputLike, y: TargetLike): GaussianProcess {
    const Xm = toMatrix('GaussianProcess.condition', X, this.dim);
    const yv = toVector('GaussianProcess.condition', y, Xm.rows);
    const data = new Float64Array((this.n + Xm.rows) * this.dim);
    data.set(this.X.data);
    data.set(Xm.data, this.X.data.length);
    const yy = new Float64Array(this.n + Xm.rows);
    yy.set(this.y);
    yy.set(yv, this.n);
    return new GaussianProcess({
      kernel: this.kernel,
      hyperparameters: this.hyperparameters,
      X: { data, rows: this.n + Xm.rows, cols: this.dim },
      y: yy,
      inputTransform: this.inputTransform,
      outputTransform: this.outputTransform,
    });
  }

  /** Training inputs in internal units `[n, d]` (for acquisitions that need the baseline). */
  get trainInputs(): Tensor {
    return this.Xn;
  }

  /**
   * Internal-unit quantities for algorithms that work on the posterior directly (pathwise Thompson
   * sampling): normalized inputs, standardized targets, hyperparameter tensors, Cholesky factor.
   * @internal
   */
  internals(): { Xn: Tensor; yn: Float64Array; h: HyperTensors; L: Float64Array; noise: number } {
    return { Xn: this.Xn, yn: this.yn, h: this.h, L: this.L, noise: this.hyperparameters.noise![0]! + this.jitter };
  }

  /** Cholesky factor of K + σ²I in internal units (host copy). */
  choleskyFactor(): Float64Array {
    return Float64Array.from(this.L);
  }

  /** The posterior mean at the training inputs (original units), e.g. for plug-in incumbents. */
  trainMean(): Float64Array {
    return this.predict(
      fromTypedArray(this.X.data, [this.n, this.dim], { dtype: 'float64' }),
    ).mean.dataSync() as Float64Array;
  }
}

function standardNormals(key: Tensor | number, size: number): ArrayLike<number> {
  if (typeof key === 'number') {
    if (!Number.isFinite(key)) throw new ValueError(`GaussianProcess.sample: seed must be finite, got ${key}`);
    const rng = createRng(key);
    return Float64Array.from({ length: size }, () => rng.normal());
  }
  if (!isTensor(key))
    throw new ValueError('GaussianProcess.sample: key must be a random.key(...) tensor or an integer seed');
  return random.normal(key, [size], { dtype: 'float64' }).dataSync();
}

function eyeLike(m: number): Tensor {
  const e = new Float64Array(m * m);
  for (let i = 0; i < m; i++) e[i * m + i] = 1;
  return fromTypedArray(e, [m, m], { dtype: 'float64' });
}
