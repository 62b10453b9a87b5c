/**
 * Extends `k` orthonormal rows of length p (row-major in `rows`, room for `total` rows) to `total`
 * orthonormal rows by Gram–Schmidt (twice, for stability) on standard basis vectors. Rows listed in
 * `missing` are the slots to fill; all other rows must already be orthonormal.
 */
export function completeOrthonormal(
  rows: Float64Array,
  p: number,
  present: readonly number[],
  missing: readonly number[],
): void {
  const have = [...present];
  const cand = new Float64Array(p);
  let mi = 0;
  for (const thr of [0.5, 0.1, 1e-3, 1e-8]) {
    for (let c = 0; c < p && mi < missing.length; c++) {
      cand.fill(0);
      cand[c] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const r of have) {
          const o = r * p;
          let dot = 0;
          for (let i = 0; i < p; i++) dot += rows[o + i]! * cand[i]!;
          for (let i = 0; i < p; i++) cand[i]! -= dot * rows[o + i]!;
        }
      }
      let nrm = 0;
      for (let i = 0; i < p; i++) nrm += cand[i]! * cand[i]!;
      nrm = Math.sqrt(nrm);
      if (nrm <= thr) continue;
      const slot = missing[mi++]!;
      for (let i = 0; i < p; i++) rows[slot * p + i] = cand[i]! / nrm;
      have.push(slot);
    }
    if (mi === missing.length) return;
  }
}
