import { record } from '../autodiff/graph.js';
import type { ReduceOp } from '../backend/types.js';
import { floatTypeOf, isFloat, type DType } from '../dtype.js';
import { ValueError, fmtShape } from '../errors.js';
import { normalizeAxes, normalizeAxis, reducedShape } from '../shape.js';
import type { Axis, Tensor } from '../tensor.js';
import { add, div, equal, greater, mul, sub, where } from './binary.js';
import { backendOf, fromStorage, requireFloat } from './core.js';
import { broadcastTo, reshape } from './shape.js';
import { abs, exp, log, sqrt } from './unary.js';
import { stopGradient } from '../autodiff/stop.js';

/**
 * Re-inserts reduced axes as size 1 then broadcasts back to `shape` (differentiable): the adjoint of a
 * sum over `axes`, used by reduction gradient rules.
 *
 * @param g - Tensor with the reduced shape (without kept dims).
 * @param shape - Shape before the reduction.
 * @param axes - The reduced axes, normalised (non-negative).
 * @returns A stride-0 view of `g` with `shape`.
 *
 * @example
 * ```ts
 * import { expandReduced, tensor } from '@difflab/tensor';
 * expandReduced(tensor([1, 2]), [2, 3], [1]).toArray(); // => [[1, 1, 1], [2, 2, 2]]
 * ```
 */
export function expandReduced(g: Tensor, shape: readonly number[], axes: readonly number[]): Tensor {
  return broadcastTo(reshape(g, reducedShape(shape, axes, true)), shape);
}

function reducePrim(op: ReduceOp, x: Tensor, axis: Axis, keepdims: boolean): Tensor {
  const axes = normalizeAxes(op, axis, x.shape);
  let dt: DType = x.dtype;
  if (op === 'sum' || op === 'prod') dt = x.dtype === 'bool' ? 'int32' : x.dtype;
  if ((op === 'max' || op === 'min') && x.size === 0)
    throw new ValueError(`${op}: cannot reduce an empty tensor of shape ${fmtShape(x.shape)} (no identity)`);
  const outShape = reducedShape(x.shape, axes, keepdims);
  const out = fromStorage(backendOf(x).reduce(op, x, axes, dt), outShape, dt);
  return record(out, op, [x], (g) => [reduceVjp(op, g, x, out, axes)]);
}

function reduceVjp(op: ReduceOp, g: Tensor, x: Tensor, out: Tensor, axes: number[]): Tensor {
  const gx = expandReduced(g, x.shape, axes);
  if (op === 'sum') return gx;
  const y = expandReduced(out, x.shape, axes);
  if (op === 'max' || op === 'min') {
    // Ties share the gradient evenly (JAX and PyTorch's full reductions do the same).
    const mask = where(equal(x, y), 1, 0).astype(g.dtype);
    const count = expandReduced(sum(mask, axes, false), x.shape, axes);
    return div(mul(gx, mask), count);
  }
  // prod: d/dx_i = prod_{j != i} x_j, computed without dividing by zero.
  const isZero = equal(x, 0);
  const nonzero = where(isZero, 1, x);
  const prodNonzero = expandReduced(prod(nonzero, axes, false), x.shape, axes);
  const zeros = expandReduced(sum(where(isZero, 1, 0), axes, false), x.shape, axes);
  const atZero = where(equal(zeros, 1), prodNonzero, 0);
  return mul(gx, where(isZero, atZero, div(y, nonzero)));
}

/**
 * Sum over `axis` (all axes by default), like `torch.sum`; bool sums to int32.
 *
 * @param x - Input tensor.
 * @param axis - Axis or axes to reduce (negative count from the end); all axes when omitted.
 * @param keepdims - Keep the reduced axes with size 1 (default false), so the result broadcasts against `x`.
 * @throws {AxisError} for an out-of-range or repeated axis.
 * @returns The sums; dtype of `x` (int32 for bool).
 *
 * @example
 * ```ts
 * import { sum, tensor } from '@difflab/tensor';
 * const x = tensor([[1, 2], [3, 4]]);
 * sum(x).item(); // => 10
 * sum(x, 0).toArray(); // => [4, 6]
 * sum(x, -1, true).toArray(); // => [[3], [7]]
 * sum(tensor([true, true, false])).item(); // => 2
 * ```
 */
