import {
  ShapeError,
  fmtShape,
  log,
  maximum,
  mul,
  reshape,
  square,
  stopGradient,
  sub,
  type Tensor,
} from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkNonNegative, checkPositiveNumber, requireFloat, requireSameShape, sameShape } from '../core/validate.js';

/**
 * Options of {@link gaussianNll} (PyTorch's `full`, `eps`).
 *
 * @example
 * ```ts
 * import type { GaussianNllOptions } from '@difflab/losses';
 * const o: GaussianNllOptions = { full: true, eps: 1e-4 };
 * ```
 */
export interface GaussianNllOptions extends ReductionOptions {
  /** Adds the constant 0.5 log(2π). Default false (as PyTorch). */
  full?: boolean;
  /** Variances are clamped up to eps in the forward pass only. Default 1e-6. */
  eps?: number;
}

/**
 * Gaussian negative log-likelihood with predicted variances (PyTorch's `gaussian_nll_loss`):
 * `0.5 [log max(var, eps) + (input - target)^2 / max(var, eps)]`.
 *
 * `variance` has the input's shape (heteroscedastic), or the input's shape with the last dim 1 or
 * dropped (one variance per row). Like PyTorch, the clamp is invisible to the gradient
 * (straight-through), and negative variances throw.
 *
 * @param input - Predicted means.
 * @param target - Targets, same shape.
 * @param variance - Predicted variances (>= 0).
 * @param opts - See {@link GaussianNllOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes do not fit.
 * @throws {ValueError} for a negative variance or a non-positive eps.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { gaussianNll } from '@difflab/losses';
 * gaussianNll(tensor([0, 1]), tensor([1, 1]), tensor([1, 0.5])).item(); // 0.07671
 * ```
 */
export function gaussianNll(input: Tensor, target: Tensor, variance: Tensor, opts: GaussianNllOptions = {}): Tensor {
  const op = 'gaussianNll';
  requireFloat(op, 'input', input);
  requireFloat(op, 'target', target);
  requireFloat(op, 'var', variance);
  requireSameShape(op, ['input', 'target'], input, target);
  const eps = opts.eps ?? 1e-6;
  checkPositiveNumber(op, 'eps', eps);
  let v = variance;
  if (!sameShape(v.shape, input.shape)) {
    const lead = input.shape.slice(0, -1);
    if (sameShape(v.shape, lead)) v = reshape(v, [...lead, 1]);
    else if (!(sameShape(v.shape.slice(0, -1), lead) && v.shape[v.ndim - 1] === 1))
      throw new ShapeError(
        `${op}: var of shape ${fmtShape(v.shape)} must match input ${fmtShape(input.shape)}, or drop or set to 1 its last dimension`,
      );
  }
  checkNonNegative(op, 'var', v);
  const vc = v.add(stopGradient(sub(maximum(v, eps), v)));
  let loss = mul(log(vc).add(square(sub(input, target)).div(vc)), 0.5);
  if (opts.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(op, loss, opts.reduction);
}
