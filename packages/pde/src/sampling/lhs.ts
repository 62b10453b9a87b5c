import { createRng, type Rng } from '@difflab/optim';
import { integer } from '../internal/checks.js';

/**
 * Latin hypercube sample of n points in [0, 1)^dim: every axis is cut into n equal strata and each
 * stratum holds exactly one point (a random permutation per axis, uniform jitter inside the stratum,
 * or the stratum centre when `centered`).
 *
 * @example
 * ```ts
 * import { latinHypercube } from '@difflab/pde';
 * const pts = latinHypercube(10, 2, { seed: 1 }); // one point per tenth of each axis
 * ```
 */
export function latinHypercube(
  n: number,
  dim: number,
  opts: { seed?: number; centered?: boolean; rng?: Rng } = {},
): Float64Array {
  integer('latinHypercube', 'n', n);
  integer('latinHypercube', 'dim', dim, 1);
  const rng = opts.rng ?? createRng(opts.seed ?? 0, 0x1a7);
  const out = new Float64Array(n * dim);
  const perm = new Int32Array(n);
  for (let d = 0; d < dim; d++) {
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    for (let i = 0; i < n; i++) out[i * dim + d] = (perm[i]! + (opts.centered ? 0.5 : rng.uniform())) / n;
  }
  return out;
}
