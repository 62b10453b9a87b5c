import { AxisError, ValueError, fmtShape } from '../errors.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { complexInput, floatInput } from './checks.js';
import { fft, ifft, irfft, rfft, type FFTNorm } from './transforms.js';

/** Options of the multi-axis transforms (`fft.fft2`, `fft.fftn`, `fft.rfft2`, ...), as numpy's `s`, `axes`, `norm`. */
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

/** N-dimensional complex DFT over `axes` (default: all axes); see {@link fft} for the complex layout. */
export const fftn = (z: Tensor, opts: FFTNOptions = {}): Tensor => complexN('fftn', z, opts, false, null);
/** N-dimensional inverse complex DFT over `axes` (default: all axes). */
export const ifftn = (z: Tensor, opts: FFTNOptions = {}): Tensor => complexN('ifftn', z, opts, true, null);
/** N-dimensional DFT of real data: `rfft` over the last of `axes`, then `fft` over the others. */
export const rfftn = (x: Tensor, opts: FFTNOptions = {}): Tensor => rfftN('rfftn', x, opts, null);
/** Inverse of {@link rfftn}: `ifft` over all but the last of `axes`, then `irfft` over the last. */
export const irfftn = (y: Tensor, opts: FFTNOptions = {}): Tensor => irfftN('irfftn', y, opts, null);

/** 2-D complex DFT over the last two axes (or `axes`). */
export const fft2 = (z: Tensor, opts: FFTNOptions = {}): Tensor => complexN('fft2', z, opts, false, [-2, -1]);
/** 2-D inverse complex DFT over the last two axes (or `axes`). */
export const ifft2 = (z: Tensor, opts: FFTNOptions = {}): Tensor => complexN('ifft2', z, opts, true, [-2, -1]);
/**
 * 2-D DFT of real data over the last two axes: `[..., h, w]` -> `[..., h, w/2+1, 2]`. The spectral
 * layer of a Fourier neural operator mixes the low modes of this and maps back with {@link irfft2}.
 */
export const rfft2 = (x: Tensor, opts: FFTNOptions = {}): Tensor => rfftN('rfft2', x, opts, [-2, -1]);
/** Inverse of {@link rfft2}: `[..., h, m, 2]` -> `[..., h, s?.[1] ?? 2 * (m - 1)]`. */
export const irfft2 = (y: Tensor, opts: FFTNOptions = {}): Tensor => irfftN('irfft2', y, opts, [-2, -1]);
