import { abs, less, mul, square, sub, where, type Tensor } from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { residual } from '../core/residual.js';
import { checkPositiveNumber } from '../core/validate.js';

/**
 * Mean squared error (PyTorch's `mse_loss`): `(x - y)^2`, reduced.
 *
 * @param input - Predictions (float).
 * @param target - Targets of the same shape.
 * @param opts - The {@link Reduction} (default `'mean'`).
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { mse } from '@difflab/losses';
 * mse(tensor([1, 2, 3]), tensor([1, 0, 0])).item(); // 4.333
 * ```
 */
export function mse(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  return reduce('mse', square(residual('mse', input, target)), opts.reduction);
}

/**
 * Mean absolute error (PyTorch's `l1_loss`): `|x - y|`, reduced; gradient `sign(x - y)`, 0 at a tie.
 *
 * @param input - Predictions (float).
 * @param target - Targets of the same shape.
 * @param opts - The {@link Reduction} (default `'mean'`).
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { l1 } from '@difflab/losses';
 * l1(tensor([1, 2, 3]), tensor([1, 0, 0])).item(); // 1.667
 * ```
 */
export function l1(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  return reduce('l1', abs(residual('l1', input, target)), opts.reduction);
}

/**
 * Options of {@link huber}.
 *
 * @example
 * ```ts
 * import type { HuberOptions } from '@difflab/losses';
 * const o: HuberOptions = { delta: 0.5, reduction: 'sum' };
 * ```
 */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss switches from quadratic to linear. Default 1. */
  delta?: number;
}

/**
 * Huber loss (PyTorch's `huber_loss`): `0.5 r^2` if `|r| < delta`, else `delta (|r| - 0.5 delta)`,
 * with `r = x - y`.
 *
 * @param input - Predictions (float).
 * @param target - Targets of the same shape.
 * @param opts - See {@link HuberOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for a non-positive delta.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { huber } from '@difflab/losses';
 * huber(tensor([0.5, 3]), tensor([0, 0]), { reduction: 'none' }).toArray(); // [0.125, 2.5]
 * ```
 */
export function huber(input: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  const delta = opts.delta ?? 1;
  checkPositiveNumber('huber', 'delta', delta);
  const r = residual('huber', input, target);
  const a = abs(r);
  return reduce('huber', where(less(a, delta), mul(square(r), 0.5), mul(sub(a, 0.5 * delta), delta)), opts.reduction);
}

/**
 * Options of {@link smoothL1}.
 *
 * @example
 * ```ts
 * import type { SmoothL1Options } from '@difflab/losses';
 * const o: SmoothL1Options = { beta: 1 / 9 }; // Fast R-CNN's box regression
 * ```
 */
export interface SmoothL1Options extends ReductionOptions {
  /** Width of the quadratic zone. Default 1; 0 gives the L1 loss (as in PyTorch). */
  beta?: number;
}

/**
 * Smooth L1 loss (PyTorch's `smooth_l1_loss`): `0.5 r^2 / beta` if `|r| < beta`, else
 * `|r| - 0.5 beta` (Huber divided by beta); `beta = 0` gives L1.
 *
 * @param input - Predictions (float).
 * @param target - Targets of the same shape.
 * @param opts - See {@link SmoothL1Options}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for a negative beta.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { smoothL1 } from '@difflab/losses';
 * smoothL1(tensor([0.5, 3]), tensor([0, 0]), { beta: 2, reduction: 'none' }).toArray(); // [0.0625, 2]
 * ```
 */
export function smoothL1(input: Tensor, target: Tensor, opts: SmoothL1Options = {}): Tensor {
  const beta = opts.beta ?? 1;
  checkPositiveNumber('smoothL1', 'beta', beta, true);
  const r = residual('smoothL1', input, target);
  const a = abs(r);
  if (beta === 0) return reduce('smoothL1', a, opts.reduction);
  return reduce('smoothL1', where(less(a, beta), mul(square(r), 0.5 / beta), sub(a, 0.5 * beta)), opts.reduction);
}
