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

/** Squared-exponential kernel `σ² exp(−r²/2)`, r = ‖(x − x')/ℓ‖. */
export function rbf(opts: StationaryOptions = {}): Kernel {
  return stationary({ kind: 'rbf', profile: (r2) => rbfProfile(r2), frequency: gaussianFreq }, opts);
}

/** Matérn ν = 1/2 (exponential / Ornstein–Uhlenbeck) kernel `σ² exp(−r)`. */
export function matern12(opts: StationaryOptions = {}): Kernel {
  return stationary({ kind: 'matern12', profile: (r2) => matern12Profile(r2), frequency: studentFreq(0.5) }, opts);
}

/** Matérn ν = 3/2 kernel `σ² (1 + √3 r) exp(−√3 r)`. */
export function matern32(opts: StationaryOptions = {}): Kernel {
  return stationary({ kind: 'matern32', profile: (r2) => matern32Profile(r2), frequency: studentFreq(1.5) }, opts);
}

/** Matérn ν = 5/2 kernel `σ² (1 + √5 r + 5r²/3) exp(−√5 r)`. */
export function matern52(opts: StationaryOptions = {}): Kernel {
  return stationary({ kind: 'matern52', profile: (r2) => matern52Profile(r2), frequency: studentFreq(2.5) }, opts);
}

export interface RationalQuadraticOptions extends StationaryOptions {
  /** Scale-mixture parameter α. Default 1, bounds [1e-5, 1e5]. */
  alpha?: HyperOption;
}

/** Rational quadratic kernel `σ² (1 + r²/(2α))^(−α)` (a scale mixture of RBFs). */
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

export interface PeriodicOptions extends StationaryOptions {
  /** Period(s) p (one per active dimension with `ard`). Default 1, bounds [1e-5, 1e5]. */
  period?: HyperOption;
}

/**
 * Periodic kernel `σ² exp(−2 Σ_j sin²(π (x_j − x'_j)/p_j) / ℓ_j²)` (GPyTorch's form; for one
 * input dimension it equals scikit-learn's ExpSineSquared).
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
