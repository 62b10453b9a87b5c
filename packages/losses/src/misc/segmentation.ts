import { ShapeError, fmtShape, mul, pow, reshape, sub, sum, type Tensor } from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkPositiveNumber, checkRange, requireFloat, requireSameShape } from '../core/validate.js';

/**
 * Options of {@link dice}.
 *
 * @example
 * ```ts
 * import type { DiceOptions } from '@difflab/losses';
 * const o: DiceOptions = { smooth: 0, reduction: 'none' };
 * ```
 */
export interface DiceOptions extends ReductionOptions {
  /** Additive smoothing s in numerator and denominator. Default 1. */
  smooth?: number;
}

/** Per-sample sums over every axis but the first (the batch). */
function perSample(op: string, probs: Tensor, targets: Tensor): { p: Tensor; g: Tensor } {
  requireFloat(op, 'probs', probs);
  requireSameShape(op, ['probs', 'targets'], probs, targets);
  if (probs.ndim < 2)
    throw new ShapeError(`${op}: probs must be [N, ...] with a batch axis, got ${fmtShape(probs.shape)}`);
  checkRange(op, 'probs', probs, 0, 1);
  const g = targets.astype(probs.dtype);
  checkRange(op, 'targets', g, 0, 1);
  const n = probs.shape[0]!;
  return { p: reshape(probs, [n, -1]), g: reshape(g, [n, -1]) };
}

/**
 * Soft Dice loss (Milletari et al., "V-Net", 2016, with the common additive smoothing):
 * 1 - (2 Σ p g + s) / (Σ p + Σ g + s) per sample, from probabilities `probs` and (soft) masks
 * `targets` of shape [N, ...].
 *
 * @param probs - Predicted probabilities `[N, ...]`.
 * @param targets - (Soft) masks of the same shape.
 * @param opts - See {@link DiceOptions}.
 * @returns The reduced loss (`[N]` with `'none'`).
 * @throws {ShapeError} when the shapes differ or there is no batch axis.
 * @throws {ValueError} for probabilities or targets outside [0, 1], or a negative smooth.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { dice } from '@difflab/losses';
 * dice(tensor([[0.9, 0.8, 0.1, 0]]), tensor([[1, 1, 0, 0]])).item(); // 0.08333
 * ```
 */
export function dice(probs: Tensor, targets: Tensor, opts: DiceOptions = {}): Tensor {
  const op = 'dice';
  const s = opts.smooth ?? 1;
  checkPositiveNumber(op, 'smooth', s, true);
  const { p, g } = perSample(op, probs, targets);
  const inter = sum(mul(p, g), 1);
  const loss = sub(
    1,
    mul(inter, 2)
      .add(s)
      .div(sum(p, 1).add(sum(g, 1)).add(s)),
  );
  return reduce(op, loss, opts.reduction);
}

/**
 * Options of {@link tversky}: those of {@link DiceOptions} plus the error weights and focal γ.
 *
 * @example
 * ```ts
 * import type { TverskyOptions } from '@difflab/losses';
 * const o: TverskyOptions = { alpha: 0.3, beta: 0.7, gamma: 0.75 };
 * ```
 */
export interface TverskyOptions extends DiceOptions {
  /** Weight of false positives. Default 0.5. */
  alpha?: number;
  /** Weight of false negatives. Default 0.5 (α = β = 0.5 with smooth 0 is Dice). */
  beta?: number;
  /** Focal exponent γ of the focal Tversky loss (1 - TI)^γ (Abraham & Khan 2019). Default 1. */
  gamma?: number;
}

/**
 * Tversky loss (Salehi et al., "Tversky loss function for image segmentation using 3D fully
 * convolutional deep networks", 2017): 1 - TI with
 * TI = (Σ p g + s) / (Σ p g + α Σ p (1 - g) + β Σ (1 - p) g + s), raised to γ for the focal variant.
 *
 * @param probs - Predicted probabilities `[N, ...]`.
 * @param targets - (Soft) masks of the same shape.
 * @param opts - See {@link TverskyOptions}.
 * @returns The reduced loss (`[N]` with `'none'`).
 * @throws {ShapeError} when the shapes differ or there is no batch axis.
 * @throws {ValueError} for probabilities or targets outside [0, 1], negative weights or smooth, or a non-positive gamma.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { tversky } from '@difflab/losses';
 * const p = tensor([[0.9, 0.8, 0.1, 0]]);
 * const g = tensor([[1, 1, 0, 0]]);
 * tversky(p, g, { alpha: 0.3, beta: 0.7 }).item(); // 0.08163
 * ```
 */
export function tversky(probs: Tensor, targets: Tensor, opts: TverskyOptions = {}): Tensor {
  const op = 'tversky';
  const s = opts.smooth ?? 1;
  const alpha = opts.alpha ?? 0.5;
  const beta = opts.beta ?? 0.5;
  const gamma = opts.gamma ?? 1;
  checkPositiveNumber(op, 'smooth', s, true);
  checkPositiveNumber(op, 'alpha', alpha, true);
  checkPositiveNumber(op, 'beta', beta, true);
  checkPositiveNumber(op, 'gamma', gamma);
  const { p, g } = perSample(op, probs, targets);
  const tp = sum(mul(p, g), 1);
  const fp = sum(mul(p, sub(1, g)), 1);
  const fn = sum(mul(sub(1, p), g), 1);
  const ti = tp.add(s).div(tp.add(mul(fp, alpha)).add(mul(fn, beta)).add(s));
  const loss = sub(1, ti);
  return reduce(op, gamma === 1 ? loss : pow(loss, gamma), opts.reduction);
}
