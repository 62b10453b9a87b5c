import { ShapeError, ValueError } from '../errors.js';
import { swapAxes } from '../ops/shape.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkLength, complexInput, floatInput, resizeAxis } from './checks.js';
import { c2c, c2r, r2c } from './primitives.js';

/**
 * Normalization mode, as in `numpy.fft`: `'backward'` (default) leaves the forward transform
 * unscaled and divides the inverse by n; `'ortho'` scales both by 1/sqrt(n) (unitary);
 * `'forward'` divides the forward transform by n and leaves the inverse unscaled.
 */
export type FFTNorm = 'backward' | 'ortho' | 'forward';

/** Options of the one-axis transforms `fft.fft`, `fft.ifft`, `fft.rfft`, `fft.irfft`. */
export interface FFTOptions {
  /**
   * Length of the transformed axis: the input is cropped or zero-padded to it. For `irfft` it is
   * the length of the real output (default `2 * (m - 1)` for m input bins).
   */
  n?: number;
  /** Axis to transform (default -1). For complex tensors it counts axes before the trailing 2. */
  axis?: number;
  /** Normalization mode (default `'backward'`). */
  norm?: FFTNorm;
}

/** Scale applied by a forward (`inverse = false`) or inverse transform of length n. */
export function normScale(op: string, norm: FFTNorm | undefined, n: number, inverse: boolean): number {
  switch (norm ?? 'backward') {
    case 'backward':
      return inverse ? 1 / n : 1;
    case 'ortho':
      return 1 / Math.sqrt(n);
    case 'forward':
      return inverse ? 1 : 1 / n;
    default:
      throw new ValueError(`${op}: norm must be 'backward', 'ortho' or 'forward', got ${JSON.stringify(norm)}`);
  }
}

/** Moves axis `a` to position `b` and back around `f` (a swap, which is its own inverse). */
function along(x: Tensor, a: number, b: number, f: (t: Tensor) => Tensor): Tensor {
  if (a === b) return f(x);
  return swapAxes(f(swapAxes(x, a, b)), a, b);
}

function complexTransform(op: string, z: Tensor, opts: FFTOptions, inverse: boolean): Tensor {
  const Z = complexInput(op, z);
  const last = Z.ndim - 2;
  if (last < 0) throw new ShapeError(`${op}: a complex scalar (shape [2]) has no axis to transform`);
  const ax = normalizeAxis(op, opts.axis ?? -1, Z.ndim - 1, Z.shape.slice(0, -1));
  const n = checkLength(op, opts.n ?? Z.shape[ax]!, Z.shape);
  const scale = normScale(op, opts.norm, n, inverse);
  return along(Z, ax, last, (t) => c2c(resizeAxis(t, last, n), inverse, scale));
}

/**
 * Discrete Fourier transform `X_k = sum_j x_j exp(-2 pi i jk/n)` of a complex tensor along one axis.
 *
 * Complex tensors are real tensors with a trailing dimension of size 2 holding (real, imag): a
 * length-n complex vector has shape `[n, 2]`. Build them with {@link complex} (e.g.
 * `complex(x, zerosLike(x))` for real data, or use {@link rfft}). Computed on the host in float64
 * (radix-2 for powers of two, Bluestein otherwise); float32 in, float32 out. Differentiable.
 */
export function fft(z: Tensor, opts: FFTOptions = {}): Tensor {
  return complexTransform('fft', z, opts, false);
}

/** Inverse DFT `x_j = (1/n) sum_k X_k exp(+2 pi i jk/n)` (with the default norm); see {@link fft}. */
export function ifft(z: Tensor, opts: FFTOptions = {}): Tensor {
  return complexTransform('ifft', z, opts, true);
}

/**
 * DFT of real data: the `n/2 + 1` non-negative-frequency bins (the rest follow by Hermitian
 * symmetry). `[..., n]` real -> `[..., n/2+1, 2]` complex (along the transformed axis). Differentiable.
 */
export function rfft(x: Tensor, opts: FFTOptions = {}): Tensor {
  const op = 'rfft';
  const X = floatInput(op, x);
  if (X.ndim < 1) throw new ValueError(`rfft: input must be at least 1-D, got a scalar`);
  const ax = normalizeAxis(op, opts.axis ?? -1, X.ndim, X.shape);
  const n = checkLength(op, opts.n ?? X.shape[ax]!, X.shape);
  const scale = normScale(op, opts.norm, n, false);
  const last = X.ndim - 1;
  if (ax === last) return r2c(resizeAxis(X, last, n), scale);
  // The spectrum of the swapped tensor has its frequency axis at position `last`, just before the
  // trailing (re, im) dimension; swap it back to `ax`.
  return swapAxes(r2c(resizeAxis(swapAxes(X, ax, last), last, n), scale), ax, last);
}

/**
 * Inverse of {@link rfft}: a Hermitian half spectrum `[..., m, 2]` -> real `[..., n]` with
 * `n = opts.n ?? 2 * (m - 1)`. The input is cropped or zero-padded to `n/2 + 1` bins; the imaginary
 * parts of the DC bin and (for even n) the Nyquist bin are ignored, as in numpy. Differentiable.
 */
export function irfft(y: Tensor, opts: FFTOptions = {}): Tensor {
  const op = 'irfft';
  const Y = complexInput(op, y);
  const last = Y.ndim - 2;
  if (last < 0) throw new ShapeError(`${op}: a complex scalar (shape [2]) has no axis to transform`);
  const ax = normalizeAxis(op, opts.axis ?? -1, Y.ndim - 1, Y.shape.slice(0, -1));
  const n = checkLength(op, opts.n ?? 2 * (Y.shape[ax]! - 1), Y.shape);
  const scale = normScale(op, opts.norm, n, true);
  const half = (n >> 1) + 1;
  if (ax === last) return c2r(resizeAxis(Y, last, half), n, scale);
  return swapAxes(c2r(resizeAxis(swapAxes(Y, ax, last), last, half), n, scale), ax, last);
}
