import { ShapeError, broadcastShapes, fmtShape, type Tensor } from '@difflab/tensor';
import { sameShape } from './validate.js';

/** An optional tensor (weights, pos_weight) must broadcast to `shape` without changing it. */
export function requireBroadcastsTo(op: string, name: string, x: Tensor, shape: readonly number[]): void {
  let out: number[];
  try {
    out = broadcastShapes(op, x.shape, shape);
  } catch {
    throw new ShapeError(`${op}: ${name} of shape ${fmtShape(x.shape)} does not broadcast to ${fmtShape(shape)}`);
  }
  if (!sameShape(out, shape))
    throw new ShapeError(`${op}: ${name} of shape ${fmtShape(x.shape)} does not broadcast to ${fmtShape(shape)}`);
}
