import { mul, neg, relu, sub, where, type Tensor } from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkFiniteNumber, checkSigns, requireFloat, requireSameShape } from '../core/validate.js';

export interface MarginOptions extends ReductionOptions {
  margin?: number;
}

/** PyTorch's `margin_ranking_loss`: max(0, -y (x1 - x2) + margin) for y in {-1, 1}. Default margin 0. */
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
 * PyTorch's `hinge_embedding_loss`: x where y = 1 and max(0, margin - x) where y = -1 (input are
 * typically distances). Default margin 1.
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
