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

/**
 * Stride-0 view of `x` broadcast to `shape` (no copy, no autodiff record).
 *
 * For kernels and custom primitives that record their own gradient; in differentiable code use
 * {@link broadcastTo}. `shape` must be a valid broadcast target (not checked).
 *
 * @param x - Tensor to view.
 * @param shape - Target shape.
 * @returns `x` itself when the shapes match, else a view sharing its storage.
 *
 * @example
 * ```ts
 * import { broadcastView, tensor } from '@difflab/tensor';
 * const v = broadcastView(tensor([1, 2]), [3, 2]);
 * v.strides; // => [0, 1]
 * v.toArray(); // => [[1, 2], [1, 2], [1, 2]]
 * ```
 */
export function broadcastView(x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const lead = shape.length - x.ndim;
  const strides = shape.map((d, i) => (i < lead || x.shape[i - lead] === 1 ? 0 : x.strides[i - lead]!));
  return viewOf(x, shape, strides, x.offset);
}

/**
 * Sums a broadcast gradient back to `shape` (differentiable): the adjoint of broadcasting.
 *
 * Gradient rules of broadcasting ops call it so each input receives a cotangent of its own shape.
 *
 * @param g - Cotangent in the broadcast shape.
 * @param shape - Shape of the input that was broadcast.
 * @returns `g` summed over the broadcast axes and reshaped to `shape`.
 *
 * @example
 * ```ts
 * import { sumToShape, ones } from '@difflab/tensor';
 * sumToShape(ones([2, 3]), [1, 3]).toArray(); // => [[2, 2, 2]]
 * ```
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const { axes } = broadcastReductionAxes(shape, g.shape);
  return reshape(sum(g, axes, false), shape);
}

const COMPARE = new Set<BinaryOp>(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr', 'logicalXor']);

/**
 * Gradient rule of a binary primitive: from the cotangent `g`, the inputs and the output to one cotangent
 * per input (null for none), in the broadcast output shape; `binaryOp` sums each back to its input's shape.
 *
 * @example
 * ```ts
 * import { mul, type BinaryVjp } from '@difflab/tensor';
 * // d(a·b) = b·da + a·db
 * const mulRule: BinaryVjp = (g, a, b) => [mul(g, b), mul(g, a)];
 * ```
 */
export type BinaryVjp = (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null];

/**
 * Elementwise binary primitive: broadcasting, dtype promotion, device check, gradient record.
 *
 * Arithmetic promotes the operands with {@link promoteTypes} (two bools give int32 for `add`, `sub`,
 * `mul`, `maximum`, `minimum` and float32 otherwise; `div` and `atan2` of integers give float32);
 * comparisons and logical ops return bool and are not differentiable. Use it to give an existing
 * kernel a different gradient.
 *
 * @param op - Kernel name, see {@link BinaryOp}.
 * @param aIn - Left operand, tensor or number.
 * @param bIn - Right operand, tensor or number.
 * @param vjp - Gradient rule; without one the result is a constant for autodiff.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 * @throws {DeviceError} when the tensors are on different devices.
 *
 * @example
 * ```ts
 * import { binaryOp, grad, mul, tensor, type Tensor } from '@difflab/tensor';
 * // maximum whose gradient goes entirely to the first argument on ties.
 * const maxFirst = (a: Tensor, b: Tensor) =>
 *   binaryOp('maximum', a, b, (g, x, y) => [mul(g, x.greaterEqual(y).astype(g.dtype)), mul(g, x.less(y).astype(g.dtype))]);
 * grad((a: Tensor) => maxFirst(a, tensor([1, 1])).sum())(tensor([1, 2])).toArray(); // => [1, 1]
 * ```
 */
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

/**
 * Elementwise `a + b` with broadcasting (`torch.add`).
 *
 * Operands broadcast with NumPy rules and promote with {@link promoteTypes}; a number adopts the tensor's dtype.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { add, tensor, ShapeError } from '@difflab/tensor';
 * add(tensor([1, 2]), 3).toArray(); // => [4, 5]
 * add(tensor([[1], [2]]), tensor([10, 20])).toArray(); // => [[11, 21], [12, 22]]
 * add(tensor([1, 2]), tensor([1, 2, 3])); // throws ShapeError
 * ```
 */
export const add = (a: TensorLike, b: TensorLike): Tensor => binaryOp('add', a, b, (g) => [g, g]);
/**
 * Elementwise `a - b` with broadcasting (`torch.sub`).
 *
 * Operands broadcast with NumPy rules and promote with {@link promoteTypes}; a number adopts the tensor's dtype.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { sub, tensor } from '@difflab/tensor';
 * sub(tensor([5, 6]), tensor([1, 2])).toArray(); // => [4, 4]
 * ```
 */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binaryOp('sub', a, b, (g) => [g, neg(g)]);
/**
 * Elementwise `a * b` with broadcasting (`torch.mul`).
 *
 * Operands broadcast with NumPy rules and promote with {@link promoteTypes}; a number adopts the tensor's dtype.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { mul, tensor } from '@difflab/tensor';
 * mul(tensor([[1, 2], [3, 4]]), tensor([10, 100])).toArray(); // => [[10, 200], [30, 400]]
 * ```
 */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binaryOp('mul', a, b, (g, x, y) => [mul(g, y), mul(g, x)]);
