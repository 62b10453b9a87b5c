import {
  ShapeError,
  ValueError,
  broadcastTo,
  div,
  exp,
  expandDims,
  gather,
  log1p,
  mul,
  neg,
  sin,
  square,
  sub,
  sum,
  type Tensor,
} from '@difflab/tensor';
import { sqdist } from '../ops/sqdist.js';
import { matern12Profile, matern32Profile, matern52Profile, rbfProfile } from '../ops/profiles.js';
import { withAlgebra } from './combine.js';
import { resolveHyper, type HyperOption, type HyperSpecs } from './hyper.js';
import { checkInputs, type HyperTensors, type Kernel, type SpectralTerm } from './kernel.js';

/**
 * Options of {@link rbf} and the Matérn kernels (and the base of the other stationary kernels).
 *
 * @example
 * ```ts
 * import { matern52, type StationaryOptions } from '@difflab/bayes';
 * const opts: StationaryOptions = { lengthscale: { value: 0.2, bounds: [1e-3, 10] }, variance: 1, ard: true, dims: [0, 2] };
 * const k = matern52(opts);
 * ```
 */
export interface StationaryOptions {
  /** Lengthscale(s); an array of length d implies ARD. Default 1, bounds [1e-5, 1e5] (scikit-learn's). */
  lengthscale?: HyperOption;
  /** Output scale (signal variance). Default 1, bounds [1e-5, 1e5]. */
  variance?: HyperOption;
  /** One lengthscale per input dimension (automatic relevance determination). Default false. */
  ard?: boolean;
  /** Columns of the input the kernel looks at (default: all). */
  dims?: readonly number[];
}

const DEFAULT_BOUNDS = [1e-5, 1e5] as const;

function lengthscaleSize(kind: string, opts: StationaryOptions, active: number): number {
  const ls = opts.lengthscale;
  const arr = Array.isArray(ls)
    ? ls
    : typeof ls === 'object' && ls !== null && Array.isArray((ls as { value?: unknown }).value)
      ? (ls as { value: number[] }).value
      : null;
  if (arr && arr.length !== 1 && arr.length !== active)
    throw new ValueError(`${kind}: ${arr.length} lengthscales given for ${active} input dimensions`);
  return opts.ard || (arr && arr.length === active && active > 1) ? active : 1;
}

export function selectDims(kind: string, x: Tensor, dims: readonly number[] | undefined): Tensor {
  if (!dims) return x;
  const d = x.shape[x.ndim - 1]!;
  for (const i of dims)
    if (!Number.isInteger(i) || i < 0 || i >= d)
      throw new ShapeError(`${kind}: dims [${dims.join(', ')}] out of range for inputs with ${d} columns`);
  return gather(x, dims as number[], x.ndim - 1);
}

function activeCount(kind: string, d: number, dims: readonly number[] | undefined): number {
  if (!dims) return d;
  if (dims.length === 0) throw new ValueError(`${kind}: dims must not be empty`);
  for (const i of dims)
    if (!Number.isInteger(i) || i < 0 || i >= d)
      throw new ShapeError(`${kind}: dims [${dims.join(', ')}] out of range for inputs with ${d} columns`);
  return dims.length;
}

export function diagOf(a: Tensor, variance: Tensor): Tensor {
  return broadcastTo(variance, a.shape.slice(0, -1));
}

interface StationaryDef {
  kind: string;
  /** k / variance as a function of the squared scaled distance. */
  profile: (r2: Tensor, h: HyperTensors) => Tensor;
  extra?: (d: number) => HyperSpecs;
  /** Draws a standard spectral frequency (null: no closed-form spectral density). */
  frequency?: (d: number, normal: () => number, chiSquare: (dof: number) => number) => number[];
}

function stationary(def: StationaryDef, opts: StationaryOptions): Kernel {
  const kind = def.kind;
  return withAlgebra({
    kind,
    hypers(d: number): HyperSpecs {
      const active = activeCount(kind, d, opts.dims);
      return {
        lengthscale: resolveHyper(
          kind,
          'lengthscale',
          opts.lengthscale,
          { value: 1, bounds: DEFAULT_BOUNDS },
          lengthscaleSize(kind, opts, active),
        ),
        variance: resolveHyper(kind, 'variance', opts.variance, { value: 1, bounds: DEFAULT_BOUNDS }, 1),
        ...(def.extra?.(d) ?? {}),
      };
    },
    cov(a, b, h) {
      checkInputs(kind, a, b);
      const ls = h.lengthscale!;
      const r2 = sqdist(div(selectDims(kind, a, opts.dims), ls), div(selectDims(kind, b, opts.dims), ls));
      return mul(def.profile(r2, h), h.variance!);
    },
    diag(a, h) {
      checkInputs(kind, a);
      return diagOf(a, h.variance!);
    },
    spectral: def.frequency
      ? (h: HyperTensors): SpectralTerm[] => [
          {
            sampleFrequency: def.frequency!,
            lengthscale: h.lengthscale!.dataSync() as Float64Array,
            variance: h.variance!.item(),
            dims: opts.dims ?? null,
          },
        ]
      : undefined,
  });
}

