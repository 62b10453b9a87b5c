import {
  DTypeError,
  ShapeError,
  arange,
  concat,
  fmtShape,
  logsumexp,
  mul,
  reshape,
  sub,
  where,
  type Tensor,
} from '@difflab/tensor';
import { pick } from '../core/classes.js';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkFiniteNumber, checkPositive, requireFloat } from '../core/validate.js';
import { eyeMask, l2normalize, requirePair, similarity } from './common.js';

/**
 * Options of {@link individualTemperatureContrastive}.
 *
 * @example
 * ```ts
 * import type { IndividualTemperatureOptions } from '@difflab/losses';
 * const o: IndividualTemperatureOptions = { rho: 0.2 };
 * ```
 */
export interface IndividualTemperatureOptions extends ReductionOptions {
  /** DRO radius ρ >= 0 (the τ_i ρ term). Default 0.1. */
  rho?: number;
}

/**
 * Contrastive loss with one temperature per anchor, the robust objective of iSogCLR (Qiu et al.,
 * "Not All Semantics are Created Equal: Contrastive Self-supervised Learning with Automatic
 * Temperature Individualization", ICML 2023):
 * L_i = τ_i log( mean_{z∈S_i⁻} exp((s(x_i, z) - s(x_i, x_i⁺)) / τ_i) ) + τ_i ρ,
 * with cosine similarities, positive = row i of `positives`, and the negatives S_i⁻ = the other
 * 2N - 2 rows of `anchors` and `positives`. `tau` [N] (positive) is differentiable, so it can be
 * learned jointly (minimising over τ_i gives the KL-DRO dual). This is the exact mini-batch objective;
 * the paper's moving-average estimator of the inner mean is an optimiser's concern.
 *
 * @param anchors - Anchor features `[N, D]`.
 * @param positives - Positive features `[N, D]`.
 * @param tau - Per-anchor temperatures `[N]`, positive (may require gradients).
 * @param opts - See {@link IndividualTemperatureOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes do not fit or there are fewer than 2 pairs.
 * @throws {DTypeError} when `tau`'s dtype differs from the features'.
 * @throws {ValueError} for non-positive temperatures or a non-finite rho.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { individualTemperatureContrastive } from '@difflab/losses';
 * const x = tensor([[1, 0], [0, 1]]);
 * const tau = tensor([0.1, 0.5]);
 * individualTemperatureContrastive(x, x, tau).item(); // -0.97
 * ```
 */
export function individualTemperatureContrastive(
  anchors: Tensor,
  positives: Tensor,
  tau: Tensor,
  opts: IndividualTemperatureOptions = {},
): Tensor {
  const op = 'individualTemperatureContrastive';
  requirePair(op, anchors, positives, ['anchors', 'positives']);
  const n = anchors.shape[0]!;
  if (positives.shape[0] !== n)
    throw new ShapeError(
      `${op}: anchors ${fmtShape(anchors.shape)} and positives ${fmtShape(positives.shape)} need the same N`,
    );
  if (n < 2) throw new ShapeError(`${op}: needs at least 2 pairs for negatives, got N = ${n}`);
  requireFloat(op, 'tau', tau);
  if (tau.ndim !== 1 || tau.shape[0] !== n)
    throw new ShapeError(`${op}: tau must be [${n}], got ${fmtShape(tau.shape)}`);
  if (tau.dtype !== anchors.dtype) throw new DTypeError(`${op}: tau is ${tau.dtype} but anchors are ${anchors.dtype}`);
  checkPositive(op, 'tau', tau);
  const rho = opts.rho ?? 0.1;
  checkFiniteNumber(op, 'rho', rho);
  const a = l2normalize(anchors);
  const p = l2normalize(positives);
  const idx = arange(n, { dtype: 'int32', device: a.device });
  const sPos = pick(similarity(a, p), idx);
  const all = similarity(a, concat([a, p], 0));
  const self = concat([eyeMask(n, a.device), eyeMask(n, a.device)], 1);
  const t = reshape(tau, [-1, 1]);
  const z = where(self, -Infinity, sub(all, reshape(sPos, [-1, 1])).div(t));
  const perAnchor = mul(sub(logsumexp(z, 1), Math.log(2 * n - 2)), tau).add(mul(tau, rho));
  return reduce(op, perAnchor, opts.reduction);
}
