import {
  ShapeError,
  abs,
  add,
  fmtShape,
  minimum,
  mul,
  pow,
  relu,
  sqrt,
  sub,
  sum,
  where,
  type Tensor,
} from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import {
  checkFiniteNumber,
  checkPositiveNumber,
  checkSigns,
  requireFloat,
  requireSameShape,
} from '../core/validate.js';

/**
 * Options of {@link cosineEmbedding}.
 *
 * @example
 * ```ts
 * import type { CosineEmbeddingOptions } from '@difflab/losses';
 * const o: CosineEmbeddingOptions = { margin: 0.5 };
 * ```
 */
export interface CosineEmbeddingOptions extends ReductionOptions {
  /** Negative pairs are penalised when their cosine exceeds this. Default 0. */
  margin?: number;
}

/**
 * Cosine embedding loss (PyTorch's `cosine_embedding_loss`): `1 - cos(x1, x2)` for `y = 1` and
 * `max(0, cos - margin)` for `y = -1`, with PyTorch's cosine
 * `x1·x2 / sqrt((|x1|² + 1e-12)(|x2|² + 1e-12))`.
 *
 * @param input1 - Embeddings `[N, D]` or `[D]`.
 * @param input2 - Embeddings of the same shape.
 * @param target - ±1 labels `[N]` (or a scalar for 1-D inputs).
 * @param opts - See {@link CosineEmbeddingOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} for inputs that are not 1-D/2-D or mismatched shapes.
 * @throws {ValueError} for targets other than ±1.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { cosineEmbedding } from '@difflab/losses';
 * const a = tensor([[1, 0], [1, 0]]);
 * const b = tensor([[1, 1], [1, 1]]);
 * cosineEmbedding(a, b, tensor([1, -1]), { reduction: 'none' }).toArray(); // [0.2929, 0.7071]
 * ```
 */
export function cosineEmbedding(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  opts: CosineEmbeddingOptions = {},
): Tensor {
  const op = 'cosineEmbedding';
  requireFloat(op, 'input1', input1);
  requireFloat(op, 'input2', input2);
  requireSameShape(op, ['input1', 'input2'], input1, input2);
  if (input1.ndim < 1 || input1.ndim > 2)
    throw new ShapeError(`${op}: inputs must be [N, D] or [D], got ${fmtShape(input1.shape)}`);
  if (target.ndim !== input1.ndim - 1 || (target.ndim === 1 && target.shape[0] !== input1.shape[0]))
    throw new ShapeError(
      `${op}: target of shape ${fmtShape(target.shape)} must have shape ${fmtShape(input1.shape.slice(0, -1))}`,
    );
  checkSigns(op, 'target', target);
  const margin = opts.margin ?? 0;
  checkFiniteNumber(op, 'margin', margin);
  const dot = sum(mul(input1, input2), -1);
  const m1 = sum(mul(input1, input1), -1).add(1e-12);
  const m2 = sum(mul(input2, input2), -1).add(1e-12);
  const cos = dot.div(sqrt(mul(m1, m2)));
  const loss = where(target.equal(1), sub(1, cos), relu(sub(cos, margin)));
  return reduce(op, loss, opts.reduction);
}

/**
 * Options of {@link tripletMargin}.
 *
 * @example
 * ```ts
 * import type { TripletMarginOptions } from '@difflab/losses';
 * const o: TripletMarginOptions = { margin: 0.2, p: 2, swap: true };
 * ```
 */
export interface TripletMarginOptions extends ReductionOptions {
  /** Required gap between the positive and negative distances. Default 1. */
  margin?: number;
  /** Norm degree of the pairwise distance. Default 2. */
  p?: number;
  /** Added to the difference before the norm, as PyTorch's `pairwise_distance`. Default 1e-6. */
  eps?: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance (distance swap). Default false. */
  swap?: boolean;
}

/**
 * Distance between rows (PyTorch's `pairwise_distance`): `‖x1 - x2 + eps‖_p` over the last axis.
 *
 * @param x1 - First points `[..., D]`.
 * @param x2 - Second points, broadcastable to `x1`.
 * @param p - Norm degree (default 2).
 * @param eps - Added to the difference, as PyTorch (default 1e-6).
 * @returns The distances, the last axis reduced.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { pairwiseDistance } from '@difflab/losses';
 * pairwiseDistance(tensor([[0, 0]]), tensor([[3, 4]]), 2, 0).toArray(); // [5]
 * ```
 */
export function pairwiseDistance(x1: Tensor, x2: Tensor, p = 2, eps = 1e-6): Tensor {
  const d = add(sub(x1, x2), eps);
  if (p === 2) return sqrt(sum(mul(d, d), -1));
  if (p === 1) return sum(abs(d), -1);
  return pow(sum(pow(abs(d), p), -1), 1 / p);
}

/**
 * Triplet margin loss (PyTorch's `triplet_margin_loss`): `max(d(a, p) - d(a, n) + margin, 0)` with
 * {@link pairwiseDistance}; `swap` uses `min(d(a, n), d(p, n))` (Balntas et al., 2016).
 *
 * @param anchor - Anchors `[N, D]` or `[D]`.
 * @param positive - Positives, same shape.
 * @param negative - Negatives, same shape.
 * @param opts - See {@link TripletMarginOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} for inputs that are not 1-D/2-D or mismatched shapes.
 * @throws {ValueError} for a non-positive margin or p.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { tripletMargin } from '@difflab/losses';
 * tripletMargin(tensor([[0, 0]]), tensor([[0, 1]]), tensor([[0, 1.5]]), { eps: 0 }).item(); // 0.5
 * ```
 */
export function tripletMargin(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  opts: TripletMarginOptions = {},
): Tensor {
  const op = 'tripletMargin';
  requireFloat(op, 'anchor', anchor);
  requireFloat(op, 'positive', positive);
  requireFloat(op, 'negative', negative);
  requireSameShape(op, ['anchor', 'positive'], anchor, positive);
  requireSameShape(op, ['anchor', 'negative'], anchor, negative);
  if (anchor.ndim < 1 || anchor.ndim > 2)
    throw new ShapeError(`${op}: inputs must be [N, D] or [D], got ${fmtShape(anchor.shape)}`);
  const margin = opts.margin ?? 1;
  checkPositiveNumber(op, 'margin', margin);
  const p = opts.p ?? 2;
  checkPositiveNumber(op, 'p', p);
  const eps = opts.eps ?? 1e-6;
  const dPos = pairwiseDistance(anchor, positive, p, eps);
  let dNeg = pairwiseDistance(anchor, negative, p, eps);
  if (opts.swap) dNeg = minimum(dNeg, pairwiseDistance(positive, negative, p, eps));
  return reduce(op, relu(sub(dPos, dNeg).add(margin)), opts.reduction);
}