export const sum = (x: Tensor, axis?: Axis, keepdims = false): Tensor => reducePrim('sum', x, axis, keepdims);
/**
 * Product over `axis` (all axes by default), like `torch.prod`.
 *
 * The gradient is exact where entries are zero (no division by x).
 *
 * @param x - Input tensor.
 * @param axis - Axis or axes to reduce (negative count from the end); all axes when omitted.
 * @param keepdims - Keep the reduced axes with size 1 (default false), so the result broadcasts against `x`.
 * @throws {AxisError} for an out-of-range or repeated axis.
 * @returns The products; dtype of `x` (int32 for bool).
 *
 * @example
 * ```ts
 * import { prod, tensor } from '@difflab/tensor';
 * prod(tensor([[1, 2], [3, 4]]), 1).toArray(); // => [2, 12]
 * ```
 */
export const prod = (x: Tensor, axis?: Axis, keepdims = false): Tensor => reducePrim('prod', x, axis, keepdims);
/**
 * Maximum over `axis` (all axes by default), like `torch.amax`; tied maxima share the gradient evenly.
 *
 * @param x - Input tensor.
 * @param axis - Axis or axes to reduce (negative count from the end); all axes when omitted.
 * @param keepdims - Keep the reduced axes with size 1 (default false), so the result broadcasts against `x`.
 * @throws {AxisError} for an out-of-range or repeated axis.
 * @returns The maxima; dtype of `x`.
 * @throws {ValueError} for an empty tensor (no identity).
 *
 * @example
 * ```ts
 * import { max, tensor } from '@difflab/tensor';
 * max(tensor([[1, 5], [3, 4]])).item(); // => 5
 * max(tensor([[1, 5], [3, 4]]), 0).toArray(); // => [3, 5]
 * ```
 */
export const max = (x: Tensor, axis?: Axis, keepdims = false): Tensor => reducePrim('max', x, axis, keepdims);
/**
 * Minimum over `axis` (all axes by default), like `torch.amin`; tied minima share the gradient evenly.
 *
 * @param x - Input tensor.
 * @param axis - Axis or axes to reduce (negative count from the end); all axes when omitted.
 * @param keepdims - Keep the reduced axes with size 1 (default false), so the result broadcasts against `x`.
 * @throws {AxisError} for an out-of-range or repeated axis.
 * @returns The minima; dtype of `x`.
 * @throws {ValueError} for an empty tensor (no identity).
 *
 * @example
 * ```ts
 * import { min, tensor } from '@difflab/tensor';
 * min(tensor([[1, 5], [3, 4]]), 1).toArray(); // => [1, 3]
 * ```
 */
export const min = (x: Tensor, axis?: Axis, keepdims = false): Tensor => reducePrim('min', x, axis, keepdims);

function countOf(x: Tensor, axis: Axis, op: string): number {
  const axes = normalizeAxes(op, axis, x.shape);
  let n = 1;
  for (const a of axes) n *= x.shape[a]!;
  return n;
}

/**
 * Arithmetic mean over `axis` (all axes by default); integer tensors average in float32.
 *
 * @param x - Input tensor.
 * @param axis - Axis or axes to reduce (negative count from the end); all axes when omitted.
 * @param keepdims - Keep the reduced axes with size 1 (default false), so the result broadcasts against `x`.
 * @throws {AxisError} for an out-of-range or repeated axis.
 * @returns The means (float).
 * @throws {ValueError} when the reduced selection is empty.
 *
 * @example
 * ```ts
 * import { mean, tensor } from '@difflab/tensor';
 * mean(tensor([[1, 2], [3, 4]])).item(); // => 2.5
 * mean(tensor([1, 2], { dtype: 'int32' })).dtype; // => 'float32'
 * ```
 */
export function mean(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  const n = countOf(x, axis, 'mean');
  if (n === 0) throw new ValueError(`mean: cannot average an empty selection of a tensor of shape ${fmtShape(x.shape)}`);
  const xf = isFloat(x.dtype) ? x : x.astype(floatTypeOf(x.dtype));
  return div(sum(xf, axis, keepdims), n);
}

