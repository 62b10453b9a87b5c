import type { Tensor } from '../tensor.js';
import { viewOf } from '../ops/core.js';

/** The same values with no gradient path (`jax.lax.stop_gradient`, `tensor.detach()`). */
export function stopGradient(x: Tensor): Tensor {
  if (x.node === null) return x;
  return viewOf(x, x.shape, x.strides, x.offset);
}
