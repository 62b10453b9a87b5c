import {
  ShapeError,
  fmtShape,
  logsumexp,
  mean,
  mul,
  pow,
  reshape,
  sub,
  sum,
  square,
  where,
  type Tensor,
} from '@difflab/tensor';
import { checkPositiveNumber } from '../core/validate.js';
import { eyeMask, requireEmbeddings, requirePair } from './common.js';
import { safeSqrt } from '../distances/pairwise.js';

/**
 * Options of {@link alignment}.
 *
 * @example
 * ```ts
 * import type { AlignmentOptions } from '@difflab/losses';
 * const o: AlignmentOptions = { alpha: 2 };
 * ```
 */
export interface AlignmentOptions {
  /** Exponent α of the distance. Default 2. */
  alpha?: number;
}

/**
 * Alignment of positive pairs (Wang & Isola, "Understanding Contrastive Representation Learning
 * through Alignment and Uniformity on the Hypersphere", ICML 2020, eq. 3): E ‖x_i - y_i‖^α. Pass
 * normalised features, as in the paper.
 *
 * @param x - Features `[N, D]`.
 * @param y - Features of the positives, same shape.
 * @param opts - See {@link AlignmentOptions}.
 * @returns A scalar Tensor.
 * @throws {ShapeError} when the shapes differ or are not 2-D.
 * @throws {ValueError} for a non-positive alpha.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { alignment, l2normalize } from '@difflab/losses';
 * const x = l2normalize(tensor([[1, 0], [0, 1]]));
 * const y = l2normalize(tensor([[1, 1], [0, 1]]));
 * alignment(x, y).item(); // 0.2929
 * ```
 */
export function alignment(x: Tensor, y: Tensor, opts: AlignmentOptions = {}): Tensor {
  const op = 'alignment';
  requirePair(op, x, y, ['x', 'y']);
  if (x.shape[0] !== y.shape[0])
    throw new ShapeError(`${op}: x ${fmtShape(x.shape)} and y ${fmtShape(y.shape)} need the same N`);
  const alpha = opts.alpha ?? 2;
  checkPositiveNumber(op, 'alpha', alpha);
  const d2 = sum(square(sub(x, y)), 1);
  return mean(alpha === 2 ? d2 : pow(safeSqrt(d2), alpha));
}

/**
 * Options of {@link uniformity}.
 *
 * @example
 * ```ts
 * import type { UniformityOptions } from '@difflab/losses';
 * const o: UniformityOptions = { t: 2 };
 * ```
 */
export interface UniformityOptions {
  /** Kernel scale t. Default 2. */
  t?: number;
}

/**
 * Uniformity (Wang & Isola 2020, eq. 4): log E_{i<j} exp(-t ‖x_i - x_j‖²) over distinct pairs of
 * a batch [N, D] (N >= 2); lower is more uniform on the sphere.
 *
 * @param x - Features `[N, D]`, N >= 2.
 * @param opts - See {@link UniformityOptions}.
 * @returns A scalar Tensor.
 * @throws {ShapeError} for a non-2-D input or fewer than 2 rows.
 * @throws {ValueError} for a non-positive t.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { uniformity } from '@difflab/losses';
 * uniformity(tensor([[1, 0], [-1, 0]])).item(); // -8: -t * 4 for antipodal points
 * ```
 */
export function uniformity(x: Tensor, opts: UniformityOptions = {}): Tensor {
  const op = 'uniformity';
  requireEmbeddings(op, 'x', x);
  const n = x.shape[0]!;
  if (n < 2) throw new ShapeError(`${op}: needs at least 2 rows, got ${fmtShape(x.shape)}`);
  const t = opts.t ?? 2;
  checkPositiveNumber(op, 't', t);
  const d2 = sum(square(sub(reshape(x, [n, 1, -1]), reshape(x, [1, n, -1]))), 2);
  // Every unordered pair appears twice off the diagonal, so the mean over i<j is the mean over i≠j.
  const offDiag = where(eyeMask(n, x.device), -Infinity, mul(d2, -t));
  return sub(logsumexp(offDiag), Math.log(n * (n - 1)));
}
