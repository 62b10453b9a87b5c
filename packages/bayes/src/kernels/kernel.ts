import { ShapeError, fmtShape, type Tensor } from '@difflab/tensor';
import type { HyperSpecs } from './hyper.js';

/**
 * Hyperparameter values as positive float64 tensors (shape [size]), keyed like the specs.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { rbf, type HyperTensors } from '@difflab/bayes';
 * const h: HyperTensors = { lengthscale: tensor([1], { dtype: 'float64' }), variance: tensor([2], { dtype: 'float64' }) };
 * rbf().cov(tensor([[0]], { dtype: 'float64' }), tensor([[1]], { dtype: 'float64' }), h); // tensor([[1.2131]]) = 2 exp(-1/2)
 * ```
 */
export type HyperTensors = Record<string, Tensor>;

/**
 * Spectral description of a stationary kernel, used for random-Fourier-feature prior samples
 * (Thompson sampling): frequencies ω ~ p(ω) scaled by 1/lengthscale, weights √(variance).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { rbf, type SpectralTerm } from '@difflab/bayes';
 * const h = { lengthscale: tensor([0.5], { dtype: 'float64' }), variance: tensor([1], { dtype: 'float64' }) };
 * const terms: SpectralTerm[] | null | undefined = rbf().spectral?.(h);
 * terms?.[0]?.lengthscale; // Float64Array [0.5]
 * ```
 */
export interface SpectralTerm {
  /** Draws a standard frequency vector of length `d` from the kernel's normalized spectral density. */
  sampleFrequency(d: number, normal: () => number, chiSquare: (dof: number) => number): number[];
  /** Lengthscales of the term, one per active dimension (or one shared). */
  lengthscale: Float64Array;
  /** Output scale σ² of the term. */
  variance: number;
  /** Input columns the term looks at (null: all). */
  dims: readonly number[] | null;
}

/**
 * A covariance function. Inputs are `[..., n, d]` float64 tensors; hyperparameters come in as
 * positive tensors so everything is differentiable in both the inputs and the hyperparameters.
 *
 * Build one with {@link rbf}, {@link matern52}, … and combine with `plus`/`times` (or
 * {@link kernelSum}/{@link kernelProduct}); GPyTorch's `Kernel` / scikit-learn's kernel objects.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { rbf, periodic, linear, type Kernel } from '@difflab/bayes';
 * const k: Kernel = rbf({ lengthscale: 2 }).plus(periodic({ period: 1 }).times(linear()));
 * Object.keys(k.hypers(1)); // ['0.lengthscale', '0.variance', '1.0.lengthscale', …]
 * const x = tensor([[0], [1]], { dtype: 'float64' });
 * const h = { lengthscale: tensor([1], { dtype: 'float64' }), variance: tensor([1], { dtype: 'float64' }) };
 * rbf().diag(x, h); // tensor([1, 1])
 * ```
 */
export interface Kernel {
  /** Kernel family name (`'rbf'`, `'sum(rbf, linear)'`, …), for messages and inspection. */
  readonly kind: string;
  /** Hyperparameters for inputs with `d` columns (ARD lengthscales get one entry per active column). */
  hypers(d: number): HyperSpecs;
  /** Cross-covariance `k(a, b)`: `[..., n, m]` for `a: [..., n, d]`, `b: [m, d]` or `[..., m, d]`. */
  cov(a: Tensor, b: Tensor, h: HyperTensors): Tensor;
  /** `k(x, x)` for each row: `[..., n]`. */
  diag(a: Tensor, h: HyperTensors): Tensor;
  /** Spectral terms when the kernel is a (sum of) stationary kernel(s) with known spectral density. */
  spectral?(h: HyperTensors): SpectralTerm[] | null;
  /** `this + other` */
  plus(other: Kernel): Kernel;
  /** `this × other` */
  times(other: Kernel): Kernel;
}

export function checkInputs(op: string, a: Tensor, b?: Tensor): void {
  if (a.ndim < 2) throw new ShapeError(`${op}: inputs must be [..., n, d], got ${fmtShape(a.shape)}`);
  if (b && (b.ndim < 2 || b.shape[b.ndim - 1] !== a.shape[a.ndim - 1]))
    throw new ShapeError(
      `${op}: inputs of shape ${fmtShape(a.shape)} and ${fmtShape(b.shape)} have different numbers of columns`,
    );
}

/** Picks the sub-tree of hyperparameters that belongs to term `i` of a composite kernel. */
export function subHypers(h: HyperTensors, prefix: string): HyperTensors {
  const out: HyperTensors = {};
  const p = `${prefix}.`;
  for (const [k, v] of Object.entries(h)) if (k.startsWith(p)) out[k.slice(p.length)] = v;
  return out;
}
