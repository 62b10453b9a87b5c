import type { Storage, View } from '../backend/types.js';
import { DeviceError } from '../errors.js';
import { backendOf } from '../ops/core.js';
import type { Tensor } from '../tensor.js';

/**
 * Keys under which a device may register FFT kernels in `Backend.kernels`.
 *
 * Each transforms the last axis of its input (complex inputs/outputs carry a trailing dimension
 * of 2):
 * - `fft.c2c` `[..., n, 2] -> [..., n, 2]`, opts `{ n, inverse, scale }`
 * - `fft.r2c` `[..., n] -> [..., n/2+1, 2]`, opts `{ n, scale }`
 * - `fft.c2r` `[..., n/2+1, 2] -> [..., n]`, opts `{ n, scale }` (imaginary parts of DC and Nyquist ignored)
 * and returns a fresh contiguous storage of the input's dtype. Without one, a backend with
 * synchronous reads computes on the host in float64.
 *
 * @example
 * ```ts
 * import { getBackend, type FFTKernelName } from '@difflab/tensor';
 * const key: FFTKernelName = 'fft.r2c';
 * getBackend('cpu').kernels?.[key]; // => undefined
 * ```
 */
export type FFTKernelName = 'fft.c2c' | 'fft.r2c' | 'fft.c2r';
/**
 * Signature of a device FFT kernel registered under an {@link FFTKernelName}.
 *
 * `x` is the input view (any strides), already cropped or zero-padded along its transformed axis
 * (to `n` points for c2c and r2c, to `n/2 + 1` bins for c2r); `scale` is the normalization factor
 * to multiply the result by.
 *
 * @example
 * ```ts
 * import { cpuBackend, registerBackend, fft, tensor, type Backend, type FFTKernel } from '@difflab/tensor';
 * // A device whose r2c kernel only handles length-2 signals: X = (x0 + x1, x0 - x1).
 * const r2c2: FFTKernel = (x, { n, scale }) => {
 *   if (n !== 2) throw new Error('length 2 only');
 *   const v = cpuBackend.readSync(x);
 *   const out = new Float32Array(v.length * 2);
 *   for (let i = 0; i < v.length / 2; i++) {
 *     out[4 * i] = (v[2 * i]! + v[2 * i + 1]!) * scale;
 *     out[4 * i + 2] = (v[2 * i]! - v[2 * i + 1]!) * scale;
 *   }
 *   return dev.fromHost(out, 'float32');
 * };
 * const dev: Backend = Object.create(cpuBackend, { name: { value: 'r2c2' }, kernels: { value: { 'fft.r2c': r2c2 } } });
 * registerBackend('r2c2', dev);
 * fft.rfft(tensor([3, 1], { device: 'r2c2' })).toArray(); // => [[4, 0], [2, 0]]
 * ```
 */
export type FFTKernel = (x: View, opts: Readonly<{ n: number; inverse?: boolean; scale: number }>) => Storage;

/**
 * Runs an FFT kernel on the input's device when it has one, else on the host in float64 (float32
 * data is widened for the computation and rounded once at the end).
 */
export function runFFT(
  op: string,
  kernel: FFTKernelName,
  x: Tensor,
  opts: { n: number; inverse?: boolean; scale: number },
  host: (data: Float64Array) => Float64Array,
): Storage {
  const backend = backendOf(x);
  const device = backend.kernels?.[kernel] as FFTKernel | undefined;
  if (device) return device(x.view, opts);
  const read = backend.readSync?.bind(backend);
  if (!read)
    throw new DeviceError(
      `${op}: device '${backend.name}' has no '${kernel}' kernel and cannot be read synchronously; move the tensor to the CPU with .to('cpu')`,
    );
  const v = read(x);
  const out = host(v instanceof Float64Array ? v : Float64Array.from(v));
  return backend.fromHost(x.dtype === 'float64' ? out : Float32Array.from(out), x.dtype);
}
