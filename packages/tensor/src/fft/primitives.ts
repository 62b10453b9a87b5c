import { record } from '../autodiff/graph.js';
import { fromStorage } from '../ops/core.js';
import { mul } from '../ops/binary.js';
import { fromTypedArray } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { runFFT } from './dispatch.js';
import { c2cHost, c2rHost, r2cHost } from './kernels/host.js';

/**
 * The three FFT primitives along the last (complex) axis, each with a vector-Jacobian rule written
 * in terms of the others so every order of derivative is available:
 *
 * - `c2c` is a complex-linear map `scale * F` (or `scale * conj(F)` for the inverse). For a real loss
 *   the cotangent of the (re, im) pair is `M^H g`, which is the opposite-direction transform with
 *   the same scale.
 * - `r2c` keeps bins `0..n/2` of `scale * F x`. Its adjoint is `Re(scale * conj(F)^T g)`, which is
 *   `c2r` of `g` once the bins that `c2r` counts twice (all but DC and Nyquist) are halved.
 * - `c2r` is `scale * sum_k c_k Re(Y_k e^{+i theta})` with `c_k` in {1, 2}; its adjoint is
 *   `c_k * r2c(g)`.
 */

/** `c_k` of the Hermitian half-spectrum (1 for DC and, for even n, Nyquist; 2 otherwise). */
function binWeights(like: Tensor, n: number, invert: boolean): Tensor {
  const m = (n >> 1) + 1;
  const w = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const c = k === 0 || 2 * k === n ? 1 : 2;
    w[k] = invert ? 1 / c : c;
  }
  return fromTypedArray(w, [m, 1], { dtype: like.dtype, device: like.device });
}

/** Unnormalized complex DFT (inverse: `+` sign) of `[..., n, 2]` along `n`, times `scale`. */
export function c2c(z: Tensor, inverse: boolean, scale: number): Tensor {
  const n = z.shape[z.ndim - 2]!;
  const op = inverse ? 'ifft' : 'fft';
  const s = runFFT(op, 'fft.c2c', z, { n, inverse, scale }, (d) => c2cHost(d, n, inverse, scale));
  const out = fromStorage(s, z.shape, z.dtype);
  return record(out, op, [z], (g) => [c2c(g, !inverse, scale)]);
}

/** Real `[..., n]` -> half spectrum `[..., n/2+1, 2]`, times `scale`. */
export function r2c(x: Tensor, scale: number): Tensor {
  const n = x.shape[x.ndim - 1]!;
  const m = (n >> 1) + 1;
  const s = runFFT('rfft', 'fft.r2c', x, { n, scale }, (d) => r2cHost(d, n, scale));
  const out = fromStorage(s, [...x.shape.slice(0, -1), m, 2], x.dtype);
  return record(out, 'rfft', [x], (g) => [c2r(mul(g, binWeights(g, n, true)), n, scale)]);
}

/** Half spectrum `[..., n/2+1, 2]` -> real `[..., n]`, times `scale`. */
export function c2r(y: Tensor, n: number, scale: number): Tensor {
  const s = runFFT('irfft', 'fft.c2r', y, { n, scale }, (d) => c2rHost(d, n, scale));
  const out = fromStorage(s, [...y.shape.slice(0, -2), n], y.dtype);
  return record(out, 'irfft', [y], (g) => [mul(r2c(g, scale), binWeights(g, n, false))]);
}
