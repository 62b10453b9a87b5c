import { isFloat } from '../dtype.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { pad, slice, type SliceSpec } from '../ops/shape.js';
import { Tensor } from '../tensor.js';

/** Rejects non-tensors and non-float dtypes, naming the op and the shape. */
export function floatInput(op: string, x: unknown, what = 'input'): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: ${what} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (!isFloat(x.dtype))
    throw new DTypeError(`${op}: ${what} must be float32 or float64, got ${x.dtype} of shape ${fmtShape(x.shape)}; cast it with .astype('float32')`);
  return x;
}

/** A complex tensor: float, at least 1-D, trailing dimension of size 2 holding (real, imag). */
export function complexInput(op: string, z: unknown, what = 'input'): Tensor {
  const t = floatInput(op, z, what);
  if (t.ndim < 1 || t.shape[t.ndim - 1] !== 2)
    throw new ShapeError(
      `${op}: ${what} must be complex, i.e. have a trailing dimension of size 2 holding (real, imag), got shape ${fmtShape(t.shape)}; build one with complex(re, im)`,
    );
  return t;
}

/** Validates a transform length (numpy's `n`): a positive integer. */
export function checkLength(op: string, n: number, shape: readonly number[], what = 'n'): number {
  if (!Number.isInteger(n) || n < 1)
    throw new ValueError(`${op}: invalid number of data points ${what}=${n} for input of shape ${fmtShape(shape)}; it must be a positive integer`);
  return n;
}

/** Crops or zero-pads axis `axis` to `len` (numpy's `n` semantics); differentiable. */
export function resizeAxis(x: Tensor, axis: number, len: number): Tensor {
  const cur = x.shape[axis]!;
  if (cur === len) return x;
  if (cur > len) {
    const spec: SliceSpec[] = x.shape.map(() => null);
    spec[axis] = { start: 0, stop: len };
    return slice(x, ...spec);
  }
  return pad(
    x,
    x.shape.map((_, i) => (i === axis ? [0, len - cur] : [0, 0]) as [number, number]),
  );
}
