import {
  add,
  logicalAnd,
  logicalNot,
  logsumexp,
  max,
  min,
  mul,
  relu,
  softplus,
  stopGradient,
  sub,
  sum,
  where,
  type Tensor,
} from '@difflab/tensor';
import { divideOrNaN, reduce, type ReductionOptions } from '../core/reduction.js';
import { checkFiniteNumber, checkPositiveNumber } from '../core/validate.js';
import { eyeMask, l2normalize, requireEmbeddingLabels, requireEmbeddings, sameLabel, similarity } from './common.js';

/** Cosine similarities, positive mask (same label, j ≠ i) and negative mask of a labelled batch. */
function pairs(op: string, embeddings: Tensor, labels: Tensor) {
  requireEmbeddings(op, 'embeddings', embeddings);
  requireEmbeddingLabels(op, embeddings, labels);
  const z = l2normalize(embeddings);
  const s = similarity(z, z);
  const self = eyeMask(embeddings.shape[0]!, z.device);
  const same = sameLabel(labels);
  return { s, pos: logicalAnd(same, logicalNot(self)), neg: logicalNot(same) };
}

/** log Σ over the masked entries of each row (-∞ for an empty row). */
const maskedLse = (x: Tensor, mask: Tensor): Tensor => logsumexp(where(mask, x, -Infinity), 1);
const rowHasAny = (mask: Tensor): Tensor => sum(mask.astype('int32'), 1).greater(0);

/**
 * Options of {@link circleLoss}.
 *
 * @example
 * ```ts
 * import type { CircleOptions } from '@difflab/losses';
 * const o: CircleOptions = { margin: 0.25, gamma: 128 };
 * ```
 */
export interface CircleOptions extends ReductionOptions {
  /** Relaxation margin m. Default 0.25. */
  margin?: number;
  /** Scale γ. Default 64 (the paper uses 64-256). */
  gamma?: number;
  /** Treat the self-paced weights α_p, α_n as constants in the gradient (the paper's choice). Default true. */
  detachWeights?: boolean;
}

/**
 * Circle loss (Sun et al., "Circle Loss: A Unified Perspective of Pair Similarity Optimization",
 * CVPR 2020, eq. 6) on the cosine similarities of a labelled batch, one anchor per row:
 * log[1 + Σ_j exp(γ α_n^j (s_n^j - Δ_n)) Σ_i exp(-γ α_p^i (s_p^i - Δ_p))] with
 * α_p = [1 + m - s_p]_+, α_n = [s_n + m]_+ (held constant by default, as in the paper), Δ_p = 1 - m,
 * Δ_n = m.
 * Anchors lacking a positive or a negative are left out of the mean ('none' gives 0 for them).
 *
 * @param embeddings - Embeddings `[N, D]` (cosine similarities are taken).
 * @param labels - int32 labels `[N]`.
 * @param opts - See {@link CircleOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match.
 * @throws {ValueError} for invalid options.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { circleLoss } from '@difflab/losses';
 * const emb = tensor([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]);
 * const labels = tensor([0, 0, 1, 1], { dtype: 'int32' });
 * circleLoss(emb, labels, { gamma: 16 }).item(); // 0.3195
 * ```
 */
export function circleLoss(embeddings: Tensor, labels: Tensor, opts: CircleOptions = {}): Tensor {
  const op = 'circleLoss';
  const m = opts.margin ?? 0.25;
  checkFiniteNumber(op, 'margin', m);
  const gamma = opts.gamma ?? 64;
  checkPositiveNumber(op, 'gamma', gamma);
  const { s, pos, neg } = pairs(op, embeddings, labels);
  const detach = opts.detachWeights ?? true;
  const hold = (w: Tensor) => (detach ? stopGradient(w) : w);
  const ap = hold(relu(sub(1 + m, s)));
  const an = hold(relu(add(s, m)));
  const lp = mul(mul(ap, sub(s, 1 - m)), -gamma);
  const ln = mul(mul(an, sub(s, m)), gamma);
  const valid = logicalAnd(rowHasAny(pos), rowHasAny(neg));
  const perAnchor = where(valid, softplus(add(maskedLse(lp, pos), maskedLse(ln, neg))), 0);
  return anchorReduce(op, perAnchor, valid, opts.reduction);
}

