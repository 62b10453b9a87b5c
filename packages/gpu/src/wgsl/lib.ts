/**
 * WGSL scalar math shared by the kernels. Builtins whose WGSL accuracy bounds are loose (`exp` grows
 * with |x|, `log` is only absolutely accurate near 1, `sin`/`cos` to 2^-11) are replaced by
 * range-reduced polynomials that stay within a few ULP on every conforming device, so float32
 * results match the CPU backend to 1e-5 relative wherever the float32 inputs allow it.
 * Each entry lists the entries it calls; {@link withDeps} orders them for emission.
 */
interface LibFn {
  deps: readonly string[];
  code: string;
}

// Special values must be runtime values: WGSL rejects a constant expression that evaluates to inf or NaN.
const LIB: Record<string, LibFn> = {
  m_nan: { deps: [], code: `fn m_nan() -> f32 { var b = 0x7fc00000u; return bitcast<f32>(b); }` },
  m_inf: { deps: [], code: `fn m_inf() -> f32 { var b = 0x7f800000u; return bitcast<f32>(b); }` },
  m_isnan: { deps: [], code: `fn m_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }` },
  m_isinf: { deps: [], code: `fn m_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }` },
  m_signbit: { deps: [], code: `fn m_signbit(x: f32) -> bool { return (bitcast<u32>(x) >> 31u) == 1u; }` },
  // x * 2^n for n in [-150, 128], as two exact power-of-two factors built from their bits (each
  // within the normal range; cheaper than ldexp, whose exponent range WGSL leaves undefined here).
  m_ldexp: {
    deps: [],
    code: `fn m_ldexp(x: f32, n: i32) -> f32 {
  let h = n / 2;
  return x * bitcast<f32>(u32(h + 127) << 23u) * bitcast<f32>(u32(n - h + 127) << 23u);
}`,
  },
  // Branch-free (SIMD lanes of a CPU implementation would otherwise run every path): the argument is
  // clamped, the special cases patched in with select.
  m_exp: {
    deps: ['m_isnan', 'm_inf', 'm_ldexp'],
    code: `fn m_exp(x: f32) -> f32 {
  let xc = clamp(x, -104.0, 88.75);
  let n = round(xc * 1.4426950408889634);
  // ln 2 split so n * hi is exact (hi has 12 significant bits).
  let r = (xc - n * 0.693115234375) - n * 3.1946183e-05;
  let p = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666666666666666 + r * (0.041666666666666664 + r * (0.008333333333333333
    + r * (0.001388888888888889 + r * (0.0001984126984126984 + r * 2.48015873015873e-05)))))));
  var y = m_ldexp(p, i32(n));
  y = select(y, m_inf(), x > 88.72283935546875);
  y = select(y, 0.0, x < -103.97);
  return select(y, x, m_isnan(x));
}`,
  },
  // 2 atanh(f) for |f| <= 0.2, the core of log and log1p.
  m_log_core: {
    deps: [],
    code: `fn m_log_core(f: f32) -> f32 {
  let s = f * f;
  return f * (2.0 + s * (0.6666666666666666 + s * (0.4 + s * (0.2857142857142857 + s * (0.2222222222222222 + s * 0.18181818181818182)))));
}`,
  },
  m_log: {
    deps: ['m_isnan', 'm_nan', 'm_inf', 'm_log_core'],
    code: `fn m_log(x: f32) -> f32 {
  // Subnormals are scaled into the normal range first (where the device keeps them at all).
  let sub = x < 1.1754943508222875e-38;
  let bits = bitcast<u32>(select(x, x * 16777216.0, sub));
  // x = m 2^e with m in [1, 2) from the bit fields, then m moved into [sqrt(1/2), sqrt(2)).
  var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u);
  var e = f32(i32((bits >> 23u) & 0xffu) - 127) - select(0.0, 24.0, sub);
  let hi = m > 1.4142135623730951;
  m = select(m, m * 0.5, hi);
  e = select(e, e + 1.0, hi);
  // log(m) = 2 atanh(f), f = (m - 1) / (m + 1), |f| <= 0.172; ln 2 split so e * hi is exact.
  let t = m_log_core((m - 1.0) / (m + 1.0));
  var y = (e * 3.1946183e-05 + t) + e * 0.693115234375;
  y = select(y, -m_inf(), x == 0.0);
  y = select(y, x, x > 3.4028234663852886e38);
  return select(y, m_nan(), m_isnan(x) || x < 0.0);
}`,
  },
  // GPU compilers may simplify (1 + x) - 1 to x, so log1p never relies on that rounding error
  // cancelling: near 0 it evaluates 2 atanh(x / (2 + x)) directly.
  m_log1p: {
    deps: ['m_log', 'm_log_core'],
    code: `fn m_log1p(x: f32) -> f32 {
  return select(m_log(1.0 + x), m_log_core(x / (2.0 + x)), abs(x) < 0.375);
}`,
  },
  m_expm1: {
    deps: ['m_exp'],
    code: `fn m_expm1(x: f32) -> f32 {
  // Taylor to x^9 near 0, where exp(x) - 1 would cancel.
  let t = x * (1.0 + x * (0.5 + x * (0.16666666666666666 + x * (0.041666666666666664 + x * (0.008333333333333333
    + x * (0.001388888888888889 + x * (0.0001984126984126984 + x * (2.48015873015873e-05 + x * 2.7557319223985893e-06))))))));
  return select(m_exp(x) - 1.0, t, abs(x) < 0.35);
}`,
  },
  m_sqrt: {
    deps: ['m_nan'],
    code: `fn m_sqrt(x: f32) -> f32 { if (x < 0.0) { return m_nan(); } return sqrt(x); }`,
  },
  m_sincos: {
    deps: ['m_isnan', 'm_isinf', 'm_nan'],
    code: `fn m_sincos(x: f32) -> vec2<f32> {
  if (m_isnan(x) || m_isinf(x)) { return vec2<f32>(m_nan(), m_nan()); }
  if (abs(x) > 65536.0) { return vec2<f32>(sin(x), cos(x)); }
  // Cody-Waite reduction by pi/2 in three parts, Taylor polynomials on [-pi/4, pi/4].
  let n = round(x * 0.6366197723675814);
  let r = ((x - n * 1.5703125) - n * 4.837512969970703e-04) - n * 7.549789954891882e-08;
  let r2 = r * r;
  let s = r + r * r2 * (-0.16666666666666666 + r2 * (0.008333333333333333 + r2 * (-0.0001984126984126984
    + r2 * (2.7557319223985893e-06 - r2 * 2.505210838544172e-08))));
  let c = 1.0 - (0.5 * r2 - r2 * r2 * (0.041666666666666664 + r2 * (-0.001388888888888889 + r2 * (2.48015873015873e-05
    + r2 * (-2.755731922398589e-07 + r2 * 2.08767569878681e-09)))));
  let q = i32(n) & 3;
  if (q == 0) { return vec2<f32>(s, c); }
  if (q == 1) { return vec2<f32>(c, -s); }
  if (q == 2) { return vec2<f32>(-s, -c); }
  return vec2<f32>(-c, s);
}`,
  },
  m_atan: {
    deps: ['m_isnan'],
    code: `fn m_atan(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  var a = abs(x);
  var inv = false;
  if (a > 1.0) { a = 1.0 / a; inv = true; }
  var base = 0.0;
  if (a > 0.41421356237309503) { base = 0.7853981633974483; a = (a - 1.0) / (a + 1.0); }
  let z = a * a;
  let p = -0.3333333333333333 + z * (0.2 + z * (-0.14285714285714285 + z * (0.1111111111111111 + z * (-0.09090909090909091
    + z * (0.07692307692307693 + z * (-0.06666666666666667 + z * (0.058823529411764705 + z * -0.05263157894736842)))))));
  var r = base + (a + a * z * p);
  if (inv) { r = 1.5707963267948966 - r; }
  return select(r, -r, x < 0.0);
}`,
  },
  m_atan2: {
    deps: ['m_atan', 'm_isnan', 'm_isinf', 'm_nan', 'm_signbit'],
    code: `fn m_atan2(y: f32, x: f32) -> f32 {
  if (m_isnan(x) || m_isnan(y)) { return m_nan(); }
  let ax = abs(x);
  let ay = abs(y);
  var r = 0.0;
  if (m_isinf(ax) && m_isinf(ay)) { r = 0.7853981633974483; }
  else if (ay == 0.0 && ax == 0.0) { r = 0.0; }
  else if (ay <= ax) { r = m_atan(ay / ax); }
  else { r = 1.5707963267948966 - m_atan(ax / ay); }
  if (m_signbit(x)) { r = 3.141592653589793 - r; }
  return select(r, -r, m_signbit(y));
}`,
  },
  m_asin: {
    deps: ['m_atan2', 'm_nan'],
    code: `fn m_asin(x: f32) -> f32 {
  if (abs(x) > 1.0) { return m_nan(); }
  return m_atan2(x, sqrt((1.0 - x) * (1.0 + x)));
}`,
  },
  m_acos: {
    deps: ['m_atan2', 'm_nan'],
    code: `fn m_acos(x: f32) -> f32 {
  if (abs(x) > 1.0) { return m_nan(); }
  return m_atan2(sqrt((1.0 - x) * (1.0 + x)), x);
}`,
  },
  m_sinh: {
    deps: ['m_exp', 'm_expm1'],
    code: `fn m_sinh(x: f32) -> f32 {
  let a = abs(x);
  var r = 0.0;
  if (a < 1.0) { let e = m_expm1(a); r = 0.5 * (e + e / (e + 1.0)); }
  else if (a < 88.0) { let e = m_exp(a); r = 0.5 * (e - 1.0 / e); }
  else { let e = m_exp(0.5 * a); r = (0.5 * e) * e; }
  return select(r, -r, x < 0.0);
}`,
  },
  m_cosh: {
    deps: ['m_exp'],
    code: `fn m_cosh(x: f32) -> f32 {
  let a = abs(x);
  if (a < 88.0) { let e = m_exp(a); return 0.5 * (e + 1.0 / e); }
  let e = m_exp(0.5 * a);
  return (0.5 * e) * e;
}`,
  },
  m_tanh: {
    deps: ['m_exp'],
    code: `fn m_tanh(x: f32) -> f32 {
  let a = abs(x);
  // Odd Taylor series below 0.175 (1 - 2/(e^2a + 1) would cancel), the exponential form above.
  let z = a * a;
  let small = a * (1.0 + z * (-0.3333333333333333 + z * (0.13333333333333333 + z * (-0.05396825396825397 + z * 0.021869488536155203))));
  let r = select(1.0 - 2.0 / (m_exp(2.0 * a) + 1.0), small, a < 0.175);
  return select(r, -r, x < 0.0);
}`,
  },
  m_asinh: {
    deps: ['m_log', 'm_log1p'],
    code: `fn m_asinh(x: f32) -> f32 {
  let a = abs(x);
  var r = 0.0;
  if (a > 1e18) { r = m_log(a) + 0.6931471805599453; }
  else { let a2 = a * a; r = m_log1p(a + a2 / (1.0 + sqrt(1.0 + a2))); }
  return select(r, -r, x < 0.0);
}`,
  },
  m_acosh: {
    deps: ['m_log', 'm_log1p', 'm_nan'],
    code: `fn m_acosh(x: f32) -> f32 {
  if (x < 1.0) { return m_nan(); }
  if (x > 1e18) { return m_log(x) + 0.6931471805599453; }
  let t = x - 1.0;
  return m_log1p(t + sqrt(2.0 * t + t * t));
}`,
  },
  // Near |x| = 1 the difference of two log1p keeps 1 - |x| exact; near 0, log1p(2x / (1 - x)).
  m_atanh: {
    deps: ['m_log1p'],
    code: `fn m_atanh(x: f32) -> f32 {
  let a = abs(x);
  var r = 0.0;
  if (a < 0.5) { r = 0.5 * m_log1p(2.0 * a / (1.0 - a)); } else { r = 0.5 * (m_log1p(a) - m_log1p(-a)); }
  return select(r, -r, x < 0.0);
}`,
  },
  m_sigmoid: {
    deps: ['m_exp'],
    code: `fn m_sigmoid(x: f32) -> f32 {
  let e = m_exp(-abs(x));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0);
}`,
  },
  m_softplus: {
    deps: ['m_exp', 'm_log1p', 'm_isnan'],
    code: `fn m_softplus(x: f32) -> f32 {
  return select(max(x, 0.0) + m_log1p(m_exp(-abs(x))), x, m_isnan(x));
}`,
  },
  // exp(-a^2) with a = hi + lo: hi^2 is exact, so the argument carries no rounding error.
  m_expnsq: {
    deps: ['m_exp'],
    code: `fn m_expnsq(a: f32) -> f32 {
  let hi = bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
  return m_exp(-hi * hi) * m_exp(-(a - hi) * (a + hi));
}`,
  },
  // erf(a), 0 <= a < 1: exp(-a^2) * sum 2^n a^(2n+1) / (2n+1)!!, all terms positive.
  m_erf_series: {
    deps: ['m_expnsq'],
    code: `fn m_erf_series(a: f32) -> f32 {
  let a2 = a * a;
  var term = a;
  var sum = a;
  for (var n = 1; n < 40; n++) {
    term = term * (2.0 * a2) / f32(2 * n + 1);
    sum = sum + term;
    if (term < sum * 1e-8) { break; }
  }
  return 1.1283791670955126 * m_expnsq(a) * sum;
}`,
  },
  // erfc(a), a >= 1: the continued fraction a + (1/2)/(a + 1/(a + (3/2)/(a + ...))) evaluated backwards.
  m_erfc_cf: {
    deps: ['m_expnsq'],
    code: `fn m_erfc_cf(a: f32) -> f32 {
  var f = a;
  for (var k = 60; k >= 1; k--) { f = a + (f32(k) * 0.5) / f; }
  return m_expnsq(a) * 0.5641895835477563 / f;
}`,
  },
  m_erfc_pos: {
    deps: ['m_erf_series', 'm_erfc_cf'],
    code: `fn m_erfc_pos(a: f32) -> f32 {
  if (a < 1.0) { return 1.0 - m_erf_series(a); }
  if (a > 10.0) { return 0.0; }
  return m_erfc_cf(a);
}`,
  },
  m_erf: {
    deps: ['m_erf_series', 'm_erfc_cf', 'm_isnan'],
    code: `fn m_erf(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  let a = abs(x);
  var r = 1.0;
  if (a < 1.0) { r = m_erf_series(a); } else if (a < 6.0) { r = 1.0 - m_erfc_cf(a); }
  return select(r, -r, x < 0.0);
}`,
  },
  // Winitzki's closed form, then Newton steps on erf (on erfc near |y| = 1, where 1 - |y| is exact).
  m_erfinv: {
    deps: ['m_erf_series', 'm_erfc_pos', 'm_expnsq', 'm_log', 'm_isnan', 'm_nan', 'm_inf'],
    code: `fn m_erfinv(y: f32) -> f32 {
  if (m_isnan(y) || abs(y) > 1.0) { return m_nan(); }
  if (y == 0.0) { return y; }
  if (abs(y) == 1.0) { return select(m_inf(), -m_inf(), y < 0.0); }
  let ay = abs(y);
  let w = m_log((1.0 - ay) * (1.0 + ay));
  let t = 4.330746750799873 + 0.5 * w;
  var x = sqrt(sqrt(t * t - w / 0.147) - t);
  for (var i = 0; i < 4; i++) {
    var resid = 0.0;
    if (ay > 0.5) { resid = (1.0 - ay) - m_erfc_pos(x); } else { resid = m_erf_series(x) - ay; }
    x = max(x - resid / (1.1283791670955126 * m_expnsq(x)), 0.0);
  }
  return select(x, -x, y < 0.0);
}`,
  },
  m_sign: {
    deps: ['m_isnan'],
    code: `fn m_sign(x: f32) -> f32 {
  if (m_isnan(x)) { return x; }
  return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0);
}`,
  },
  m_powi: {
    deps: [],
    code: `fn m_powi(b: f32, n: u32) -> f32 {
  var r = 1.0;
  var p = b;
  var k = n;
  loop {
    if ((k & 1u) == 1u) { r = r * p; }
    k = k >> 1u;
    if (k == 0u) { break; }
    p = p * p;
  }
  return r;
}`,
  },
  // JavaScript Math.pow semantics (negative bases with integer exponents, 0 and infinity rules).
  m_pow: {
    deps: ['m_isnan', 'm_isinf', 'm_nan', 'm_exp', 'm_log', 'm_powi', 'm_signbit'],
    code: `fn m_pow(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (m_isnan(x) || m_isnan(y)) { return m_nan(); }
  let finite = !m_isinf(x) && !m_isinf(y);
  let isInt = finite && round(y) == y;
  if (m_signbit(x) && x != 0.0 && finite && !isInt) { return m_nan(); }
  let ax = abs(x);
  var r = 0.0;
  if (isInt && abs(y) <= 64.0) {
    r = m_powi(ax, u32(abs(y)));
    if (y < 0.0) { r = 1.0 / r; }
  } else if (y == 0.5 && finite) {
    r = sqrt(ax);
  } else {
    r = m_exp(y * m_log(ax));
  }
  let odd = isInt && abs(y) < 16777216.0 && (i32(abs(y) % 2.0) == 1);
  return select(r, -r, m_signbit(x) && odd);
}`,
  },
  m_powi32: {
    deps: [],
    code: `fn m_powi32(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var r = 1;
  var p = a;
  var k = b;
  loop {
    if ((k & 1) == 1) { r = r * p; }
    k = k >> 1u;
    if (k == 0) { break; }
    p = p * p;
  }
  return r;
}`,
  },
  // Python modulo (sign of the divisor) with an exact fmod for quotients below 2^24.
  m_mod: {
    deps: ['m_isnan', 'm_isinf', 'm_nan'],
    code: `fn m_mod(a: f32, b: f32) -> f32 {
  if (m_isnan(a) || m_isnan(b) || m_isinf(a) || b == 0.0) { return m_nan(); }
  var r = a;
  if (!m_isinf(b)) {
    let ab = abs(b);
    r = fma(-trunc(a / b), b, a);
    if (a >= 0.0 && r < 0.0) { r = r + ab; }
    if (a < 0.0 && r > 0.0) { r = r - ab; }
    if (abs(r) >= ab) { r = r - select(ab, -ab, a < 0.0); }
  }
  if (r != 0.0 && ((r < 0.0) != (b < 0.0))) { r = r + b; }
  return r;
}`,
  },
  m_modi: {
    deps: [],
    code: `fn m_modi(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  if (b == -1) { return 0; }
  var r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { r = r + b; }
  return r;
}`,
  },
  m_divi: {
    deps: [],
    code: `fn m_divi(a: i32, b: i32) -> i32 { if (b == 0) { return 0; } return a / b; }`,
  },
  // float -> int32 truncates toward zero; NaN gives 0 (as \`NaN | 0\` does).
  m_f2i: {
    deps: ['m_isnan'],
    code: `fn m_f2i(x: f32) -> i32 { if (m_isnan(x)) { return 0; } return i32(clamp(trunc(x), -2147483648.0, 2147483520.0)); }`,
  },
  m_maxf: {
    deps: ['m_isnan', 'm_nan'],
    code: `fn m_maxf(a: f32, b: f32) -> f32 { if (m_isnan(a) || m_isnan(b)) { return m_nan(); } return select(b, a, a > b); }`,
  },
  m_minf: {
    deps: ['m_isnan', 'm_nan'],
    code: `fn m_minf(a: f32, b: f32) -> f32 { if (m_isnan(a) || m_isnan(b)) { return m_nan(); } return select(b, a, a < b); }`,
  },
  m_truthy: {
    deps: ['m_isnan'],
    code: `fn m_truthy(x: f32) -> bool { return x != 0.0 && !m_isnan(x); }`,
  },
};

/** `names` plus everything they call, dependencies first, each once. */
export function withDeps(names: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    const f = LIB[n];
    if (!f) throw new Error(`wgsl lib: unknown function ${n}`);
    for (const d of f.deps) visit(d);
    out.push(n);
  };
  for (const n of names) visit(n);
  return out;
}

/** WGSL source of the library functions `names` needs (dependencies included). */
export function libCode(names: Iterable<string>): string {
  return withDeps(names)
    .map((n) => LIB[n]!.code)
    .join('\n');
}
