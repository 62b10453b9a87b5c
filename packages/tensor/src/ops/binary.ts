import { record } from '../autodiff/graph.js';
import type { BinaryOp } from '../backend/types.js';
import { isFloat, promoteTypes, type DType } from '../dtype.js';
import { DTypeError, fmtShape } from '../errors.js';
import { broadcastReductionAxes, broadcastShapes, shapesEqual } from '../shape.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { asTensors, backendOf, fromStorage, viewOf } from './core.js';
import { reshape } from './shape.js';
import { sum } from './reduce.js';
import { abs, log, neg } from './unary.js';
import { cast } from './cast.js';

/** Stride-0 view of `x` broadcast to `shape` (no copy, no autodiff record). */
export function broadcastView(x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const lead = shape.length - x.ndim;
  const strides = shape.map((d, i) => (i < lead || x.shape[i - lead] === 1 ? 0 : x.strides[i - lead]!));
  return viewOf(x, shape, strides, x.offset);
}

/** Sums a broadcast gradient back to `shape` (differentiable). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const { axes } = broadcastReductionAxes(shape, g.shape);
  return reshape(sum(g, axes, false), shape);
}

const COMPARE = new Set<BinaryOp>(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr', 'logicalXor']);

/**
 * Gradient rule of a binary primitive: from the cotangent `g`, the inputs and the output to one cotangent
 * per input (null for none), in the broadcast output shape; `binaryOp` sums each back to its input's shape.
 */
export type BinaryVjp = (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null];

/** Elementwise binary primitive: broadcasting, dtype promotion, device check, gradient record. */
export function binaryOp(op: BinaryOp, aIn: TensorLike, bIn: TensorLike, vjp?: BinaryVjp): Tensor {
  const [a, b] = asTensors(op, aIn, bIn) as [Tensor, Tensor];
  const shape = broadcastShapes(op, a.shape, b.shape);
  let dt: DType = promoteTypes(a.dtype, b.dtype);
  if (COMPARE.has(op)) {
    const out = fromStorage(backendOf(a).binary(op, broadcastView(a, shape), broadcastView(b, shape), 'bool'), shape, 'bool');
    return out;
  }
  if (dt === 'bool') dt = op === 'add' || op === 'sub' || op === 'mul' || op === 'maximum' || op === 'minimum' ? 'int32' : 'float32';
  // True division and atan2 of integers give floats, as in NumPy, PyTorch and JAX.
  if ((op === 'atan2' || op === 'div') && !isFloat(dt)) dt = 'float32';
  const av = a.dtype === dt ? a : castTo(a, dt);
  const bv = b.dtype === dt ? b : castTo(b, dt);
  const out = fromStorage(backendOf(a).binary(op, broadcastView(av, shape), broadcastView(bv, shape), dt), shape, dt);
  if (!vjp) return out;
  return record(out, op, [a, b], (g, needs) => {
    const [ga, gb] = vjp(g, a, b, out);
    return [needs[0] && ga ? cotangentFor(ga, a) : null, needs[1] && gb ? cotangentFor(gb, b) : null];
  });
}

/**
 * Reduces a cotangent computed in the promoted dtype/shape back to the input's: a float32 input
 * mixed with a float64 one must still get a float32 gradient of its own shape.
 */
function cotangentFor(g: Tensor, x: Tensor): Tensor {
  const s = sumToShape(g, x.shape);
  return s.dtype === x.dtype ? s : cast(s, x.dtype);
}

function castTo(x: Tensor, dt: DType): Tensor {
  return fromStorage(backendOf(x).copy(x, dt), x.shape, dt);
}

/** Elementwise `a + b` with broadcasting. */
export const add = (a: TensorLike, b: TensorLike): Tensor => binaryOp('add', a, b, (g) => [g, g]);
/** Elementwise `a - b` with broadcasting. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binaryOp('sub', a, b, (g) => [g, neg(g)]);
/** Elementwise `a * b` with broadcasting. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binaryOp('mul', a, b, (g, x, y) => [mul(g, y), mul(g, x)]);
/** Elementwise true division `a / b` (integer inputs give float32, as in NumPy). */
export const div = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('div', a, b, (g, x, y) => [div(g, y), neg(div(mul(g, x), mul(y, y)))]);

/**
 * x ** y. The exponent's gradient uses log(x), defined as 0 where x == 0 (as PyTorch does)
 * so that integer powers of tensors with zeros stay finite.
 */
