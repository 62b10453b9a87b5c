import { abs2, complex, complexEinsum, complexMul, conj, imag, real } from './complex.js';
import { fftfreq, rfftfreq } from './freq.js';
import { fft2, fftn, ifft2, ifftn, irfft2, irfftn, rfft2, rfftn } from './nd.js';
import { fft as fft1, ifft, irfft, rfft } from './transforms.js';

export type { FFTNorm, FFTOptions } from './transforms.js';
export type { FFTNOptions } from './nd.js';
export type { FFTKernel, FFTKernelName } from './dispatch.js';

/**
 * Differentiable discrete Fourier transforms, following `numpy.fft` / `torch.fft` (`n`, `axis`,
 * `s`, `axes`, `norm`).
 *
 * **Complex layout:** a complex tensor is a float32/float64 tensor whose trailing dimension has
 * size 2 and holds (real, imag); `fft.complex(re, im)`, `fft.real(z)`, `fft.imag(z)` convert.
 * `axis` / `axes` of complex inputs count the axes before that trailing dimension.
 *
 * - `fft`, `ifft`: complex -> complex along one axis; `fft2`/`ifft2`, `fftn`/`ifftn` over several.
 * - `rfft`: real `[..., n]` -> `[..., n/2+1, 2]`; `irfft` back (output length `n`, default `2(m-1)`);
 *   `rfft2`/`irfft2`, `rfftn`/`irfftn` over several axes (the Fourier-neural-operator pair).
 * - `complexMul`, `complexEinsum`, `conj`, `abs2`: complex arithmetic on the same layout.
 * - `fftfreq`, `rfftfreq`: bin frequencies.
 *
 * Transforms run on the host in float64 (radix-2 for powers of two, Bluestein's chirp-z for other
 * lengths) unless the device registers `fft.c2c` / `fft.r2c` / `fft.c2r` kernels; float32 in gives
 * float32 out. Gradients are written with the transforms themselves, so any order works.
 *
 * @example
 * ```ts
 * import { fft, tensor } from '@difflab/tensor';
 * // Low-pass filter: keep the DC and first bins of a length-4 signal.
 * const x = tensor([1, 2, 3, 4]);
 * const X = fft.rfft(x); // [[10, 0], [-2, 2], [-2, 0]]
 * const mask = tensor([[1], [1], [0]]);
 * fft.irfft(X.mul(mask), { n: 4 }).toArray(); // => [1.5, 1.5, 3.5, 3.5]
 * fft.abs2(X).toArray(); // => [100, 8, 4]
 * ```
 *
 * @namespace
 */
export const fft = {
  // `@function` makes typedoc document each member with the function's own doc comment.
  /** @function */
  fft: fft1,
  /** @function */
  ifft,
  /** @function */
  rfft,
  /** @function */
  irfft,
  /** @function */
  fft2,
  /** @function */
  ifft2,
  /** @function */
  rfft2,
  /** @function */
  irfft2,
  /** @function */
  fftn,
  /** @function */
  ifftn,
  /** @function */
  rfftn,
  /** @function */
  irfftn,
  /** @function */
  fftfreq,
  /** @function */
  rfftfreq,
  /** @function */
  complex,
  /** @function */
  real,
  /** @function */
  imag,
  /** @function */
  conj,
  /** @function */
  abs2,
  /** @function */
  complexMul,
  /** @function */
  complexEinsum,
} as const;
