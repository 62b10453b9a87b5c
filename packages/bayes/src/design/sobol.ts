import { ValueError } from '@difflab/tensor';
import { createRng } from '@difflab/optim';

/**
 * Primitive polynomials and initial direction numbers of Joe & Kuo (2008), file
 * new-joe-kuo-6.21201, dimensions 2–21: [degree s, coefficient bits a, m_1 … m_s]. Dimension 1 is
 * the van der Corput sequence in base 2. The unscrambled sequence equals scipy.stats.qmc.Sobol(d,
 * scramble=False) (checked by the fixture test).
 */
const JOE_KUO: readonly (readonly number[])[] = [
  [1, 0, 1],
  [2, 1, 1, 3],
  [3, 1, 1, 3, 1],
  [3, 2, 1, 1, 1],
  [4, 1, 1, 1, 3, 3],
  [4, 4, 1, 3, 5, 13],
  [5, 2, 1, 1, 5, 5, 17],
  [5, 4, 1, 1, 5, 5, 5],
  [5, 7, 1, 1, 7, 11, 19],
  [5, 11, 1, 1, 5, 1, 1],
  [5, 13, 1, 1, 1, 3, 11],
  [5, 14, 1, 3, 5, 5, 31],
  [6, 1, 1, 3, 3, 9, 7, 49],
  [6, 13, 1, 1, 1, 15, 21, 21],
  [6, 16, 1, 3, 1, 13, 27, 49],
  [6, 19, 1, 1, 1, 15, 7, 5],
  [6, 22, 1, 3, 1, 15, 13, 25],
  [6, 25, 1, 1, 5, 5, 19, 61],
  [7, 1, 1, 3, 7, 11, 23, 15, 103],
  [7, 4, 1, 3, 7, 13, 13, 15, 69],
];

/**
 * Largest dimension with built-in direction numbers.
 *
 * {@link sobol} throws for larger dimensions; use {@link latinHypercube} there.
 *
 * @example
 * ```ts
 * import { SOBOL_MAX_DIM, sobol, latinHypercube } from '@difflab/bayes';
 * const d = 30;
 * const design = d <= SOBOL_MAX_DIM ? sobol(16, d) : latinHypercube(16, d);
 * ```
 */
export const SOBOL_MAX_DIM = JOE_KUO.length + 1;
const BITS = 32;
const SCALE = 2 ** -BITS;

function directionNumbers(dim: number): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (let j = 0; j < dim; j++) {
    const v = new Uint32Array(BITS);
    if (j === 0) {
      for (let k = 0; k < BITS; k++) v[k] = 2 ** (BITS - 1 - k);
    } else {
      const [s, a, ...m] = JOE_KUO[j - 1]!;
      for (let k = 0; k < s!; k++) v[k] = (m[k]! * 2 ** (BITS - 1 - k)) >>> 0;
      for (let k = s!; k < BITS; k++) {
        let x = (v[k - s!]! ^ (v[k - s!]! >>> s!)) >>> 0;
        for (let i = 1; i < s!; i++) if ((a! >>> (s! - 1 - i)) & 1) x = (x ^ v[k - i]!) >>> 0;
        v[k] = x;
      }
    }
    out.push(v);
  }
  return out;
}

/**
 * Options of {@link sobol}.
 *
 * @example
 * ```ts
 * import type { SobolOptions } from '@difflab/bayes';
 * const opts: SobolOptions = { scramble: true, seed: 42, skip: 0 };
 * ```
 */
export interface SobolOptions {
  /** Random digital shift (XOR of each coordinate with a seeded random 32-bit word). Default true. */
  scramble?: boolean;
  /** Seed of the scrambling. Default 0. */
  seed?: number;
  /** Skip this many leading points of the sequence. Default 0. */
  skip?: number;
}

/**
 * `n` points of the `dim`-dimensional Sobol sequence in [0, 1)^dim (Gray-code order, Joe–Kuo
 * direction numbers, dim ≤ 21). With `scramble` (default) a random digital shift is applied, which
 * keeps the (t, m, s)-net structure, so powers of two remain the best sample sizes.
 *
 * SciPy's `scipy.stats.qmc.Sobol(d, scramble=...)` / PyTorch's `SobolEngine` up to the scrambling
 * scheme; the default initial design of {@link bayesOpt}.
 *
 * @param n - number of points.
 * @param dim - dimension (1 ≤ dim ≤ {@link SOBOL_MAX_DIM}).
 * @param opts - scrambling, seed and skip.
 * @returns `n` points, each an array of `dim` coordinates in [0, 1).
 * @throws {ValueError} for a dimension above SOBOL_MAX_DIM or a negative n.
 *
 * @example
 * ```ts
 * import { sobol } from '@difflab/bayes';
 * sobol(4, 2, { scramble: false }); // [[0, 0], [0.5, 0.5], [0.75, 0.25], [0.25, 0.75]]
 * sobol(8, 3, { seed: 1 }); // 8 scrambled points in [0, 1)³
 * ```
 */
export function sobol(n: number, dim: number, opts: SobolOptions = {}): number[][] {
  if (!Number.isInteger(dim) || dim < 1 || dim > SOBOL_MAX_DIM)
    throw new ValueError(
      `sobol: dim must be an integer in [1, ${SOBOL_MAX_DIM}], got ${dim}; use latinHypercube for more dimensions`,
    );
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`sobol: n must be a non-negative integer, got ${n}`);
  const skip = opts.skip ?? 0;
  if (!Number.isInteger(skip) || skip < 0 || n + skip > 2 ** BITS)
    throw new ValueError(`sobol: skip must be a non-negative integer, got ${skip}`);
  const v = directionNumbers(dim);
  const shift = new Uint32Array(dim);
  if (opts.scramble ?? true) {
    const rng = createRng(opts.seed ?? 0, 0x50b01);
    for (let j = 0; j < dim; j++) shift[j] = Math.floor(rng.uniform() * 2 ** BITS) >>> 0;
  }
  const x = new Uint32Array(dim);
  const out: number[][] = [];
  for (let i = 0; i < n + skip; i++) {
    if (i > 0) {
      // Gray code: flip the direction number of the lowest zero bit of i − 1.
      let c = 0;
      let k = i - 1;
      while (k & 1) {
        k >>>= 1;
        c++;
      }
      for (let j = 0; j < dim; j++) x[j] = (x[j]! ^ v[j]![c]!) >>> 0;
    }
    if (i >= skip) out.push(Array.from(x, (xi, j) => ((xi ^ shift[j]!) >>> 0) * SCALE));
  }
  return out;
}