/**
 * Variance with PyTorch's default Bessel correction (`correction` 1); pass 0 for NumPy's default.
 *
 * Exported as both `variance` and `var` (`torch.var(x, dim, correction=…)`). Divides by
 * `max(0, n - correction)`, so a single sample with correction 1 gives NaN/Infinity as in PyTorch.
 *
 * @param x - Input tensor.
 * @param axis - Axis or axes to reduce (negative count from the end); all axes when omitted.
 * @param keepdims - Keep the reduced axes with size 1 (default false), so the result broadcasts against `x`.
 * @throws {AxisError} for an out-of-range or repeated axis.
 * @param correction - Subtracted from the sample count in the denominator (default 1).
 * @returns The variances.
 * @throws {DTypeError} for non-float tensors.
 *
 * @example
 * ```ts
 * import { variance, tensor } from '@difflab/tensor';
 * const x = tensor([1, 2, 3, 4]);
 * variance(x).item(); // => 1.666667
 * variance(x, undefined, false, 0).item(); // => 1.25
 * variance(tensor([[1, 3], [2, 2]]), 1).toArray(); // => [2, 0]
 * ```
 */
export function variance(x: Tensor, axis?: Axis, keepdims = false, correction = 1): Tensor {
  requireFloat('var', x);
  const n = countOf(x, axis, 'var');
  const m = mean(x, axis, true);
  const d = sub(x, m);
  return div(sum(mul(d, d), axis, keepdims), Math.max(0, n - correction));
}

/**
 * Standard deviation: the square root of {@link variance} with the same `correction` (`torch.std`).
 *
 * @param x - Input tensor.
 * @param axis - Axis or axes to reduce (negative count from the end); all axes when omitted.
 * @param keepdims - Keep the reduced axes with size 1 (default false), so the result broadcasts against `x`.
 * @throws {AxisError} for an out-of-range or repeated axis.
 * @param correction - Subtracted from the sample count in the denominator (default 1).
 * @returns The standard deviations.
 * @throws {DTypeError} for non-float tensors.
 *
 * @example
 * ```ts
 * import { std, tensor } from '@difflab/tensor';
 * std(tensor([1, 3])).item(); // => 1.414214
 * std(tensor([1, 3]), undefined, false, 0).item(); // => 1
 * ```
 */
export function std(x: Tensor, axis?: Axis, keepdims = false, correction = 1): Tensor {
  return sqrt(variance(x, axis, keepdims, correction));
}

/**
 * `log(sum(exp(x)))` computed stably (`torch.logsumexp`); all -inf rows give -inf, not NaN.
 *
 * The row maximum is subtracted before exponentiating, so large logits do not overflow; the gradient
 * is `softmax(x)`.
 *
 * @param x - Input tensor.
 * @param axis - Axis or axes to reduce (negative count from the end); all axes when omitted.
 * @param keepdims - Keep the reduced axes with size 1 (default false), so the result broadcasts against `x`.
 * @throws {AxisError} for an out-of-range or repeated axis.
 * @returns The log-sum-exps.
 * @throws {DTypeError} for non-float tensors.
 *
 * @example
 * ```ts
 * import { logsumexp, tensor } from '@difflab/tensor';
 * logsumexp(tensor([1000, 1000])).item(); // => 1000.693147
 * logsumexp(tensor([[0, 0], [-Infinity, -Infinity]]), 1).toArray(); // => [0.693147, -Infinity]
 * ```
 */
export function logsumexp(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  requireFloat('logsumexp', x);
  const m0 = stopGradient(max(x, axis, true));
  const m = where(equal(abs(m0), Infinity), 0, m0);
  const s = log(sum(exp(sub(x, m)), axis, true));
  const out = add(s, m);
  return keepdims ? out : reshape(out, reducedShape(x.shape, normalizeAxes('logsumexp', axis, x.shape), false));
}

function argPrim(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  if (x.size === 0) throw new ValueError(`${op}: empty tensor of shape ${fmtShape(x.shape)}`);
  if (axis === undefined) {
    const flat = reshape(x, [x.size]);
    const r = fromStorage(backendOf(x).argReduce(op, flat, 0), [], 'int32');
    return keepdims ? reshape(r, x.shape.map(() => 1)) : r;
  }
  const ax = normalizeAxis(op, axis, x.ndim, x.shape);
  const r = fromStorage(backendOf(x).argReduce(op, x, ax), reducedShape(x.shape, [ax], false), 'int32');
  return keepdims ? reshape(r, reducedShape(x.shape, [ax], true)) : r;
}

/**
 * int32 index of the maximum along `axis`, or into the flattened tensor when `axis` is omitted
 * (`torch.argmax`); the first occurrence wins ties. Not differentiable.
 *
 * @param x - Input tensor.
 * @param axis - Axis to search; the flattened tensor when omitted.
 * @param keepdims - Keep the reduced axis (all axes when `axis` is omitted) with size 1.
 * @returns int32 indices.
 * @throws {ValueError} for an empty tensor.
 *
 * @example
 * ```ts
 * import { argmax, tensor } from '@difflab/tensor';
 * const x = tensor([[1, 5], [7, 4]]);
 * argmax(x).item(); // => 2
 * argmax(x, 1).toArray(); // => [1, 0]
 * ```
 */
