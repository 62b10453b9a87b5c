import { ShapeError, fmtShape, type Tensor } from '@difflab/tensor';
import type { HyperSpecs } from './hyper.js';

/** Hyperparameter values as positive float64 tensors (shape [size]), keyed like the specs. */
export type HyperTensors = Record<string, Tensor>;

/**
 * Spectral description of a stationary kernel, used for random-Fourier-feature prior samples
 * (Thompson sampling): frequencies ω ~ p(ω) scaled by 1/lengthscale, weights √(variance).
 */
export interface SpectralTerm {
  /** Draws a standard frequency vector of length `d` from the kernel's normalized spectral density. */
  sampleFrequency(d: number, normal: () => number, chiSquare: (dof: number) => number): number[];
  lengthscale: Float64Array;
  variance: number;
  dims: readonly number[] | null;
}

/**
 * A covariance function. Inputs are `[..., n, d]` float64 tensors; hyperparameters come in as
 * positive tensors so everything is differentiable in both the inputs and the hyperparameters.
 */
export interface Kernel {
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