function anchorReduce(op: string, perAnchor: Tensor, valid: Tensor, reduction: ReductionOptions['reduction']): Tensor {
  const r = reduction ?? 'mean';
  if (r !== 'mean') return reduce(op, perAnchor, r);
  return divideOrNaN(sum(perAnchor), sum(valid.astype(perAnchor.dtype)));
}

/**
 * Options of {@link multiSimilarity}.
 *
 * @example
 * ```ts
 * import type { MultiSimilarityOptions } from '@difflab/losses';
 * const o: MultiSimilarityOptions = { alpha: 2, beta: 40, lambda: 0.5, mining: false };
 * ```
 */
export interface MultiSimilarityOptions extends ReductionOptions {
  /** Weight α of positive pairs. Default 2. */
  alpha?: number;
  /** Weight β of negative pairs. Default 50. */
  beta?: number;
  /** Similarity threshold λ. Default 0.5. */
  lambda?: number;
  /** Mining margin ε of the pair selection (set `mining: false` to keep every pair). Default 0.1. */
  epsilon?: number;
  /** Apply the pair mining of eq. 10-11. Default true. */
  mining?: boolean;
}

/**
 * Multi-similarity loss (Wang et al., "Multi-Similarity Loss with General Pair Weighting for Deep
 * Metric Learning", CVPR 2019, eqs. 8 and 10-11), per anchor:
 * (1/α) log[1 + Σ_{k∈P_i} e^{-α(S_ik - λ)}] + (1/β) log[1 + Σ_{k∈N_i} e^{β(S_ik - λ)}],
 * where mining keeps negatives with S_ik + ε > min_{P_i} S and positives with S_ik - ε < max_{N_i} S.
 * The mean runs over all anchors (an anchor with no kept pair contributes 0).
 *
 * @param embeddings - Embeddings `[N, D]` (cosine similarities are taken).
 * @param labels - int32 labels `[N]`.
 * @param opts - See {@link MultiSimilarityOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match.
 * @throws {ValueError} for invalid options.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { multiSimilarity } from '@difflab/losses';
 * const emb = tensor([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]);
 * const labels = tensor([0, 0, 1, 1], { dtype: 'int32' });
 * multiSimilarity(emb, labels).item(); // 0: every pair is already easy, nothing is mined
 * multiSimilarity(emb, labels, { mining: false }).item(); // 0.1583
 * ```
 */
export function multiSimilarity(embeddings: Tensor, labels: Tensor, opts: MultiSimilarityOptions = {}): Tensor {
  const op = 'multiSimilarity';
  const alpha = opts.alpha ?? 2;
  const beta = opts.beta ?? 50;
  const lambda = opts.lambda ?? 0.5;
  const eps = opts.epsilon ?? 0.1;
  checkPositiveNumber(op, 'alpha', alpha);
  checkPositiveNumber(op, 'beta', beta);
  checkFiniteNumber(op, 'lambda', lambda);
  checkFiniteNumber(op, 'epsilon', eps);
  const { s, pos, neg } = pairs(op, embeddings, labels);
  let keepPos = pos;
  let keepNeg = neg;
  if (opts.mining ?? true) {
    const sd = stopGradient(s);
    const minPos = min(where(pos, sd, Infinity), 1, true);
    const maxNeg = max(where(neg, sd, -Infinity), 1, true);
    keepNeg = logicalAnd(neg, sd.add(eps).greater(minPos));
    keepPos = logicalAnd(pos, sd.sub(eps).less(maxNeg));
  }
  const posTerm = mul(softplus(maskedLse(mul(sub(s, lambda), -alpha), keepPos)), 1 / alpha);
  const negTerm = mul(softplus(maskedLse(mul(sub(s, lambda), beta), keepNeg)), 1 / beta);
  return reduce(op, add(posTerm, negTerm), opts.reduction);
}