export const pow = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('pow', a, b, (g, x, y, out) => [
    mul(g, mul(y, pow(x, sub(y, 1)))),
    mul(g, mul(out, where(equal(x, 0), 0, log(where(equal(x, 0), 1, x))))),
  ]);

/** Gradient flows to the larger input; ties split it evenly (as JAX does). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('maximum', a, b, (g, x, y) => {
    const half = mul(g, 0.5);
    return [where(greater(x, y), g, where(equal(x, y), half, 0)), where(less(x, y), g, where(equal(x, y), half, 0))];
  });
/** Elementwise minimum; ties split the gradient evenly. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('minimum', a, b, (g, x, y) => {
    const half = mul(g, 0.5);
    return [where(less(x, y), g, where(equal(x, y), half, 0)), where(greater(x, y), g, where(equal(x, y), half, 0))];
  });
/** Elementwise `atan2(a, b)`: the angle of the point (b, a), in (-π, π]. */
export const atan2 = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('atan2', a, b, (g, y, x) => {
    const r2 = add(mul(x, x), mul(y, y));
    return [div(mul(g, x), r2), neg(div(mul(g, y), r2))];
  });
/** Python-style modulo (sign of the divisor); d/da = 1, d/db = -floor(a / b). */
export const mod = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('mod', a, b, (g, x, y) => [g, neg(mul(g, floorDiv(x, y)))]);

function floorDiv(x: Tensor, y: Tensor): Tensor {
  return div(sub(x, mod(x, y)), y);
}

/** Elementwise `a == b` (bool). */
export const equal = (a: TensorLike, b: TensorLike): Tensor => binaryOp('equal', a, b);
/** Elementwise `a != b` (bool). */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('notEqual', a, b);
/** Elementwise `a < b` (bool). */
export const less = (a: TensorLike, b: TensorLike): Tensor => binaryOp('less', a, b);
/** Elementwise `a <= b` (bool). */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('lessEqual', a, b);
/** Elementwise `a > b` (bool). */
export const greater = (a: TensorLike, b: TensorLike): Tensor => binaryOp('greater', a, b);
/** Elementwise `a >= b` (bool). */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('greaterEqual', a, b);
/** Elementwise logical and of bool tensors. */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => binaryOp('logicalAnd', a, b);
/** Elementwise logical or of bool tensors. */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => binaryOp('logicalOr', a, b);
/** Elementwise logical exclusive or of bool tensors. */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => binaryOp('logicalXor', a, b);

/** Elementwise select: `cond ? a : b`, broadcasting all three. `cond` must be bool. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const [c, x, y] = asTensors('where', cond, a, b) as [Tensor, Tensor, Tensor];
  if (c.dtype !== 'bool') throw new DTypeError(`where: condition must be a bool tensor, got ${c.dtype} of shape ${fmtShape(c.shape)}`);
  const shape = broadcastShapes('where', c.shape, x.shape, y.shape);
  const dt = promoteTypes(x.dtype, y.dtype);
  const xv = x.dtype === dt ? x : castTo(x, dt);
  const yv = y.dtype === dt ? y : castTo(y, dt);
  const out = fromStorage(
    backendOf(c).where(broadcastView(c, shape), broadcastView(xv, shape), broadcastView(yv, shape), dt),
    shape,
    dt,
  );
  return record(out, 'where', [x, y], (g, needs) => {
    const zero = 0;
    return [
      needs[0] ? cotangentFor(where(c, g, zero), x) : null,
      needs[1] ? cotangentFor(where(c, zero, g), y) : null,
    ];
  });
}

/** Clamps into [min, max] (either bound may be omitted). Gradient is 1 inside, 0 outside, as PyTorch. */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  let out = x;
  if (min !== undefined && min !== null) out = where(less(out, min), min, out);
  if (max !== undefined && max !== null) out = where(greater(out, max), max, out);
  return out;
}

/** |a - b| <= atol + rtol * |b|, elementwise (NumPy's isclose). */
export function isclose(a: TensorLike, b: TensorLike, rtol = 1e-5, atol = 1e-8): Tensor {
  const [x, y] = asTensors('isclose', a, b) as [Tensor, Tensor];
  return lessEqual(abs(sub(x, y)), add(atol, mul(rtol, abs(y))));
}
