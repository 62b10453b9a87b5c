/** Euclidean norm of `count` entries of `a` from `start` in steps of `stride`, scaled against overflow. */
export function stridedNorm(a: Float64Array, start: number, stride: number, count: number): number {
  let scale = 0;
  for (let i = 0; i < count; i++) scale = Math.max(scale, Math.abs(a[start + i * stride]!));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < count; i++) {
    const v = a[start + i * stride]! / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/**
 * Reflector `H = I - tau v v^T` with `v[0] = 1` mapping `[alpha, x]` to `[beta, 0]`, in LAPACK's
 * sign convention (`beta = -sign(alpha) ||[alpha, x]||`), so Q/R signs agree with PyTorch/NumPy.
 * The tail of v is `x * scale`. With `x = 0` the reflector is the identity (tau = 0, beta = alpha).
 */
export function reflector(alpha: number, xnorm: number): { beta: number; tau: number; scale: number } {
  if (xnorm === 0) return { beta: alpha, tau: 0, scale: 0 };
  const r = Math.hypot(alpha, xnorm);
  const beta = alpha >= 0 ? -r : r;
  return { beta, tau: (beta - alpha) / beta, scale: 1 / (alpha - beta) };
}