const gaussianFreq = (d: number, normal: () => number) => Array.from({ length: d }, normal);
const studentFreq = (nu: number) => (d: number, normal: () => number, chi2: (dof: number) => number) => {
  const s = Math.sqrt((2 * nu) / chi2(2 * nu));
  return Array.from({ length: d }, () => normal() * s);
};

/**
 * Squared-exponential kernel `σ² exp(−r²/2)`, r = ‖(x − x')/ℓ‖.
 *
 * GPyTorch's `RBFKernel` inside a `ScaleKernel`; scikit-learn's `ConstantKernel * RBF`.
 *
 * @param opts - lengthscale, variance, ARD and active columns.
 * @returns The kernel, with hyperparameters `lengthscale` and `variance`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { rbf, fitGP } from '@difflab/bayes';
 * const k = rbf({ lengthscale: 0.5 });
 * const h = { lengthscale: tensor([0.5], { dtype: 'float64' }), variance: tensor([1], { dtype: 'float64' }) };
 * k.cov(tensor([[0], [0.5]], { dtype: 'float64' }), tensor([[0]], { dtype: 'float64' }), h); // tensor([[1], [0.6065]])
 * const gp = fitGP([[0], [0.5], [1]], [0, 1, 0], { kernel: k });
 * ```
 */
export function rbf(opts: StationaryOptions = {}): Kernel {
  return stationary({ kind: 'rbf', profile: (r2) => rbfProfile(r2), frequency: gaussianFreq }, opts);
}

/**
 * Matérn ν = 1/2 (exponential / Ornstein–Uhlenbeck) kernel `σ² exp(−r)`.
 *
 * GPyTorch's `MaternKernel(nu=0.5)`; rough sample paths (continuous, nowhere differentiable).
 *
 * @param opts - lengthscale, variance, ARD and active columns.
 * @returns The kernel.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { matern12 } from '@difflab/bayes';
 * const h = { lengthscale: tensor([1], { dtype: 'float64' }), variance: tensor([1], { dtype: 'float64' }) };
 * matern12().cov(tensor([[0]], { dtype: 'float64' }), tensor([[1]], { dtype: 'float64' }), h); // tensor([[0.3679]]) = exp(-1)
 * ```
 */
export function matern12(opts: StationaryOptions = {}): Kernel {
  return stationary({ kind: 'matern12', profile: (r2) => matern12Profile(r2), frequency: studentFreq(0.5) }, opts);
}

/**
 * Matérn ν = 3/2 kernel `σ² (1 + √3 r) exp(−√3 r)`.
 *
 * GPyTorch's `MaternKernel(nu=1.5)`; once-differentiable sample paths.
 *
 * @param opts - lengthscale, variance, ARD and active columns.
 * @returns The kernel.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { matern32 } from '@difflab/bayes';
 * const h = { lengthscale: tensor([1], { dtype: 'float64' }), variance: tensor([1], { dtype: 'float64' }) };
 * matern32().cov(tensor([[0]], { dtype: 'float64' }), tensor([[1]], { dtype: 'float64' }), h); // tensor([[0.4834]])
 * ```
 */
export function matern32(opts: StationaryOptions = {}): Kernel {
  return stationary({ kind: 'matern32', profile: (r2) => matern32Profile(r2), frequency: studentFreq(1.5) }, opts);
}

/**
 * Matérn ν = 5/2 kernel `σ² (1 + √5 r + 5r²/3) exp(−√5 r)`.
 *
 * GPyTorch's `MaternKernel(nu=2.5)`; the default of {@link fitGP} and BoTorch's standard BO kernel.
 *
 * @param opts - lengthscale, variance, ARD and active columns.
 * @returns The kernel.
 *
 * @example
 * ```ts
 * import { matern52, fitGP } from '@difflab/bayes';
 * const gp = fitGP([[0, 0], [1, 0], [0, 1]], [1, 2, 0], { kernel: matern52({ ard: true }) });
 * gp.hyperparameters.lengthscale!.length; // 2
 * ```
 */
export function matern52(opts: StationaryOptions = {}): Kernel {
  return stationary({ kind: 'matern52', profile: (r2) => matern52Profile(r2), frequency: studentFreq(2.5) }, opts);
}

