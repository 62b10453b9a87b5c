import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div, sub } from './binary.js';
import { requireFloat } from './core.js';
import { logsumexp, max, sum } from './reduce.js';
import { exp } from './unary.js';
import { stopGradient } from '../autodiff/stop.js';

/** Numerically stable softmax along `axis`. */
export function softmax(x: Tensor, axis = -1): Tensor {
  requireFloat('softmax', x);
  const ax = normalizeAxis('softmax', axis, x.ndim, x.shape);
  const e = exp(sub(x, stopGradient(max(x, ax, true))));
  return div(e, sum(e, ax, true));
}

/** log(softmax(x)) without overflow: x - logsumexp(x). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  requireFloat('logSoftmax', x);
  const ax = normalizeAxis('logSoftmax', axis, x.ndim, x.shape);
  return sub(x, logsumexp(x, ax, true));
}
