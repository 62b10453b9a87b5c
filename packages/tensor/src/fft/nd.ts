import { AxisError, ValueError, fmtShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { complexInput, floatInput } from './checks.js';
import { fft, ifft, irfft, rfft, type FFTNorm } from './transforms.js';

/**
 * Options of the multi-axis transforms (`fft.fft2`, `fft.fftn`, `fft.rfft2`, ...), as numpy's `s`,
 * `axes`, `norm`.
 *
 * @example
 * ```ts
 * import { fft, zeros, type FFTNOptions } from '@difflab/tensor';
 * const opts: FFTNOptions = { axes: [0, 1], s: [4, 6] };
 * fft.rfftn(zeros([3, 3, 2]), opts).shape; // => [4, 4, 2, 2]
 * ```
 */
export interface FFTNOptions {
  /** Transform lengths per axis in `axes` (crop / zero-pad, numpy's `s`); for `irfftn`, the output lengths. */
  s?: readonly number[];
  /**
   * Axes to transform. Default: the last `s.length` axes when `s` is given, else every axis
   * (`fftn`) or the last two (`fft2` family). Complex tensors count axes before the trailing 2.
   */
  axes?: readonly number[];
  /** Normalization mode (default `'backward'`), applied per transformed axis. */
  norm?: FFTNorm;
}

interface Plan {
  axes: number[];
  s: (number | undefined)[];
}

/** Resolves `axes` / `s` against `ndim` logical axes, with numpy's defaults. */
function plan(op: string, shape: readonly number[], opts: FFTNOptions, defaultAxes: number[] | null): Plan {
  const ndim = shape.length;
  let axes: number[];
  if (opts.axes) axes = [...opts.axes];
  else if (opts.s) axes = opts.s.map((_, i) => i - opts.s!.length);
  else axes = defaultAxes ?? shape.map((_, i) => i);
  const norm = axes.map((a) => normalizeAxis(op, a, ndim, shape));
  if (new Set(norm).size !== norm.length) throw new AxisError(`${op}: repeated axis in ${JSON.stringify(axes)} for shape ${fmtShape(shape)}`);
  if (norm.length === 0) throw new AxisError(`${op}: no axes to transform for shape ${fmtShape(shape)}`);
  if (opts.s && opts.s.length !== norm.length)
    throw new ValueError(`${op}: s has ${opts.s.length} entries but ${norm.length} axes are transformed (${JSON.stringify(axes)})`);
  return { axes: norm, s: norm.map((_, i) => opts.s?.[i]) };
}

function complexN(op: string, z: Tensor, opts: FFTNOptions, inverse: boolean, defaultAxes: number[] | null): Tensor {
  const Z = complexInput(op, z);
  const { axes, s } = plan(op, Z.shape.slice(0, -1), opts, defaultAxes);
  const f = inverse ? ifft : fft;
  let out = Z;
  // Innermost axis first, like numpy (the order does not change the result of c2c transforms).
  for (let i = axes.length - 1; i >= 0; i--) out = f(out, { axis: axes[i], n: s[i], norm: opts.norm });
  return out;
}

function rfftN(op: string, x: Tensor, opts: FFTNOptions, defaultAxes: number[] | null): Tensor {
  const X = floatInput(op, x);
  const { axes, s } = plan(op, X.shape, opts, defaultAxes);
  const k = axes.length - 1;
  let out = rfft(X, { axis: axes[k], n: s[k], norm: opts.norm });
  for (let i = k - 1; i >= 0; i--) out = fft(out, { axis: axes[i], n: s[i], norm: opts.norm });
  return out;
}

function irfftN(op: string, y: Tensor, opts: FFTNOptions, defaultAxes: number[] | null): Tensor {
  const Y = complexInput(op, y);
  const { axes, s } = plan(op, Y.shape.slice(0, -1), opts, defaultAxes);
  const k = axes.length - 1;
  let out = Y;
  for (let i = 0; i < k; i++) out = ifft(out, { axis: axes[i], n: s[i], norm: opts.norm });
  return irfft(out, { axis: axes[k], n: s[k], norm: opts.norm });
}

/**
 * N-dimensional complex DFT over `axes` (default: all axes), like `numpy.fft.fftn`; see {@link fft}
 * for the complex layout.
 *
 * @param z - complex input `[..., 2]`.
 * @param opts - `s`, `axes`, `norm`.
 * @returns the complex spectrum.
 * @throws {AxisError} for repeated or out-of-range axes.
 * @throws {ValueError} when `s` and `axes` differ in length.
 *
 * @example
 * ```ts
 * import { fft, ones, zeros } from '@difflab/tensor';
 * const z = fft.complex(ones([2, 2, 2]), zeros([2, 2, 2]));
 * fft.real(fft.fftn(z)).toArray(); // => [[[8, 0], [0, 0]], [[0, 0], [0, 0]]]
 * ```
 */
export const fftn = (z: Tensor, opts: FFTNOptions = {}): Tensor => complexN('fftn', z, opts, false, null);
/**
 * N-dimensional inverse complex DFT over `axes` (default: all axes), like `numpy.fft.ifftn`.
 *
 * @param z - complex input `[..., 2]`.
 * @param opts - `s`, `axes`, `norm`.
 * @returns the complex signal.
 * @throws {AxisError} for repeated or out-of-range axes.
 *
 * @example
 * ```ts
 * import { fft, tensor, zeros } from '@difflab/tensor';
 * const z = fft.complex(tensor([[1, 2], [3, 4]]), zeros([2, 2]));
 * fft.real(fft.ifftn(fft.fftn(z))).toArray(); // => [[1, 2], [3, 4]]
 * ```
 */
export const ifftn = (z: Tensor, opts: FFTNOptions = {}): Tensor => complexN('ifftn', z, opts, true, null);
/**
 * N-dimensional DFT of real data, like `numpy.fft.rfftn`: `rfft` over the last of `axes`, then
 * `fft` over the others.
 *
 * @param x - real float input.
 * @param opts - `s`, `axes` (default all), `norm`.
 * @returns the complex half spectrum (the last transformed axis has `n/2 + 1` bins).
 * @throws {AxisError} for repeated or out-of-range axes.
 *
 * @example
 * ```ts
 * import { fft, ones } from '@difflab/tensor';
 * fft.rfftn(ones([2, 3, 4])).shape; // => [2, 3, 3, 2]
 * ```
 */
export const rfftn = (x: Tensor, opts: FFTNOptions = {}): Tensor => rfftN('rfftn', x, opts, null);
/**
 * Inverse of {@link rfftn}, like `numpy.fft.irfftn`: `ifft` over all but the last of `axes`, then
 * `irfft` over the last.
 *
 * @param y - complex half spectrum `[..., 2]`.
 * @param opts - `s` (output lengths; needed for odd last lengths), `axes`, `norm`.
 * @returns the real signal.
 * @throws {AxisError} for repeated or out-of-range axes.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * fft.irfftn(fft.rfftn(x), { s: [2, 3] }).toArray(); // => [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export const irfftn = (y: Tensor, opts: FFTNOptions = {}): Tensor => irfftN('irfftn', y, opts, null);

/**
 * 2-D complex DFT over the last two axes (or `axes`), like `numpy.fft.fft2`.
 *
 * @param z - complex input `[..., h, w, 2]`.
 * @param opts - `s`, `axes` (default [-2, -1]), `norm`.
 * @returns the complex spectrum.
 * @throws {AxisError} for repeated or out-of-range axes.
 *
 * @example
 * ```ts
 * import { fft, tensor, zeros } from '@difflab/tensor';
 * const z = fft.complex(tensor([[1, 2], [3, 4]]), zeros([2, 2]));
 * fft.fft2(z).toArray(); // => [[[10, 0], [-2, 0]], [[-4, 0], [0, 0]]]
 * ```
 */
export const fft2 = (z: Tensor, opts: FFTNOptions = {}): Tensor => complexN('fft2', z, opts, false, [-2, -1]);
/**
 * 2-D inverse complex DFT over the last two axes (or `axes`), like `numpy.fft.ifft2`.
 *
 * @param z - complex input `[..., h, w, 2]`.
 * @param opts - `s`, `axes` (default [-2, -1]), `norm`.
 * @returns the complex signal.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * const X = tensor([[[10, 0], [-2, 0]], [[-4, 0], [0, 0]]]);
 * fft.real(fft.ifft2(X)).toArray(); // => [[1, 2], [3, 4]]
 * ```
 */
export const ifft2 = (z: Tensor, opts: FFTNOptions = {}): Tensor => complexN('ifft2', z, opts, true, [-2, -1]);
/**
 * 2-D DFT of real data over the last two axes, like `numpy.fft.rfft2`: `[..., h, w]` ->
 * `[..., h, w/2+1, 2]`.
 *
 * The spectral layer of a Fourier neural operator mixes the low modes of this and maps back with
 * {@link irfft2}.
 *
 * @param x - real float input `[..., h, w]`.
 * @param opts - `s`, `axes` (default [-2, -1]), `norm`.
 * @returns the complex half spectrum.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * fft.rfft2(tensor([[1, 2, 3], [4, 5, 6]])).toArray(); // => [[[21, 0], [-3, 1.7321]], [[-9, 0], [0, 0]]]
 * ```
 */
export const rfft2 = (x: Tensor, opts: FFTNOptions = {}): Tensor => rfftN('rfft2', x, opts, [-2, -1]);
/**
 * Inverse of {@link rfft2}, like `numpy.fft.irfft2`: `[..., h, m, 2]` ->
 * `[..., h, s?.[1] ?? 2 * (m - 1)]`.
 *
 * @param y - complex half spectrum `[..., h, m, 2]`.
 * @param opts - `s` (output size; needed for an odd width), `axes`, `norm`.
 * @returns the real signal.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * fft.irfft2(fft.rfft2(x), { s: [2, 3] }).toArray(); // => [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export const irfft2 = (y: Tensor, opts: FFTNOptions = {}): Tensor => irfftN('irfft2', y, opts, [-2, -1]);