/**
 * Options of {@link rationalQuadratic}.
 *
 * @example
 * ```ts
 * import type { RationalQuadraticOptions } from '@difflab/bayes';
 * const opts: RationalQuadraticOptions = { lengthscale: 1, alpha: { value: 2, fixed: true } };
 * ```
 */
export interface RationalQuadraticOptions extends StationaryOptions {
  /** Scale-mixture parameter α. Default 1, bounds [1e-5, 1e5]. */
  alpha?: HyperOption;
}

/**
 * Rational quadratic kernel `σ² (1 + r²/(2α))^(−α)` (a scale mixture of RBFs).
 *
 * GPyTorch's `RQKernel`; scikit-learn's `RationalQuadratic`. α → ∞ recovers the RBF kernel.
 *
 * @param opts - lengthscale, variance, α, ARD and active columns.
 * @returns The kernel, with hyperparameters `lengthscale`, `variance` and `alpha`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { rationalQuadratic } from '@difflab/bayes';
 * const f64 = (v: number) => tensor([v], { dtype: 'float64' });
 * const h = { lengthscale: f64(1), variance: f64(1), alpha: f64(1) };
 * rationalQuadratic().cov(tensor([[0]], { dtype: 'float64' }), tensor([[1]], { dtype: 'float64' }), h); // tensor([[0.6667]]) = (1 + 1/2)^-1
 * ```
 */
export function rationalQuadratic(opts: RationalQuadraticOptions = {}): Kernel {
  return stationary(
    {
      kind: 'rationalQuadratic',
      profile: (r2, h) => {
        const alpha = h.alpha!;
        return exp(neg(mul(alpha, log1p(div(r2, mul(alpha, 2))))));
      },
      extra: () => ({
        alpha: resolveHyper('rationalQuadratic', 'alpha', opts.alpha, { value: 1, bounds: DEFAULT_BOUNDS }, 1),
      }),
    },
    opts,
  );
}

/**
 * Options of {@link periodic}.
 *
 * @example
 * ```ts
 * import type { PeriodicOptions } from '@difflab/bayes';
 * const opts: PeriodicOptions = { period: { value: 24, fixed: true }, lengthscale: 1 }; // a known daily cycle
 * ```
 */
export interface PeriodicOptions extends StationaryOptions {
  /** Period(s) p (one per active dimension with `ard`). Default 1, bounds [1e-5, 1e5]. */
  period?: HyperOption;
}

/**
 * Periodic kernel `σ² exp(−2 Σ_j sin²(π (x_j − x'_j)/p_j) / ℓ_j²)` (GPyTorch's form; for one
 * input dimension it equals scikit-learn's ExpSineSquared).
 *
 * @param opts - lengthscale, variance, period, ARD and active columns.
 * @returns The kernel, with hyperparameters `lengthscale`, `variance` and `period`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { periodic } from '@difflab/bayes';
 * const f64 = (v: number) => tensor([v], { dtype: 'float64' });
 * const h = { lengthscale: f64(1), variance: f64(1), period: f64(1) };
 * periodic().cov(tensor([[0]], { dtype: 'float64' }), tensor([[2]], { dtype: 'float64' }), h); // tensor([[1]]): two periods apart
 * ```
 */
export function periodic(opts: PeriodicOptions = {}): Kernel {
  const kind = 'periodic';
  return withAlgebra({
    kind,
    hypers(d: number): HyperSpecs {
      const active = activeCount(kind, d, opts.dims);
      const size = lengthscaleSize(kind, opts, active);
      return {
        lengthscale: resolveHyper(kind, 'lengthscale', opts.lengthscale, { value: 1, bounds: DEFAULT_BOUNDS }, size),
        variance: resolveHyper(kind, 'variance', opts.variance, { value: 1, bounds: DEFAULT_BOUNDS }, 1),
        period: resolveHyper(kind, 'period', opts.period, { value: 1, bounds: DEFAULT_BOUNDS }, size),
      };
    },
    cov(a, b, h) {
      checkInputs(kind, a, b);
      const as = expandDims(selectDims(kind, a, opts.dims), -2); // [..., n, 1, D]
      const bs = selectDims(kind, b, opts.dims);
      const bb = b.ndim > 2 ? expandDims(bs, -3) : bs; // [..., 1, m, D] or [m, D]
      const phase = mul(div(sub(as, bb), h.period!), Math.PI);
      const s = sum(div(square(sin(phase)), square(h.lengthscale!)), -1);
      return mul(exp(mul(s, -2)), h.variance!);
    },
    diag: (a, h) => diagOf(a, h.variance!),
  });
}
