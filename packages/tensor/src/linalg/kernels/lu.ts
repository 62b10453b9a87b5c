/**
 * LU factorisation with partial pivoting, in place: afterwards the strict lower triangle holds
 * the unit-lower factor L and the upper triangle holds U, with `P A = L U` where row i of P A is
 * row `perm[i]` of A. Returns the sign (+1/-1) of the permutation. A zero pivot column (singular
 * matrix) is skipped rather than reported: callers decide whether singularity is an error.
 */
export function luInPlace(a: Float64Array, off: number, n: number, perm: Int32Array): number {
  let sign = 1;
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[off + k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[off + i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      const rk = off + k * n;
      const rp = off + p * n;
      for (let c = 0; c < n; c++) {
        const tmp = a[rk + c]!;
        a[rk + c] = a[rp + c]!;
        a[rp + c] = tmp;
      }
      const tp = perm[k]!;
      perm[k] = perm[p]!;
      perm[p] = tp;
      sign = -sign;
    }
    const rk = off + k * n;
    const d = a[rk + k]!;
    if (d === 0) continue;
    for (let i = k + 1; i < n; i++) {
      const ri = off + i * n;
      const l = a[ri + k]! / d;
      a[ri + k] = l;
      if (l === 0) continue;
      for (let c = k + 1; c < n; c++) a[ri + c]! -= l * a[rk + c]!;
    }
  }
  return sign;
}

/** Index of the first zero on U's diagonal, or -1. */
export function zeroPivot(lu: Float64Array, off: number, n: number): number {
  for (let i = 0; i < n; i++) if (lu[off + i * n + i] === 0) return i;
  return -1;
}

/**
 * Solves `A X = B` from a factorisation by {@link luInPlace}; B is n×k at `bOff`, read and written
 * through a scratch copy so the row permutation can be applied without aliasing.
 */
export function luSolve(
  lu: Float64Array,
  off: number,
  n: number,
  perm: Int32Array,
  b: Float64Array,
  bOff: number,
  k: number,
): void {
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const src = bOff + perm[i]! * k;
    for (let c = 0; c < k; c++) x[i * k + c] = b[src + c]!;
  }
  for (let i = 0; i < n; i++) {
    const ri = off + i * n;
    for (let j = 0; j < i; j++) {
      const f = lu[ri + j]!;
      if (f === 0) continue;
      for (let c = 0; c < k; c++) x[i * k + c]! -= f * x[j * k + c]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = off + i * n;
    for (let j = i + 1; j < n; j++) {
      const f = lu[ri + j]!;
      if (f === 0) continue;
      for (let c = 0; c < k; c++) x[i * k + c]! -= f * x[j * k + c]!;
    }
    const inv = 1 / lu[ri + i]!;
    for (let c = 0; c < k; c++) x[i * k + c]! *= inv;
  }
  b.set(x, bOff);
}
