import { mul, neg, relu, sub, where, type Tensor } from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkFiniteNumber, checkSigns, requireFloat, requireSameShape } from '../core/validate.js';

/**
 * Options of {@link marginRanking} (default margin 0) and {@link hingeEmbedding} (default margin 1).
 *
 * @example
 * ```ts
 * import type { MarginOptions } from '@difflab/losses';
 * const o: MarginOptions = { margin: 0.1, reduction: 'sum' };
 * ```
 */
export interface MarginOptions extends ReductionOptions {
  /** The margin (default 0 for `marginRanking`, 1 for `hingeEmbedding`). */
  margin?: number;
}

/**
 * Pairwise ranking hinge (PyTorch's `margin_ranking_loss`): `max(0, -y (x1 - x2) + margin)` for
 * `y` in {-1, 1} (1: x1 should rank higher). Default margin 0.
 *
 * @param input1 - First scores.
 * @param input2 - Second scores, same shape.
 * @param target - ±1, same shape.
 * @param opts - See {@link MarginOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for targets other than ±1.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { marginRanking } from '@difflab/losses';
 * marginRanking(tensor([1, 1]), tensor([0, 2]), tensor([1, 1]), { margin: 0.5, reduction: 'none' }).toArray(); // [0, 1.5]
 * ```
 */
export function marginRanking(input1: Tensor, input2: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const op = 'marginRanking';
  requireFloat(op, 'input1', input1);
  requireFloat(op, 'input2', input2);
  requireSameShape(op, ['input1', 'input2'], input1, input2);
  requireSameShape(op, ['input1', 'target'], input1, target);
  checkSigns(op, 'target', target);
  const margin = opts.margin ?? 0;
  checkFiniteNumber(op, 'margin', margin);
  const y = target.astype(input1.dtype);
  return reduce(op, relu(neg(mul(y, sub(input1, input2))).add(margin)), opts.reduction);
}

/**
 * Hinge embedding loss (PyTorch's `hinge_embedding_loss`): `x` where `y = 1` and
 * `max(0, margin - x)` where `y = -1`; inputs are typically distances. Default margin 1.
 *
 * @param input - Distances (or dissimilarities).
 * @param target - ±1, same shape (1: similar pair).
 * @param opts - See {@link MarginOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for targets other than ±1.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { hingeEmbedding } from '@difflab/losses';
 * hingeEmbedding(tensor([0.3, 0.4]), tensor([1, -1]), { reduction: 'none' }).toArray(); // [0.3, 0.6]
 * ```
 */
export function hingeEmbedding(input: Tensor, target: Tensor, opts: MarginOptions = {}): Tensor {
  const op = 'hingeEmbedding';
  requireFloat(op, 'input', input);
  requireSameShape(op, ['input', 'target'], input, target);
  checkSigns(op, 'target', target);
  const margin = opts.margin ?? 1;
  checkFiniteNumber(op, 'margin', margin);
  const pos = target.equal(1);
  return reduce(op, where(pos, input, relu(sub(margin, input))), opts.reduction);
}
