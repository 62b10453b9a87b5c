import type { Tensor } from '../tensor.js';
import { viewOf } from '../ops/core.js';

/**
 * Returns the same values with no gradient path, like `jax.lax.stop_gradient` or `tensor.detach()`.
 *
 * Inside a transform the result is treated as a constant; it shares storage with `x` (no copy).
 *
 * @param x - any tensor.
 * @returns a view of `x` that gradients do not flow through.
 *
 * @example
 * ```ts
 * import { stopGradient, grad, tensor, Tensor } from '@difflab/tensor';
 * // d/dx (x * const(x)) = const(x) = 3
 * grad((x: Tensor) => x.mul(stopGradient(x)).sum())(tensor([3])).toArray(); // => [3]
 * ```
 */
export function stopGradient(x: Tensor): Tensor {
  if (x.node === null) return x;
  return viewOf(x, x.shape, x.strides, x.offset);
}
