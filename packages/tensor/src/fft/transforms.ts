import { ShapeError, ValueError } from '../errors.js';
import { swapAxes } from '../ops/shape.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkLength, complexInput, floatInput, resizeAxis } from './checks.js';
import { c2c, c2r, r2c } from './primitives.js';

/**
 * Normalization mode, as in `numpy.fft` / `torch.fft`: `'backward'` (default) leaves the forward
 * transform unscaled and divides the inverse by n; `'ortho'` scales both by 1/sqrt(n) (unitary);
 * `'forward'` divides the forward transform by n and leaves the inverse unscaled.
 *
 * @example
 * ```ts
 * import { fft, tensor, type FFTNorm } from '@difflab/tensor';
 * const norm: FFTNorm = 'ortho';
 * fft.real(fft.rfft(tensor([1, 1, 1, 1]), { norm })).toArray(); // => [2, 0, 0]
 * ```
 */
export type FFTNorm = 'backward' | 'ortho' | 'forward';

/**
 * Options of the one-axis transforms `fft.fft`, `fft.ifft`, `fft.rfft`, `fft.irfft` (numpy's `n`,
 * `axis`, `norm`).
 *
 * @example
 * ```ts
 * import { fft, tensor, type FFTOptions } from '@difflab/tensor';
 * const opts: FFTOptions = { n: 8, axis: 0 }; // zero-pad the columns to 8 samples
 * fft.rfft(tensor([[1, 2], [3, 4]]), opts).shape; // => [5, 2, 2]
 * ```
 */
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
 * Discrete Fourier transform `X_k = sum_j x_j exp(-2 pi i jk/n)` of a complex tensor along one
 * axis, like `numpy.fft.fft` / `torch.fft.fft`.
 *
 * Complex tensors are real tensors with a trailing dimension of size 2 holding (real, imag): a
 * length-n complex vector has shape `[n, 2]`. Build them with {@link complex} (e.g.
 * `complex(x, zerosLike(x))` for real data, or use {@link rfft}). Computed on the host in float64
 * (radix-2 for powers of two, Bluestein otherwise); float32 in, float32 out. Differentiable.
 *
 * @param z - complex input `[..., 2]`.
 * @param opts - `n` (crop / zero-pad), `axis` (default -1, counted before the trailing 2), `norm`.
 * @returns the complex spectrum, `[..., n, ..., 2]`.
 * @throws {ShapeError} when the trailing dimension is not 2 or there is no axis to transform.
 * @throws {DTypeError} for non-float input.
 * @throws {ValueError} for a non-positive `n` or an unknown `norm`.
 *
 * @example
 * ```ts
 * import { fft, tensor, zeros } from '@difflab/tensor';
 * const z = fft.complex(tensor([1, 2, 3, 4]), zeros([4]));
 * fft.fft(z).toArray(); // => [[10, 0], [-2, 2], [-2, 0], [-2, -2]]
 * fft.fft(tensor([1, 2, 3])); // throws ShapeError
 * ```
 */
export function fft(z: Tensor, opts: FFTOptions = {}): Tensor {
  return complexTransform('fft', z, opts, false);
}

/**
 * Inverse DFT `x_j = (1/n) sum_k X_k exp(+2 pi i jk/n)` (with the default norm) of a complex tensor
 * along one axis, like `numpy.fft.ifft`; see {@link fft} for the complex layout.
 *
 * @param z - complex input `[..., 2]`.
 * @param opts - `n`, `axis`, `norm`.
 * @returns the complex signal.
 * @throws {ShapeError} when the trailing dimension is not 2.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * const X = tensor([[10, 0], [-2, 2], [-2, 0], [-2, -2]]);
 * fft.real(fft.ifft(X)).toArray(); // => [1, 2, 3, 4]
 * ```
 */
export function ifft(z: Tensor, opts: FFTOptions = {}): Tensor {
  return complexTransform('ifft', z, opts, true);
}

/**
 * DFT of real data, like `numpy.fft.rfft`: the `n/2 + 1` non-negative-frequency bins (the rest
 * follow by Hermitian symmetry).
 *
 * `[..., n]` real -> `[..., n/2+1, 2]` complex (along the transformed axis). Differentiable.
 *
 * @param x - real float input.
 * @param opts - `n`, `axis` (default -1), `norm`.
 * @returns the half spectrum, complex.
 * @throws {ValueError} for a scalar input or a non-positive `n`.
 * @throws {DTypeError} for non-float input.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * fft.rfft(tensor([1, 2, 3, 4])).toArray(); // => [[10, 0], [-2, 2], [-2, 0]]
 * ```
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
 * Inverse of {@link rfft}, like `numpy.fft.irfft`: a Hermitian half spectrum `[..., m, 2]` -> real
 * `[..., n]` with `n = opts.n ?? 2 * (m - 1)`.
 *
 * The input is cropped or zero-padded to `n/2 + 1` bins; the imaginary parts of the DC bin and (for
 * even n) the Nyquist bin are ignored, as in numpy. Pass `n` for odd-length signals. Differentiable.
 *
 * @param y - complex half spectrum `[..., m, 2]`.
 * @param opts - `n` (output length), `axis`, `norm`.
 * @returns the real signal.
 * @throws {ShapeError} when the trailing dimension is not 2.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * const x = tensor([1, 2, 3, 4, 5]);
 * fft.irfft(fft.rfft(x), { n: 5 }).toArray(); // => [1, 2, 3, 4, 5]
 * ```
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