/**
 * Elementwise true division `a / b` (integer inputs give float32, as in NumPy).
 *
 * Operands broadcast with NumPy rules and promote with {@link promoteTypes}; a number adopts the tensor's dtype.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { div, tensor } from '@difflab/tensor';
 * div(tensor([1, 2]), 4).toArray(); // => [0.25, 0.5]
 * div(tensor([1, 0, -1]), 0).toArray(); // => [Infinity, NaN, -Infinity]
 * ```
 */
export const div = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('div', a, b, (g, x, y) => [div(g, y), neg(div(mul(g, x), mul(y, y)))]);

/**
 * Elementwise power `a ** b` (`torch.pow`).
 *
 * The exponent's gradient uses log(x), defined as 0 where x == 0 (as PyTorch does) so that integer
 * powers of tensors with zeros stay finite.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { pow, tensor } from '@difflab/tensor';
 * pow(tensor([2, 3]), 2).toArray(); // => [4, 9]
 * pow(2, tensor([0.5])).toArray(); // => [1.414214]
 * ```
 */
export const pow = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('pow', a, b, (g, x, y, out) => [
    mul(g, mul(y, pow(x, sub(y, 1)))),
    mul(g, mul(out, where(equal(x, 0), 0, log(where(equal(x, 0), 1, x))))),
  ]);

/**
 * Elementwise maximum of `a` and `b` (`torch.maximum`; NaN-propagating).
 *
 * Gradient flows to the larger input; ties split it evenly (as JAX does).
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { maximum, tensor } from '@difflab/tensor';
 * maximum(tensor([1, 5]), tensor([3, 2])).toArray(); // => [3, 5]
 * ```
 */
export const maximum = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('maximum', a, b, (g, x, y) => {
    const half = mul(g, 0.5);
    return [where(greater(x, y), g, where(equal(x, y), half, 0)), where(less(x, y), g, where(equal(x, y), half, 0))];
  });
/**
 * Elementwise minimum of `a` and `b` (`torch.minimum`; NaN-propagating).
 *
 * Gradient flows to the smaller input; ties split it evenly.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { minimum, tensor } from '@difflab/tensor';
 * minimum(tensor([1, 5]), 2).toArray(); // => [1, 2]
 * ```
 */
export const minimum = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('minimum', a, b, (g, x, y) => {
    const half = mul(g, 0.5);
    return [where(less(x, y), g, where(equal(x, y), half, 0)), where(greater(x, y), g, where(equal(x, y), half, 0))];
  });
/**
 * Elementwise `atan2(a, b)`: the angle of the point (b, a), in (-π, π].
 *
 * Integer inputs give float32.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { atan2, tensor } from '@difflab/tensor';
 * atan2(tensor([1, 1, -1]), tensor([1, -1, 0])).toArray(); // => [0.785398, 2.356194, -1.570796]
 * ```
 */
export const atan2 = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('atan2', a, b, (g, y, x) => {
    const r2 = add(mul(x, x), mul(y, y));
    return [div(mul(g, x), r2), neg(div(mul(g, y), r2))];
  });
/**
 * Python-style modulo: the result has the sign of the divisor (`torch.remainder`, not `torch.fmod`).
 *
 * Gradients: d/da = 1, d/db = -floor(a / b).
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { mod, tensor } from '@difflab/tensor';
 * mod(tensor([5, -5, 5]), tensor([3, 3, -3])).toArray(); // => [2, 1, -1]
 * ```
 */
export const mod = (a: TensorLike, b: TensorLike): Tensor =>
  binaryOp('mod', a, b, (g, x, y) => [g, neg(mul(g, floorDiv(x, y)))]);

function floorDiv(x: Tensor, y: Tensor): Tensor {
  return div(sub(x, mod(x, y)), y);
}

/**
 * Elementwise `a == b` as a bool tensor (not differentiable).
 *
 * Operands broadcast and compare after dtype promotion.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { equal, tensor } from '@difflab/tensor';
 * equal(tensor([1, 2]), 2).toArray(); // => [false, true]
 * ```
 */
export const equal = (a: TensorLike, b: TensorLike): Tensor => binaryOp('equal', a, b);
/**
 * Elementwise `a != b` as a bool tensor (not differentiable).
 *
 * Operands broadcast and compare after dtype promotion.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { notEqual, tensor } from '@difflab/tensor';
 * notEqual(tensor([1, 2]), 2).toArray(); // => [true, false]
 * ```
 */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('notEqual', a, b);
/**
 * Elementwise `a < b` as a bool tensor (not differentiable).
 *
 * Operands broadcast and compare after dtype promotion.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { less, tensor } from '@difflab/tensor';
 * less(tensor([1, 2, 3]), 2).toArray(); // => [true, false, false]
 * ```
 */
