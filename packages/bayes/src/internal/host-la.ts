/**
 * Dense float64 linear algebra on row-major host arrays. The GP fit/predict hot path factorizes
 * the same kernel matrix many times; doing it here avoids building autodiff graphs for work whose
 * adjoint is known in closed form (see `ops/gauss-loglik.ts`).
 */

/** In-place lower Cholesky of the n×n row-major matrix `a` (upper triangle zeroed). Returns -1 on success or the failing row. */
export function choleskyInPlace(a: Float64Array, n: number): number {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j]!;
    for (let k = 0; k < j; k++) d -= a[rj + k]! * a[rj + k]!;
    if (!(d > 0)) return j;
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = s * inv;
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
  return -1;
}

/** Solves L x = b in place (L lower, row-major n×n); b is a vector. */
export function forwardSubst(L: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[ri + k]! * b[k]!;
    b[i] = s / L[ri + i]!;
  }
  return b;
}

/** Solves Lᵀ x = b in place. */
export function backSubst(L: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * b[k]!;
    b[i] = s / L[i * n + i]!;
  }
  return b;
}

/** (L Lᵀ)⁻¹ b for a vector b (copied). */
export function choSolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return backSubst(L, n, forwardSubst(L, n, Float64Array.from(b)));
}

/**
 * Solves L X = B for B of shape n×m (row-major), overwriting B. Rows are processed so that the
 * inner loop runs over the m right-hand sides contiguously.
 */
export function forwardSubstMat(L: Float64Array, n: number, B: Float64Array, m: number): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const bi = i * m;
    for (let k = 0; k < i; k++) {
      const l = L[ri + k]!;
      if (l === 0) continue;
      const bk = k * m;
      for (let c = 0; c < m; c++) B[bi + c]! -= l * B[bk + c]!;
    }
    const inv = 1 / L[ri + i]!;
    for (let c = 0; c < m; c++) B[bi + c]! *= inv;
  }
  return B;
}

/**
 * (L Lᵀ)⁻¹ as a dense symmetric matrix (≈ n³/3 flops), written as contiguous dot products, the
 * fastest loop shape in JavaScript: row c of `T` holds column c of L⁻¹ (forward substitution on
 * e_c), and K⁻¹_ij = Σ_{k ≥ max(i,j)} T_ik T_jk.
 */
export function choInverse(L: Float64Array, n: number): Float64Array {
  const T = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const rc = c * n;
    T[rc + c] = 1 / L[c * n + c]!;
    for (let i = c + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = c; k < i; k++) s += L[ri + k]! * T[rc + k]!;
      T[rc + i] = -s / L[ri + i]!;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = i; j < n; j++) {
      const rj = j * n;
      let s0 = 0;
      let s1 = 0;
      let k = j;
      for (; k + 1 < n; k += 2) {
        s0 += T[ri + k]! * T[rj + k]!;
        s1 += T[ri + k + 1]! * T[rj + k + 1]!;
      }
      if (k < n) s0 += T[ri + k]! * T[rj + k]!;
      out[ri + j] = s0 + s1;
      out[rj + i] = s0 + s1;
    }
  }
  return out;
}

/** log det(L Lᵀ) = 2 Σ log L_ii. */
export function choLogDet(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]!);
  return 2 * s;
}

export interface JitteredCholesky {
  L: Float64Array;
  /** The jitter that was added to the diagonal (0 when none was needed). */
  jitter: number;
}

/**
 * Cholesky with jitter escalation: when K is not numerically positive definite, retries with
 * `jitter·mean(diag K)` added to the diagonal, growing the jitter tenfold each time (GPyTorch's
 * psd_safe_cholesky does the same). Returns null when every attempt failed.
 */
export function choleskyWithJitter(
  K: Float64Array,
  n: number,
  opts: { initial?: number; maxTries?: number } = {},
): JitteredCholesky | null {
  const initial = opts.initial ?? 1e-8;
  const maxTries = opts.maxTries ?? 6;
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += K[i * n + i]!;
  meanDiag = n > 0 ? Math.abs(meanDiag / n) || 1 : 1;
  for (let t = 0; t <= maxTries; t++) {
    const jitter = t === 0 ? 0 : initial * meanDiag * 10 ** (t - 1);
    const A = Float64Array.from(K);
    if (jitter > 0) for (let i = 0; i < n; i++) A[i * n + i]! += jitter;
    if (choleskyInPlace(A, n) < 0) return { L: A, jitter };
  }
  return null;
}