export const argmax = (x: Tensor, axis?: number, keepdims = false): Tensor => argPrim('argmax', x, axis, keepdims);
/**
 * int32 index of the minimum along `axis`, or into the flattened tensor when `axis` is omitted
 * (`torch.argmin`); the first occurrence wins ties. Not differentiable.
 *
 * @param x - Input tensor.
 * @param axis - Axis to search; the flattened tensor when omitted.
 * @param keepdims - Keep the reduced axis (all axes when `axis` is omitted) with size 1.
 * @returns int32 indices.
 * @throws {ValueError} for an empty tensor.
 *
 * @example
 * ```ts
 * import { argmin, tensor } from '@difflab/tensor';
 * argmin(tensor([[1, 5], [7, 4]]), 0).toArray(); // => [0, 1]
 * ```
 */
export const argmin = (x: Tensor, axis?: number, keepdims = false): Tensor => argPrim('argmin', x, axis, keepdims);

/**
 * Order of {@link norm}: a number p (including 0, ±Infinity), `'fro'` (= 2), `'inf'` or `'-inf'`.
 *
 * @example
 * ```ts
 * import { norm, tensor, type NormOrd } from '@difflab/tensor';
 * const ord: NormOrd = 'inf';
 * norm(tensor([3, -4]), ord).item(); // => 4
 * ```
 */
export type NormOrd = number | 'fro' | 'inf' | '-inf' | undefined;

/**
 * Vector p-norm over `axis` (all elements by default), like `torch.linalg.vector_norm`; `'fro'` is the
 * 2-norm of all entries. The 2-norm's gradient is 0 at the origin (a subgradient) rather than NaN.
 *
 * `ord` 0 counts non-zeros, ±Infinity take the max/min of |x|, other p give `(Σ|x|^p)^(1/p)`.
 * Matrix norms (nuclear, spectral) are not computed here; use the singular values from `svd`.
 *
 * @param x - Float input tensor.
 * @param ord - Order, default 2; see {@link NormOrd}.
 * @param axis - Axis or axes to reduce; all when omitted.
 * @param keepdims - Keep the reduced axes with size 1.
 * @returns The norms.
 * @throws {DTypeError} for non-float tensors.
 * @throws {ValueError} for an unsupported `ord`.
 *
 * @example
 * ```ts
 * import { norm, tensor } from '@difflab/tensor';
 * const x = tensor([[3, 4], [0, -1]]);
 * norm(x, 2, 1).toArray(); // => [5, 1]
 * norm(x, 1).item(); // => 8
 * norm(x, Infinity).item(); // => 4
 * norm(x, 0).item(); // => 3
 * ```
 */
export function norm(x: Tensor, ord: NormOrd = 2, axis?: Axis, keepdims = false): Tensor {
  requireFloat('norm', x);
  if (ord === 'fro' || ord === 2) return norm2(x, axis, keepdims);
  if (ord === Infinity || ord === 'inf') return max(abs(x), axis, keepdims);
  if (ord === -Infinity || ord === '-inf') return min(abs(x), axis, keepdims);
  if (ord === 1) return sum(abs(x), axis, keepdims);
  if (ord === 0) return sum(where(equal(x, 0), 0, 1).astype(x.dtype), axis, keepdims);
  if (typeof ord !== 'number' || !Number.isFinite(ord))
    throw new ValueError(`norm: unsupported ord ${String(ord)} (expected a number, 'fro', 'inf' or '-inf')`);
  return sum(abs(x).pow(ord), axis, keepdims).pow(1 / ord);
}

function norm2(x: Tensor, axis: Axis, keepdims: boolean): Tensor {
  const axes = normalizeAxes('norm', axis, x.shape);
  const sx = stopGradient(x);
  const nk = sqrt(sum(mul(sx, sx), axes, true));
  const out = reshape(nk, reducedShape(x.shape, axes, keepdims));
  // The rule recomputes the norm from the traced x so higher derivatives see its dependence.
  return record(out, 'norm', [x], (g) => {
    const n = norm2(x, axes, true);
    const safe = where(greater(n, 0), n, 1);
    return [mul(expandReduced(g, x.shape, axes), div(x, safe))];
  });
}
