import { abs, less, mul, square, sub, where, type Tensor } from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { residual } from '../core/residual.js';
import { checkPositiveNumber } from '../core/validate.js';

/** PyTorch's `mse_loss`: (x - y)^2. */
export function mse(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  return reduce('mse', square(residual('mse', input, target)), opts.reduction);
}

/** PyTorch's `l1_loss`: |x - y| (gradient sign(x - y), 0 at a tie). */
export function l1(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  return reduce('l1', abs(residual('l1', input, target)), opts.reduction);
}

export interface HuberOptions extends ReductionOptions {
  /** Where the loss switches from quadratic to linear. Default 1. */
  delta?: number;
}

/** PyTorch's `huber_loss`: 0.5 r^2 if |r| < delta, else delta (|r| - 0.5 delta). */
export function huber(input: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  const delta = opts.delta ?? 1;
  checkPositiveNumber('huber', 'delta', delta);
  const r = residual('huber', input, target);
  const a = abs(r);
  return reduce('huber', where(less(a, delta), mul(square(r), 0.5), mul(sub(a, 0.5 * delta), delta)), opts.reduction);
}

export interface SmoothL1Options extends ReductionOptions {
  /** Width of the quadratic zone. Default 1; 0 gives the L1 loss (as in PyTorch). */
  beta?: number;
}

/** PyTorch's `smooth_l1_loss`: 0.5 r^2 / beta if |r| < beta, else |r| - 0.5 beta (huber / beta). */
export function smoothL1(input: Tensor, target: Tensor, opts: SmoothL1Options = {}): Tensor {
  const beta = opts.beta ?? 1;
  checkPositiveNumber('smoothL1', 'beta', beta, true);
  const r = residual('smoothL1', input, target);
  const a = abs(r);
  if (beta === 0) return reduce('smoothL1', a, opts.reduction);
  return reduce('smoothL1', where(less(a, beta), mul(square(r), 0.5 / beta), sub(a, 0.5 * beta)), opts.reduction);
}
