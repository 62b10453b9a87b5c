import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div, equal, sub, where } from './binary.js';
import { requireFloat } from './core.js';
import { max, sum } from './reduce.js';
import { abs, exp, log } from './unary.js';
import { stopGradient } from '../autodiff/stop.js';

/**
 * Numerically stable softmax along `axis` (`torch.softmax`): `exp(x - max) / sum(exp(x - max))`.
 *
 * @param x - Float input tensor (logits).
 * @param axis - Axis to normalise over (default the last).
 * @returns Probabilities of the same shape, summing to 1 along `axis`.
 * @throws {DTypeError} for non-float tensors.
 * @throws {AxisError} for an out-of-range axis.
 *
 * @example
 * ```ts
 * import { softmax, tensor } from '@difflab/tensor';
 * softmax(tensor([0, Math.log(3)])).toArray(); // => [0.25, 0.75]
 * softmax(tensor([[1000, 1000], [0, 0]]), 0).toArray(); // => [[1, 1], [0, 0]]
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  requireFloat('softmax', x);
  const ax = normalizeAxis('softmax', axis, x.ndim, x.shape);
  const e = exp(sub(x, stopGradient(max(x, ax, true))));
  return div(e, sum(e, ax, true));
}

/**
 * `log(softmax(x))` along `axis` (`torch.log_softmax`), stable for large logits.
 *
 * Computed as `(x - m) - log(sum(exp(x - m)))` with m the row max. Subtracting m before the
 * log-sum keeps float32 exact for large logits: `x - logsumexp(x)` would round the logsumexp at the
 * logits' magnitude and lose the small difference. A row of all -inf gives NaN, as in PyTorch.
 *
 * @param x - Float input tensor (logits).
 * @param axis - Axis to normalise over (default the last).
 * @returns Log-probabilities of the same shape.
 * @throws {DTypeError} for non-float tensors.
 * @throws {AxisError} for an out-of-range axis.
 *
 * @example
 * ```ts
 * import { logSoftmax, tensor } from '@difflab/tensor';
 * logSoftmax(tensor([0, Math.log(3)])).toArray(); // => [-1.386294, -0.287682]
 * logSoftmax(tensor([1e4, 0])).toArray(); // => [0, -10000]
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  requireFloat('logSoftmax', x);
  const ax = normalizeAxis('logSoftmax', axis, x.ndim, x.shape);
  const m0 = stopGradient(max(x, ax, true));
  // An all -inf (or +inf) row would give inf - inf; shifting by 0 there keeps logsumexp's conventions.
  const m = where(equal(abs(m0), Infinity), 0, m0);
  const shifted = sub(x, m);
  return sub(shifted, log(sum(exp(shifted), ax, true)));
}
