import { ValueError } from '@difflab/tensor';
import { integer } from '../internal/checks.js';

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];

/** Radical inverse of i in base b (van der Corput). */
function radicalInverse(i: number, b: number): number {
  let f = 1;
  let r = 0;
  while (i > 0) {
    f /= b;
    r += f * (i % b);
    i = Math.floor(i / b);
  }
  return r;
}

/**
 * The unscrambled Halton sequence in [0, 1)^dim (bases 2, 3, 5, …), the points of
 * `scipy.stats.qmc.Halton(dim, scramble=False)`, starting at index `skip`. Row-major [n, dim].
 *
 * @example
 * ```ts
 * import { haltonSequence } from '@difflab/pde';
 * const pts = haltonSequence(3, 2, 1); // [0.5, 1/3, 0.25, 2/3, 0.75, 1/9]
 * ```
 */
export function haltonSequence(n: number, dim: number, skip = 0): Float64Array {
  integer('halton', 'n', n);
  integer('halton', 'dim', dim, 1);
  integer('halton', 'skip', skip);
  if (dim > PRIMES.length) throw new ValueError(`halton: at most ${PRIMES.length} dimensions, got ${dim}`);
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) out[i * dim + d] = radicalInverse(i + skip, PRIMES[d]!);
  return out;
}
