import { ValueError } from '@difflab/tensor';
import { integer } from '../internal/checks.js';

/**
 * Joe & Kuo (2008) primitive polynomials and initial direction numbers ("new-joe-kuo-6.21201"),
 * the table scipy.stats.qmc.Sobol uses, for the first 21 dimensions: [polynomial, m_1..m_s].
 * The polynomial is encoded with its leading and constant bits, so its degree s is floor(log2).
 */
const TABLE: readonly (readonly [number, readonly number[]])[] = [
  [1, [1]],
  [3, [1]],
  [7, [1, 3]],
  [11, [1, 3, 1]],
  [13, [1, 1, 1]],
  [19, [1, 1, 3, 3]],
  [25, [1, 3, 5, 13]],
  [37, [1, 1, 5, 5, 17]],
  [41, [1, 1, 5, 5, 5]],
  [47, [1, 1, 7, 11, 19]],
  [55, [1, 1, 5, 1, 1]],
  [59, [1, 1, 1, 3, 11]],
  [61, [1, 3, 5, 5, 31]],
  [67, [1, 3, 3, 9, 7, 49]],
  [91, [1, 1, 1, 15, 21, 21]],
  [97, [1, 3, 1, 13, 27, 49]],
  [103, [1, 1, 1, 15, 7, 5]],
  [109, [1, 3, 1, 15, 13, 25]],
  [115, [1, 1, 5, 5, 19, 61]],
  [131, [1, 3, 7, 11, 23, 15, 103]],
  [137, [1, 3, 7, 13, 13, 15, 69]],
];

/**
 * Largest dimension `sobolSequence` supports (the size of its direction-number table).
 *
 * @example
 * ```ts
 * import { SOBOL_MAX_DIM, sobolSequence } from '@difflab/pde';
 * const pts = sobolSequence(8, Math.min(3, SOBOL_MAX_DIM));
 * ```
 */
export const SOBOL_MAX_DIM = TABLE.length;
const BITS = 30;

function directionNumbers(dim: number): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (let d = 0; d < dim; d++) {
    const v = new Uint32Array(BITS);
    const [poly, m0] = TABLE[d]!;
    if (poly === 1) {
      for (let k = 0; k < BITS; k++) v[k] = 1 << (BITS - 1 - k);
    } else {
      const s = Math.floor(Math.log2(poly));
      const m = new Array<number>(BITS);
      for (let k = 0; k < s; k++) m[k] = m0[k]!;
      for (let k = s; k < BITS; k++) {
        // Bratley–Fox recurrence: m_k = 2^s m_{k-s} xor m_{k-s} xor sum_j a_j 2^j m_{k-j}.
        let x = (m[k - s]! << s) ^ m[k - s]!;
        for (let j = 1; j < s; j++) if ((poly >> (s - j)) & 1) x ^= m[k - j]! << j;
        m[k] = x;
      }
      for (let k = 0; k < BITS; k++) v[k] = m[k]! << (BITS - 1 - k);
    }
    out.push(v);
  }
  return out;
}

/**
 * The first `n` points (after `skip`) of the unscrambled Sobol sequence in [0, 1)^dim, in Gray-code
 * order — the same points as `scipy.stats.qmc.Sobol(dim, scramble=False)`, whose first point is the
 * origin. Row-major [n, dim].
 *
 * @example
 * ```ts
 * import { sobolSequence } from '@difflab/pde';
 * const pts = sobolSequence(4, 2); // [0, 0, 0.5, 0.5, 0.75, 0.25, 0.25, 0.75]
 * ```
 */
export function sobolSequence(n: number, dim: number, skip = 0): Float64Array {
  integer('sobol', 'n', n);
  integer('sobol', 'dim', dim, 1);
  integer('sobol', 'skip', skip);
  if (dim > SOBOL_MAX_DIM) throw new ValueError(`sobol: at most ${SOBOL_MAX_DIM} dimensions are tabulated, got ${dim}`);
  if (n + skip > 2 ** BITS) throw new ValueError(`sobol: at most 2^${BITS} points, got n + skip = ${n + skip}`);
  const v = directionNumbers(dim);
  const x = new Uint32Array(dim);
  const out = new Float64Array(n * dim);
  const scale = 2 ** -BITS;
  for (let i = 0; i < n + skip; i++) {
    if (i >= skip) for (let d = 0; d < dim; d++) out[(i - skip) * dim + d] = x[d]! * scale;
    // Gray code: the next point flips the direction number of the lowest zero bit of i.
    let c = 0;
    while ((i >> c) & 1) c++;
    for (let d = 0; d < dim; d++) x[d] = (x[d]! ^ v[d]![c]!) >>> 0;
  }
  return out;
}
