/**
 * One row of a triangular substitution, shared by the plain and the blocked solvers so both do
 * exactly the same arithmetic: row i of X (B's row i, k right-hand sides) loses T[i, p] X[p] for
 * p in [p0, p1), then is divided by T[i, i] unless `unit`. Zero coefficients are skipped.
 */
export function rowSolve(
  t: Float64Array,
  tOff: number,
  b: Float64Array,
  bOff: number,
  n: number,
  k: number,
  i: number,
  p0: number,
  p1: number,
  unit: boolean,
): void {
  const ti = tOff + i * n;
  const bi = bOff + i * k;
  for (let p = p0; p < p1; p++) {
    const f = t[ti + p]!;
    if (f === 0) continue;
    const bp = bOff + p * k;
    for (let c = 0; c < k; c++) b[bi + c]! -= f * b[bp + c]!;
  }
  if (!unit) {
    const inv = 1 / t[ti + i]!;
    for (let c = 0; c < k; c++) b[bi + c]! *= inv;
  }
}
