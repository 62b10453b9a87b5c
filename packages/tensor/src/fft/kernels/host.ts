import { planFor } from './plan.js';

/**
 * Batched host transforms along the last axis of contiguous float64 data. Complex values are
 * interleaved (re, im) pairs, matching the trailing-dimension-2 layout of complex tensors.
 */

/** `scale * sum_j z_j exp(-+2 pi i jk/n)` (`-` forward, `+` inverse) for each of `batch` rows. */
export function c2cHost(z: Float64Array, n: number, inverse: boolean, scale: number): Float64Array {
  const batch = z.length / (2 * n);
  const out = new Float64Array(z.length);
  const plan = planFor(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  // The inverse runs as conj(DFT(conj(z))): flip the sign of the imaginary part in and out.
  const s = inverse ? -1 : 1;
  for (let b = 0; b < batch; b++) {
    const off = 2 * n * b;
    for (let j = 0; j < n; j++) {
      re[j] = z[off + 2 * j]!;
      im[j] = s * z[off + 2 * j + 1]!;
    }
    plan.forward(re, im);
    for (let k = 0; k < n; k++) {
      out[off + 2 * k] = scale * re[k]!;
      out[off + 2 * k + 1] = s * scale * im[k]!;
    }
  }
  return out;
}

/**
 * Real-to-complex: the first `n//2 + 1` bins of the forward DFT of each real row, times `scale`.
 * Two real rows share one complex transform (`x + i y`), separated by Hermitian symmetry.
 */
export function r2cHost(x: Float64Array, n: number, scale: number): Float64Array {
  const batch = x.length / n;
  const m = (n >> 1) + 1;
  const out = new Float64Array(batch * m * 2);
  const plan = planFor(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let b = 0; b < batch; b += 2) {
    const pair = b + 1 < batch;
    const xo = b * n;
    for (let j = 0; j < n; j++) {
      re[j] = x[xo + j]!;
      im[j] = pair ? x[xo + n + j]! : 0;
    }
    plan.forward(re, im);
    const o0 = b * m * 2;
    const o1 = o0 + m * 2;
    for (let k = 0; k < m; k++) {
      const c = k === 0 ? 0 : n - k;
      // X = (Z_k + conj(Z_{n-k})) / 2, Y = (Z_k - conj(Z_{n-k})) / 2i.
      const zr = re[k]!;
      const zi = im[k]!;
      const cr = re[c]!;
      const ci = -im[c]!;
      out[o0 + 2 * k] = (0.5 * scale) * (zr + cr);
      out[o0 + 2 * k + 1] = (0.5 * scale) * (zi + ci);
      if (pair) {
        out[o1 + 2 * k] = (0.5 * scale) * (zi - ci);
        out[o1 + 2 * k + 1] = (-0.5 * scale) * (zr - cr);
      }
    }
  }
  return out;
}

/**
 * Complex-to-real: each row holds the bins `0..n//2` of a Hermitian spectrum; returns
 * `scale * sum_k c_k Re(Y_k exp(2 pi i jk/n))` with `c_k = 2` for the bins that stand for a
 * conjugate pair and 1 for DC and (even n) Nyquist, whose imaginary parts are ignored as in numpy.
 * Two rows share one complex inverse transform (their outputs are real, so `A + iB` separates).
 */
export function c2rHost(y: Float64Array, n: number, scale: number): Float64Array {
  const m = (n >> 1) + 1;
  const batch = y.length / (2 * m);
  const out = new Float64Array(batch * n);
  const plan = planFor(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const half = n % 2 === 0 ? n / 2 : -1;
  for (let b = 0; b < batch; b += 2) {
    const pair = b + 1 < batch;
    const a0 = b * m * 2;
    const a1 = a0 + m * 2;
    // Full spectrum of A + iB, where A and B are the Hermitian extensions of the two rows;
    // built conjugated, since the inverse runs as conj(DFT(conj(.))).
    for (let k = 0; k < m; k++) {
      const ar = y[a0 + 2 * k]!;
      const ai = k === 0 || k === half ? 0 : y[a0 + 2 * k + 1]!;
      const br = pair ? y[a1 + 2 * k]! : 0;
      const bi = pair && k !== 0 && k !== half ? y[a1 + 2 * k + 1]! : 0;
      // Z_k = A_k + i B_k
      re[k] = ar - bi;
      im[k] = -(ai + br);
      if (k > 0 && k !== half) {
        // Z_{n-k} = conj(A_k) + i conj(B_k)
        re[n - k] = ar + bi;
        im[n - k] = -(br - ai);
      }
    }
    plan.forward(re, im);
    const o0 = b * n;
    for (let j = 0; j < n; j++) {
      out[o0 + j] = scale * re[j]!;
      if (pair) out[o0 + n + j] = -scale * im[j]!;
    }
  }
  return out;
}