export const less = (a: TensorLike, b: TensorLike): Tensor => binaryOp('less', a, b);
/**
 * Elementwise `a <= b` as a bool tensor (not differentiable).
 *
 * Operands broadcast and compare after dtype promotion.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { lessEqual, tensor } from '@difflab/tensor';
 * lessEqual(tensor([1, 2, 3]), 2).toArray(); // => [true, true, false]
 * ```
 */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('lessEqual', a, b);
/**
 * Elementwise `a > b` as a bool tensor (not differentiable).
 *
 * Operands broadcast and compare after dtype promotion.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { greater, tensor } from '@difflab/tensor';
 * greater(tensor([1, 2, 3]), 2).toArray(); // => [false, false, true]
 * ```
 */
export const greater = (a: TensorLike, b: TensorLike): Tensor => binaryOp('greater', a, b);
/**
 * Elementwise `a >= b` as a bool tensor (not differentiable).
 *
 * Operands broadcast and compare after dtype promotion.
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { greaterEqual, tensor } from '@difflab/tensor';
 * greaterEqual(tensor([1, 2, 3]), 2).toArray(); // => [false, true, true]
 * ```
 */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binaryOp('greaterEqual', a, b);
/**
 * Elementwise logical and of bool tensors, broadcasting (not differentiable).
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { logicalAnd, tensor } from '@difflab/tensor';
 * logicalAnd(tensor([true, true, false]), tensor([true, false, false])).toArray(); // => [true, false, false]
 * ```
 */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => binaryOp('logicalAnd', a, b);
/**
 * Elementwise logical or of bool tensors, broadcasting (not differentiable).
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { logicalOr, tensor } from '@difflab/tensor';
 * logicalOr(tensor([true, true, false]), tensor([true, false, false])).toArray(); // => [true, true, false]
 * ```
 */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => binaryOp('logicalOr', a, b);
/**
 * Elementwise logical exclusive or of bool tensors, broadcasting (not differentiable).
 *
 * @param a - Left operand, tensor or number.
 * @param b - Right operand, tensor or number.
 * @returns A tensor of the broadcast shape.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { logicalXor, tensor } from '@difflab/tensor';
 * logicalXor(tensor([true, true, false]), tensor([true, false, false])).toArray(); // => [false, true, false]
 * ```
 */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => binaryOp('logicalXor', a, b);

/**
 * Elementwise select: `cond ? a : b`, broadcasting all three (`torch.where`). `cond` must be bool.
 *
 * The result dtype promotes `a` and `b`; gradients flow to `a` where `cond` holds and to `b` elsewhere.
 * The unselected branch receives a zero cotangent, but where its own derivative is infinite (`sqrt`
 * at 0, `log` at 0) 0 · ∞ still gives NaN, as in PyTorch and JAX: feed that branch a safe input
 * (`where(c, x, 1)`) as well.
 *
 * @param cond - bool tensor (or boolean).
 * @param a - Values where `cond` is true.
 * @param b - Values where `cond` is false.
 * @returns A tensor of the broadcast shape.
 * @throws {DTypeError} when `cond` is not bool.
 * @throws {ShapeError} when the shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { where, tensor, DTypeError } from '@difflab/tensor';
 * const x = tensor([-1, 2, -3]);
 * where(x.greater(0), x, 0).toArray(); // => [0, 2, 0]
 * where(tensor([1, 0]), 1, 2); // throws DTypeError
 * ```
 */
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

/**
 * Clamps into [min, max] (either bound may be omitted), like `torch.clamp`.
 *
 * Gradient is 1 inside the range (bounds included) and 0 outside, as PyTorch. Bounds may be
 * tensors (broadcast).
 *
 * @param x - Input tensor.
 * @param min - Lower bound, or null/undefined for none.
 * @param max - Upper bound, or null/undefined for none.
 * @returns A tensor of the broadcast shape.
 *
 * @example
 * ```ts
 * import { clamp, tensor } from '@difflab/tensor';
 * clamp(tensor([-2, 0.5, 3]), 0, 1).toArray(); // => [0, 0.5, 1]
 * clamp(tensor([-2, 3]), null, 1).toArray(); // => [-2, 1]
 * ```
 */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  let out = x;
  if (min !== undefined && min !== null) out = where(less(out, min), min, out);
  if (max !== undefined && max !== null) out = where(greater(out, max), max, out);
  return out;
}

/**
 * `|a - b| <= atol + rtol * |b|`, elementwise (NumPy's `isclose`; asymmetric in `b`).
 *
 * @param a - Tensor or number.
 * @param b - Reference tensor or number.
 * @param rtol - Relative tolerance (default 1e-5).
 * @param atol - Absolute tolerance (default 1e-8).
 * @returns A bool tensor of the broadcast shape.
 *
 * @example
 * ```ts
 * import { isclose, tensor } from '@difflab/tensor';
 * isclose(tensor([1, 1.001]), 1).toArray(); // => [true, false]
 * isclose(tensor([1.001]), 1, 1e-2).toArray(); // => [true]
 * ```
 */
export function isclose(a: TensorLike, b: TensorLike, rtol = 1e-5, atol = 1e-8): Tensor {
  const [x, y] = asTensors('isclose', a, b) as [Tensor, Tensor];
  return lessEqual(abs(sub(x, y)), add(atol, mul(rtol, abs(y))));
}
