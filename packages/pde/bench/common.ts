// Shared pieces of the acceptance runs: the Burgers benchmark problem, error norms, and the
// command-line helpers of run.ts.
import { Tensor, fromTypedArray, mul, sin, slice, sub } from '@difflab/tensor';
import { hardConstraint, interval, spaceTime, timeDomain, type HardConstraint } from '../src/index.js';

/** ν = 0.01/π: the viscosity of the Raissi et al. (2019) Burgers benchmark. */
export const BURGERS_NU = 0.01 / Math.PI;

export const burgersDomain = () => spaceTime(interval(-1, 1), timeDomain(0, 1));

export const column = (x: Tensor, i: number): Tensor => slice(x, null, { start: i, stop: i + 1 });

/**
 * u = −sin(πx) + t(1 − x²)·N(x, t): the initial condition and u(±1, t) = 0 hold exactly, so the
 * PINN loss is the PDE residual (plus data in the inverse problem).
 */
export const burgersConstraint = (): HardConstraint =>
  hardConstraint({
    particular: (x) => mul(sin(mul(column(x, 0), Math.PI)), -1),
    distance: (x) => mul(column(x, 1), sub(1, mul(column(x, 0), column(x, 0)))),
  });

/** Rows (x, t) of a tensor grid: nx points on [x0, x1] times nt on [t0, t1], x-major. */
export function gridPoints(nx: number, [x0, x1]: [number, number], nt: number, [t0, t1]: [number, number]): number[][] {
  const pts: number[][] = [];
  for (let i = 0; i < nx; i++)
    for (let j = 0; j < nt; j++) pts.push([x0 + ((x1 - x0) * i) / (nx - 1), t0 + ((t1 - t0) * j) / (nt - 1)]);
  return pts;
}

export const pointsTensor = (pts: readonly (readonly number[])[]): Tensor =>
  fromTypedArray(Float64Array.from(pts.flat()), [pts.length, pts[0]!.length], { dtype: 'float64' });

/** ‖a − b‖₂ / ‖b‖₂. */
export function relativeL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** Deterministic standard normals (Box–Muller on a 32-bit LCG), independent of the tensor RNG. */
export function normals(count: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u()));
    const a = 2 * Math.PI * u();
    out[i] = r * Math.cos(a);
    if (i + 1 < count) out[i + 1] = r * Math.sin(a);
  }
  return out;
}
