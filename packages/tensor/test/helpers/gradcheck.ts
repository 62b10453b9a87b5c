import { expect } from 'vitest';
import { Tensor, fromTypedArray, grad, sum, mul } from '../../src/index.js';

/**
 * Central finite differences in float64 against `grad`. `f` maps the float64 inputs to a Tensor; the
 * check differentiates `sum(f(x) * w)` for a fixed random weight `w` so non-scalar outputs are covered.
 */
export function gradcheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  opts: { eps?: number; rtol?: number; atol?: number; argnums?: number[] } = {},
): void {
  const eps = opts.eps ?? 1e-6;
  const rtol = opts.rtol ?? 1e-6;
  const atol = opts.atol ?? 1e-7;
  const xs = inputs.map((x) => (x.dtype === 'float64' ? x : x.astype('float64')));
  const y0 = f(...xs);
  const w = weights(y0.shape);
  const scalar = (...a: Tensor[]) => sum(mul(f(...a), w));
  const argnums = opts.argnums ?? xs.map((_, i) => i);
  const analytic = grad(scalar, { argnums })(...xs) as Tensor[];
  argnums.forEach((argi, k) => {
    const base = xs[argi]!.dataSync() as Float64Array;
    const numeric = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++) {
      const plus = Float64Array.from(base);
      const minus = Float64Array.from(base);
      plus[i]! += eps;
      minus[i]! -= eps;
      const at = (d: Float64Array) => {
        const args = xs.slice();
        args[argi] = fromTypedArray(d, xs[argi]!.shape, { dtype: 'float64' });
        return scalar(...args).item();
      };
      numeric[i] = (at(plus) - at(minus)) / (2 * eps);
    }
    const a = analytic[k]!.dataSync();
    for (let i = 0; i < numeric.length; i++) {
      const tol = atol + rtol * Math.abs(numeric[i]!) + 1e-5 * Math.abs(numeric[i]!);
      if (!(Math.abs(a[i]! - numeric[i]!) <= tol)) {
        expect.fail(`gradcheck: argument ${argi} element ${i}: analytic ${a[i]} vs numeric ${numeric[i]}`);
      }
    }
  });
}

/** Deterministic pseudo-random weights in [0.5, 1.5) so cancellations are unlikely. */
function weights(shape: readonly number[]): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const w = new Float64Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    w[i] = 0.5 + s / 2147483648;
  }
  return fromTypedArray(w, shape, { dtype: 'float64' });
}
