import { ValueError } from '@difflab/tensor';
import { createRng } from '@difflab/optim';

/**
 * Latin hypercube sample of `n` points in [0, 1)^dim: each axis is cut into n equal strata and
 * every stratum holds exactly one point (McKay et al. 1979), jittered uniformly within it.
 *
 * SciPy's `scipy.stats.qmc.LatinHypercube`; works in any dimension.
 *
 * @param n - number of points.
 * @param dim - dimension.
 * @param opts - `seed` (default 0).
 * @returns `n` points, each an array of `dim` coordinates in [0, 1).
 *
 * @example
 * ```ts
 * import { latinHypercube } from '@difflab/bayes';
 * const pts = latinHypercube(4, 2, { seed: 0 });
 * pts.map((p) => Math.floor(p[0]! * 4)).sort(); // [0, 1, 2, 3]: one point per stratum
 * ```
 */
export function latinHypercube(n: number, dim: number, opts: { seed?: number } = {}): number[][] {
  if (!Number.isInteger(dim) || dim < 1)
    throw new ValueError(`latinHypercube: dim must be a positive integer, got ${dim}`);
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`latinHypercube: n must be a non-negative integer, got ${n}`);
  const rng = createRng(opts.seed ?? 0, 0x1a5);
  const out = Array.from({ length: n }, () => new Array<number>(dim).fill(0));
  for (let j = 0; j < dim; j++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const k = rng.int(i + 1);
      [perm[i], perm[k]] = [perm[k]!, perm[i]!];
    }
    for (let i = 0; i < n; i++) out[i]![j] = (perm[i]! + rng.uniform()) / n;
  }
  return out;
}
