import {
  DTypeError,
  ShapeError,
  ValueError,
  clamp,
  div,
  fmtShape,
  matmul,
  mul,
  norm,
  sqrt,
  square,
  sub,
  transpose,
  where,
  maximum,
  type Tensor,
} from '@difflab/tensor';
import { classRows, labelMask } from '../core/classes.js';
import type { ReductionOptions } from '../core/reduction.js';
import { checkPositiveNumber, requireFloat } from '../core/validate.js';
import { crossEntropy } from './cross-entropy.js';

/**
 * Cosine logits cos θ_{ij} = <e_i, w_j> / (‖e_i‖ ‖w_j‖) between embeddings [N, D] and class
 * centres [C, D], the input of {@link arcFace} and {@link cosFace}. Zero vectors give 0.
 *
 * @param embeddings - Embeddings `[N, D]`.
 * @param centres - Class centres (weights) `[C, D]`.
 * @returns Cosines `[N, C]`.
 * @throws {ShapeError} for non-2-D inputs or mismatched D.
 * @throws {DTypeError} when the dtypes differ.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { cosineLogits } from '@difflab/losses';
 * cosineLogits(tensor([[1, 1]]), tensor([[1, 0], [0, 2], [-1, -1]])).toArray(); // [[0.7071, 0.7071, -1]]
 * ```
 */
export function cosineLogits(embeddings: Tensor, centres: Tensor): Tensor {
  const op = 'cosineLogits';
  requireFloat(op, 'embeddings', embeddings);
  requireFloat(op, 'centres', centres);
  if (embeddings.ndim !== 2 || centres.ndim !== 2 || embeddings.shape[1] !== centres.shape[1])
    throw new ShapeError(
      `${op}: embeddings [N, D] and centres [C, D] must share D, got ${fmtShape(embeddings.shape)} and ${fmtShape(centres.shape)}`,
    );
  if (embeddings.dtype !== centres.dtype)
    throw new DTypeError(`${op}: embeddings are ${embeddings.dtype} but centres are ${centres.dtype}`);
  const e = div(embeddings, maximum(norm(embeddings, 2, 1, true), 1e-12));
  const w = div(centres, maximum(norm(centres, 2, 1, true), 1e-12));
  return matmul(e, transpose(w));
}

/**
 * Options of {@link arcFace} and {@link cosFace}.
 *
 * @example
 * ```ts
 * import type { MarginSoftmaxOptions } from '@difflab/losses';
 * const o: MarginSoftmaxOptions = { scale: 30, margin: 0.5 };
 * ```
 */
export interface MarginSoftmaxOptions extends ReductionOptions {
  /** Scale s of the logits. Default 64. */
  scale?: number;
  /** Margin m. Defaults: 0.5 (ArcFace, additive angular) and 0.35 (CosFace, additive cosine). */
  margin?: number;
}

function checkCosines(op: string, cosines: Tensor, labels: Tensor): void {
  requireFloat(op, 'cosines', cosines);
  if (cosines.ndim !== 2) throw new ShapeError(`${op}: cosines must be [N, C], got ${fmtShape(cosines.shape)}`);
  classRows(op, cosines, labels);
}

/**
 * ArcFace (Deng et al., "ArcFace: Additive Angular Margin Loss for Deep Face Recognition", CVPR
 * 2019, eq. 3): cross-entropy over s·cos θ_j with the target logit replaced by s·cos(θ_y + m).
 * Where θ_y + m would pass π the target logit falls back to s·(cos θ_y - m sin m), the usual
 * monotone extension. `cosines` [N, C] come from {@link cosineLogits}.
 *
 * @param cosines - Cosine logits `[N, C]` in [-1, 1].
 * @param labels - int32 class indices `[N]`.
 * @param opts - See {@link MarginSoftmaxOptions} (default margin 0.5).
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { arcFace, cosineLogits } from '@difflab/losses';
 * const cos = cosineLogits(tensor([[1, 0.2], [0.1, 1]]), tensor([[1, 0], [0, 1]]));
 * arcFace(cos, tensor([0, 1], { dtype: 'int32' }), { scale: 16 }).item(); // 0.00005889
 * ```
 */
export function arcFace(cosines: Tensor, labels: Tensor, opts: MarginSoftmaxOptions = {}): Tensor {
  const op = 'arcFace';
  checkCosines(op, cosines, labels);
  const s = opts.scale ?? 64;
  const m = opts.margin ?? 0.5;
  checkPositiveNumber(op, 'scale', s);
  if (!(m >= 0 && m < Math.PI / 2)) throw new ValueError(`${op}: margin must be in [0, π/2), got ${m}`);
  const c = clamp(cosines, -1, 1);
  const sinT = sqrt(maximum(sub(1, square(c)), 1e-12));
  const shifted = sub(mul(c, Math.cos(m)), mul(sinT, Math.sin(m)));
  const target = where(c.greater(Math.cos(Math.PI - m)), shifted, sub(c, m * Math.sin(m)));
  const logits = mul(where(labelMask(labels, cosines.shape[1]!), target, c), s);
  return crossEntropy(logits, labels, { reduction: opts.reduction });
}

/**
 * CosFace / large-margin cosine loss (Wang et al., "CosFace: Large Margin Cosine Loss for Deep Face
 * Recognition", CVPR 2018, eq. 4): cross-entropy over s·cos θ_j with s·(cos θ_y - m) for the target.
 *
 * @param cosines - Cosine logits `[N, C]` in [-1, 1].
 * @param labels - int32 class indices `[N]`.
 * @param opts - See {@link MarginSoftmaxOptions} (default margin 0.35).
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { cosFace, cosineLogits } from '@difflab/losses';
 * const cos = cosineLogits(tensor([[1, 0.2], [0.1, 1]]), tensor([[1, 0], [0, 1]]));
 * cosFace(cos, tensor([0, 1], { dtype: 'int32' }), { scale: 16 }).item(); // 0.0005593
 * ```
 */
export function cosFace(cosines: Tensor, labels: Tensor, opts: MarginSoftmaxOptions = {}): Tensor {
  const op = 'cosFace';
  checkCosines(op, cosines, labels);
  const s = opts.scale ?? 64;
  const m = opts.margin ?? 0.35;
  checkPositiveNumber(op, 'scale', s);
  checkPositiveNumber(op, 'margin', m, true);
  const logits = mul(where(labelMask(labels, cosines.shape[1]!), sub(cosines, m), cosines), s);
  return crossEntropy(logits, labels, { reduction: opts.reduction });
}
