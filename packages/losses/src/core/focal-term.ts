import { expm1, maximum, mul, neg, pow, type Tensor } from '@difflab/tensor';

/** 1 - p computed from log p without cancellation. */
export const oneMinusExp = (logp: Tensor): Tensor => neg(expm1(logp));

/**
 * Floor for the base of (·)^γ: for γ < 1 the power's derivative is infinite at 0, and a confident
 * correct prediction (p_t = 1 in floating point) would turn 0 * inf into NaN. The floor changes the
 * loss by less than 1e-30.
 */
const POW_FLOOR = 1e-30;

/** (base)^γ with the base floored at 1e-30 so the gradient stays finite for any γ >= 0. */
export const safePow = (base: Tensor, gamma: number): Tensor => pow(maximum(base, POW_FLOOR), gamma);

/** The focal term -(1 - p)^γ log p from log p, finite with finite gradients for every γ >= 0. */
export const focalTerm = (logp: Tensor, gamma: number): Tensor =>
  gamma === 0 ? neg(logp) : mul(safePow(oneMinusExp(logp), gamma), neg(logp));
