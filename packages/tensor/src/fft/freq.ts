import { ValueError } from '../errors.js';
import { fromTypedArray, type CreateOptions } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';

function check(op: string, n: number, d: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`${op}: n must be a positive integer, got ${n}`);
  if (!Number.isFinite(d) || d === 0) throw new ValueError(`${op}: sample spacing d must be finite and non-zero, got ${d}`);
}

/**
 * Sample frequencies of an n-point DFT with sample spacing `d`, like `numpy.fft.fftfreq`:
 * `[0, 1, ..., ceil(n/2) - 1, -floor(n/2), ..., -1] / (d n)`.
 *
 * Float32 unless `opts.dtype`; not differentiable (a constant).
 *
 * @param n - the transform length.
 * @param d - the sample spacing (default 1).
 * @param opts - `dtype`, `device`.
 * @returns `[n]` frequencies in cycles per unit of `d`.
 * @throws {ValueError} for a non-positive `n` or a zero/non-finite `d`.
 *
 * @example
 * ```ts
 * import { fft } from '@difflab/tensor';
 * fft.fftfreq(4).toArray(); // => [0, 0.25, -0.5, -0.25]
 * ```
 */
export function fftfreq(n: number, d = 1, opts: CreateOptions = {}): Tensor {
  check('fftfreq', n, d);
  const out = new Float64Array(n);
  const pos = Math.ceil(n / 2);
  for (let k = 0; k < n; k++) out[k] = (k < pos ? k : k - n) / (d * n);
  return fromTypedArray(out, [n], { dtype: opts.dtype ?? 'float32', device: opts.device });
}

/**
 * Non-negative sample frequencies of {@link rfft}, like `numpy.fft.rfftfreq`:
 * `[0, 1, ..., floor(n/2)] / (d n)`.
 *
 * @param n - the (real) signal length.
 * @param d - the sample spacing (default 1).
 * @param opts - `dtype`, `device`.
 * @returns `[n/2 + 1]` frequencies.
 * @throws {ValueError} for a non-positive `n` or a zero/non-finite `d`.
 *
 * @example
 * ```ts
 * import { fft } from '@difflab/tensor';
 * fft.rfftfreq(5, 0.5).toArray(); // => [0, 0.4, 0.8]
 * ```
 */
export function rfftfreq(n: number, d = 1, opts: CreateOptions = {}): Tensor {
  check('rfftfreq', n, d);
  const m = (n >> 1) + 1;
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) out[k] = k / (d * n);
  return fromTypedArray(out, [m], { dtype: opts.dtype ?? 'float32', device: opts.device });
}
