import { erfc, erfinv } from '../special.js';

const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Standard normal CDF, relatively accurate in the lower tail (down to about -37). */
export function ndtr(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

/**
 * Inverse standard normal CDF for p in (0, 1), to double precision in both tails: a starting point
 * from erfinv (or the tail asymptote for tiny p), then Newton steps on log(Phi), which is close to
 * quadratic in the lower tail and so converges in a few steps where Phi itself underflows quickly.
 */
export function ndtri(p: number): number {
  if (!(p > 0)) return p === 0 ? -Infinity : NaN;
  if (!(p < 1)) return p === 1 ? Infinity : NaN;
  // 1 - p is exact for p >= 0.5, so the upper half reduces to the lower tail without loss.
  if (p > 0.5) return -ndtri(1 - p);
  let x: number;
  if (p > 1e-8) x = -Math.SQRT2 * erfinv(1 - 2 * p);
  else {
    const t = -2 * Math.log(p);
    x = -Math.sqrt(t - Math.log(t) - 2 * LOG_SQRT_2PI);
  }
  const logp = Math.log(p);
  for (let i = 0; i < 60; i++) {
    const phi = ndtr(x);
    if (phi <= 0) break;
    // d/dx log Phi(x) = pdf(x) / Phi(x)
    const ratio = Math.exp(-0.5 * x * x - LOG_SQRT_2PI) / phi;
    const step = (Math.log(phi) - logp) / ratio;
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}
