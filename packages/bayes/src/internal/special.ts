/**
 * Scalar normal-distribution helpers in float64, accurate in the far tails where the naive
 * formulas underflow or cancel (log Φ, inverse Mills ratio, log(φ + zΦ) for log-EI).
 */

const INV_SQRT_PI = 0.5641895835477563;
const SQRT1_2 = Math.SQRT1_2;
export const LOG_SQRT_2PI = 0.9189385332046728;
const LOG_SQRT_PI_OVER_2 = 0.2257913526447274; // ½ log(π/2)

/** exp(-x²/2)·sum 2^k x^(2k+1)/(2k+1)!! — erf by its positive series, good for |x| < 2.5. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let s = x;
  for (let k = 1; k < 200; k++) {
    term *= (2 * x2) / (2 * k + 1);
    s += term;
    if (term < s * 1e-17) break;
  }
  return 2 * INV_SQRT_PI * Math.exp(-x2) * s;
}

/** erfcx(x) = exp(x²) erfc(x) for x ≥ 2 by the Laplace continued fraction (modified Lentz). */
function erfcxContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return INV_SQRT_PI / f;
}

/** Scaled complementary error function exp(x²)·erfc(x), finite for every finite x ≥ -26. */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 2) return x > 1e8 ? INV_SQRT_PI / x : erfcxContinuedFraction(x);
  if (x >= 0) return Math.exp(x * x) * (1 - erfSeries(x));
  // erfc(-y) = 2 - erfc(y)
  return 2 * Math.exp(x * x) - erfcx(-x);
}

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  const r = ax < 2 ? erfSeries(ax) : ax > 6 ? 1 : 1 - Math.exp(-ax * ax) * erfcxContinuedFraction(ax);
  return x < 0 ? -r : r;
}

export function normPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

/** Φ(z), with full relative accuracy in the lower tail. */
export function normCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < -1) return 0.5 * Math.exp(-0.5 * z * z) * erfcx(-z * SQRT1_2);
  if (z > 38) return 1;
  return 0.5 * (1 + erf(z * SQRT1_2));
}

/** log Φ(z) without underflow for very negative z. */
export function logNormCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < -1) return Math.log(0.5 * erfcx(-z * SQRT1_2)) - 0.5 * z * z;
  // For z > 0 write log Φ = log1p(-Q) with the upper tail Q computed directly.
  if (z > 0) return Math.log1p(-0.5 * Math.exp(-0.5 * z * z) * erfcx(z * SQRT1_2));
  return Math.log(normCdf(z));
}

/** Inverse Mills ratio φ(z)/Φ(z), stable for z → -∞ (≈ -z) and z → ∞ (→ 0). */
export function invMills(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < -1) return (Math.SQRT2 * INV_SQRT_PI) / erfcx(-z * SQRT1_2);
  return normPdf(z) / normCdf(z);
}

/** log(1 - exp(-a)) for a > 0 (Mächler's two-branch formula). */
export function log1mexp(a: number): number {
  return a <= Math.LN2 ? Math.log(-Math.expm1(-a)) : Math.log1p(-Math.exp(-a));
}

/**
 * log h(z) with h(z) = φ(z) + zΦ(z), the expected improvement of a standard normal over -z.
 * For z ≤ -1 it uses h(z) = φ(z)(1 - |z|·erfcx(|z|/√2)·√(π/2)) in log form, and for z below
 * -1/√ε its asymptotic expansion log φ(z) - 2 log|z| (Ament et al. 2023, "Unexpected Improvements
 * to Expected Improvement"), so log-EI stays finite and smooth however far in the tail z is.
 */
export function logH(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z > -1) {
    const h = normPdf(z) + z * normCdf(z);
    return Math.log(h);
  }
  if (z > -1 / Math.sqrt(Number.EPSILON)) {
    const a = -(Math.log(erfcx(-z * SQRT1_2) * Math.abs(z)) + LOG_SQRT_PI_OVER_2);
    return -0.5 * z * z - LOG_SQRT_2PI + log1mexp(a);
  }
  return -0.5 * z * z - LOG_SQRT_2PI - 2 * Math.log(-z);
}

/** Quantile function of the standard normal (Acklam's rational approximation + one Halley step). */
export function normIcdf(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // Halley refinement against the accurate CDF.
  for (let i = 0; i < 2; i++) {
    const e = x < 0 ? normCdf(x) - p : 1 - p - normCdf(-x);
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
    x = x - u / (1 + (x * u) / 2);
  }
  return x;
}
