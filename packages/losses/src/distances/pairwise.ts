import {
  DTypeError,
  ShapeError,
  fmtShape,
  greater,
  reshape,
  sqrt,
  square,
  sub,
  sum,
  where,
  type Tensor,
} from '@difflab/tensor';
import { requireFloat } from '../core/validate.js';

/** Checks point clouds x [n, d] and y [m, d] (1-D samples [n] are read as d = 1). */
export function asPoints(op: string, name: string, x: Tensor): Tensor {
  requireFloat(op, name, x);
  if (x.ndim === 1) return reshape(x, [-1, 1]);
  if (x.ndim !== 2) throw new ShapeError(`${op}: ${name} must be samples [n, d] or [n], got ${fmtShape(x.shape)}`);
  if (x.shape[0] === 0) throw new ShapeError(`${op}: ${name} of shape ${fmtShape(x.shape)} has no samples`);
  return x;
}

export function asPointPair(op: string, x: Tensor, y: Tensor): [Tensor, Tensor] {
  const a = asPoints(op, 'x', x);
  const b = asPoints(op, 'y', y);
  if (a.shape[1] !== b.shape[1])
    throw new ShapeError(`${op}: x ${fmtShape(x.shape)} and y ${fmtShape(y.shape)} must have the same dimension`);
  if (a.dtype !== b.dtype) throw new DTypeError(`${op}: x is ${a.dtype} but y is ${b.dtype}`);
  return [a, b];
}

/**
 * Squared Euclidean distances [n, m] from explicit differences (not |x|² + |y|² - 2xy, whose
 * cancellation leaves noise on coincident points).
 */
export function sqDistances(x: Tensor, y: Tensor): Tensor {
  const d = sub(reshape(x, [x.shape[0]!, 1, -1]), reshape(y, [1, y.shape[0]!, -1]));
  return sum(square(d), 2);
}

/** sqrt with a zero (sub)gradient at 0, for distances between coincident points. */
export function safeSqrt(x: Tensor): Tensor {
  const pos = greater(x, 0);
  return where(pos, sqrt(where(pos, x, 1)), 0);
}

/** Euclidean distances [n, m]. */
export function distances(x: Tensor, y: Tensor): Tensor {
  return safeSqrt(sqDistances(x, y));
}
