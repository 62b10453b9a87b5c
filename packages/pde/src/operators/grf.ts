import { createRng } from '@difflab/optim';
import { Tensor, fromTypedArray } from '@difflab/tensor';
import { integer, positive } from '../internal/checks.js';

/**
 * Covariance and sampling options of the Gaussian random fields.
 *
 * @example
 * ```ts
 * import { gaussianRandomField1d, type GrfOptions } from '@difflab/pde';
 * const opts: GrfOptions = { alpha: 2.5, tau: 7, sigma: 49, seed: 3 }; // the FNO paper's Burgers inputs
 * const u0 = gaussianRandomField1d(100, 256, opts); // [100, 256]
 * ```
 */
export interface GrfOptions {
  /** Smoothness exponent α of the covariance σ²(4π²|k|² + τ²)^(−α) (default 2). */
  alpha?: number;
  /** Inverse length scale τ (default 5). */
  tau?: number;
  /** Amplitude σ (default 25, so σ² = 625 as in the FNO Burgers data). */
  sigma?: number;
  /** Random seed (default 0). */
  seed?: number;
  /** dtype of the samples (default 'float32'). */
  dtype?: 'float32' | 'float64';
}

function params(op: string, o: GrfOptions) {
  return {
    alpha: positive(op, 'alpha', o.alpha ?? 2),
    tau: positive(op, 'tau', o.tau ?? 5),
    sigma: positive(op, 'sigma', o.sigma ?? 25),
  };
}

/**
 * `count` samples of a zero-mean periodic Gaussian random field on [0, 1) at n grid points x_j = j/n,
 * with covariance operator σ²(−Δ + τ²I)^(−α) (Li et al. 2021 draw Burgers initial conditions from
 * σ = 25, τ = 5, α = 2). Spectral synthesis with the modes a grid of n points resolves. [count, n].
 *
 * @example
 * ```ts
 * import { gaussianRandomField1d } from '@difflab/pde';
 * const u0 = gaussianRandomField1d(10, 64, { seed: 1, dtype: 'float64' }); // [10, 64] periodic samples
 * ```
 */
export function gaussianRandomField1d(count: number, n: number, opts: GrfOptions = {}): Tensor {
  const op = 'gaussianRandomField1d';
  integer(op, 'count', count, 1);
  integer(op, 'n', n, 2);
  const { alpha, tau, sigma } = params(op, opts);
  const rng = createRng(opts.seed ?? 0, 0x9f1);
  const out = new Float64Array(count * n);
  const kmax = Math.floor((n - 1) / 2);
  for (let s = 0; s < count; s++)
    for (let k = 1; k <= kmax; k++) {
      const amp = sigma * Math.pow(4 * Math.PI * Math.PI * k * k + tau * tau, -alpha / 2) * Math.SQRT2;
      const a = amp * rng.normal();
      const b = amp * rng.normal();
      for (let j = 0; j < n; j++) {
        const th = (2 * Math.PI * k * j) / n;
        out[s * n + j] += a * Math.cos(th) + b * Math.sin(th);
      }
    }
  const dtype = opts.dtype ?? 'float32';
  return fromTypedArray(dtype === 'float64' ? out : Float32Array.from(out), [count, n], { dtype });
}

/**
 * Two-dimensional analogue on [0, 1)², samples [count, n, n] (modes |k_x|, |k_y| ≤ (n−1)/2, no mean).
 *
 * @example
 * ```ts
 * import { gaussianRandomField2d } from '@difflab/pde';
 * const f = gaussianRandomField2d(4, 32, { tau: 3, alpha: 1.5 }); // [4, 32, 32]
 * ```
 */
export function gaussianRandomField2d(count: number, n: number, opts: GrfOptions = {}): Tensor {
  const op = 'gaussianRandomField2d';
  integer(op, 'count', count, 1);
  integer(op, 'n', n, 2);
  const { alpha, tau, sigma } = params(op, opts);
  const rng = createRng(opts.seed ?? 0, 0x9f2);
  const out = new Float64Array(count * n * n);
  const kmax = Math.floor((n - 1) / 2);
  const cos = (k: number) => Float64Array.from({ length: n }, (_, j) => Math.cos((2 * Math.PI * k * j) / n));
  const sin = (k: number) => Float64Array.from({ length: n }, (_, j) => Math.sin((2 * Math.PI * k * j) / n));
  for (let s = 0; s < count; s++)
    for (let kx = 0; kx <= kmax; kx++)
      for (let ky = -kmax; ky <= kmax; ky++) {
        // Each ±k pair once: kx > 0, or kx = 0 with ky > 0.
        if (kx === 0 && ky <= 0) continue;
        const lam = Math.pow(4 * Math.PI * Math.PI * (kx * kx + ky * ky) + tau * tau, -alpha / 2);
        const a = sigma * lam * Math.SQRT2 * rng.normal();
        const b = sigma * lam * Math.SQRT2 * rng.normal();
        const [cx, sx, cy, sy] = [cos(kx), sin(kx), cos(ky), sin(ky)];
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            // cos(θx + θy) and sin(θx + θy).
            const c = cx[i]! * cy[j]! - sx[i]! * sy[j]!;
            const si = sx[i]! * cy[j]! + cx[i]! * sy[j]!;
            out[(s * n + i) * n + j] += a * c + b * si;
          }
      }
  const dtype = opts.dtype ?? 'float32';
  return fromTypedArray(dtype === 'float64' ? out : Float32Array.from(out), [count, n, n], { dtype });
}
