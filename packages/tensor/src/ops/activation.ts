import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div, equal, sub, where } from './binary.js';
import { requireFloat } from './core.js';
import { max, sum } from './reduce.js';
import { abs, exp, log } from './unary.js';
import { stopGradient } from '../autodiff/stop.js';

/** Numerically stable softmax along `axis`. */
export function softmax(x: Tensor, axis = -1): Tensor {
  requireFloat('softmax', x);
  const ax = normalizeAxis('softmax', axis, x.ndim, x.shape);
  const e = exp(sub(x, stopGradient(max(x, ax, true))));
  return div(e, sum(e, ax, true));
}

/**
 * log(softmax(x)) = (x - m) - log(sum(exp(x - m))) with m the row max. Subtracting m before the
 * log-sum keeps float32 exact for large logits: x - logsumexp(x) would round the logsumexp at the
 * logits' magnitude and lose the small difference.
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
