import { record } from '../autodiff/graph.js';
import type { UnaryOp } from '../backend/types.js';
import { floatTypeOf, type DType } from '../dtype.js';
import { DTypeError, fmtShape } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { add, div, greater, mul, sub, where } from './binary.js';
import { asTensor, backendOf, fromStorage } from './core.js';

/**
 * Gradient rule of a unary primitive: from the cotangent `g`, the input `x` and the output `out` to `x`'s cotangent.
 *
 * Written in differentiable ops so that higher derivatives work.
 *
 * @example
 * ```ts
 * import { unaryOp, mul, type Tensor, type UnaryVjp } from '@difflab/tensor';
 * const expRule: UnaryVjp = (g, _x, out) => mul(g, out);
 * const myExp = (x: Tensor) => unaryOp('exp', x, expRule);
 * ```
 */
export type UnaryVjp = (g: Tensor, x: Tensor, out: Tensor) => Tensor;

/** Ops that keep integer dtypes; every other unary op computes in float. */
const KEEPS_DTYPE = new Set<UnaryOp>(['neg', 'abs', 'sign', 'square', 'relu', 'floor', 'ceil', 'round']);
const BOOL_OUT = new Set<UnaryOp>(['logicalNot', 'isnan', 'isfinite']);

/**
 * Elementwise unary primitive: runs kernel `op` on `x` (numbers become scalars) and records `vjp` as its
 * gradient rule. Float functions compute in float (integers in float32); `neg`, `abs`, `sign`, `square`,
 * `relu`, `floor`, `ceil`, `round` keep integer dtypes; `isnan`, `isfinite`, `logicalNot` return bool.
 *
 * The building block of every function in this module; use it to give an existing kernel a different
 * gradient (e.g. a straight-through estimator).
 *
 * @param op - Kernel name, see {@link UnaryOp}.
 * @param xIn - Input tensor or number.
 * @param vjp - Gradient rule; without one the result is a constant for autodiff.
 * @returns The elementwise result, same shape as the input.
 *
 * @example
 * ```ts
 * import { unaryOp, grad, tensor, type Tensor } from '@difflab/tensor';
 * // round() with a straight-through gradient instead of zero.
 * const roundSTE = (x: Tensor) => unaryOp('round', x, (g) => g);
 * roundSTE(tensor([0.4, 1.6])).toArray(); // => [0, 2]
 * grad((x: Tensor) => roundSTE(x).sum())(tensor([0.4, 1.6])).toArray(); // => [1, 1]
 * ```
 */
export function unaryOp(op: UnaryOp, xIn: TensorLike, vjp?: UnaryVjp): Tensor {
  const x = asTensor(op, xIn);
  let dt: DType;
  if (BOOL_OUT.has(op)) dt = 'bool';
  else if (KEEPS_DTYPE.has(op)) dt = x.dtype === 'bool' ? 'int32' : x.dtype;
  else dt = floatTypeOf(x.dtype);
  const out = fromStorage(backendOf(x).unary(op, x, dt), x.shape, dt);
  if (!vjp) return out;
  return record(out, op, [x], (g) => [vjp(g, x, out)]);
}

/**
 * Elementwise negation `-x` (`torch.neg`); keeps integer dtypes.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { neg, tensor } from '@difflab/tensor';
 * neg(tensor([1, -2])).toArray(); // => [-1, 2]
 * ```
 */
export const neg = (x: TensorLike): Tensor => unaryOp('neg', x, (g) => neg(g));
/**
 * Elementwise absolute value (`torch.abs`); keeps integer dtypes.
 *
 * The gradient is sign(x), so 0 at x = 0, as in PyTorch and JAX.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { abs, tensor } from '@difflab/tensor';
 * abs(tensor([-2, 0, 3])).toArray(); // => [2, 0, 3]
 * ```
 */
export const abs = (x: TensorLike): Tensor => unaryOp('abs', x, (g, v) => mul(g, sign(v)));
/**
 * Elementwise sign: -1, 0 or 1 (`torch.sign`); keeps integer dtypes.
 *
 * Its gradient is zero everywhere.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { sign, tensor } from '@difflab/tensor';
 * sign(tensor([-2, 0, 3])).toArray(); // => [-1, 0, 1]
 * ```
 */
export const sign = (x: TensorLike): Tensor => unaryOp('sign', x, (g) => mul(g, 0));
/**
 * Elementwise `e^x`.
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { exp, tensor } from '@difflab/tensor';
 * exp(tensor([0, 1])).toArray(); // => [1, 2.718282]
 * ```
 */
export const exp = (x: TensorLike): Tensor => unaryOp('exp', x, (g, _v, out) => mul(g, out));
/**
 * Elementwise natural logarithm (-Infinity at 0, NaN below).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { log, tensor } from '@difflab/tensor';
 * log(tensor([1, Math.E])).toArray(); // => [0, 1]
 * ```
 */
export const log = (x: TensorLike): Tensor => unaryOp('log', x, (g, v) => div(g, v));
/**
 * Elementwise `log(1 + x)`, accurate for small x (`torch.log1p`).
 *
 * Use it instead of `log(add(1, x))`, which rounds `1 + x` to 1 for |x| below the dtype's epsilon.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { log1p, tensor } from '@difflab/tensor';
 * log1p(tensor([1e-10], { dtype: 'float64' })).item() / 1e-10; // => 1
 * ```
 */
export const log1p = (x: TensorLike): Tensor => unaryOp('log1p', x, (g, v) => div(g, add(v, 1)));
/**
 * Elementwise `e^x - 1`, accurate for small x (`torch.expm1`).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { expm1, tensor } from '@difflab/tensor';
 * expm1(tensor([1e-10], { dtype: 'float64' })).item() / 1e-10; // => 1
 * ```
 */
export const expm1 = (x: TensorLike): Tensor => unaryOp('expm1', x, (g, _v, out) => mul(g, add(out, 1)));
/**
 * Elementwise square root (NaN below 0).
 *
 * The gradient is infinite at 0.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { sqrt, tensor } from '@difflab/tensor';
 * sqrt(tensor([4, 9])).toArray(); // => [2, 3]
 * ```
 */
export const sqrt = (x: TensorLike): Tensor => unaryOp('sqrt', x, (g, _v, out) => div(g, mul(out, 2)));
/**
 * Elementwise reciprocal square root `1 / sqrt(x)` (`torch.rsqrt`).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { rsqrt, tensor } from '@difflab/tensor';
 * rsqrt(tensor([4, 16])).toArray(); // => [0.5, 0.25]
 * ```
 */
export const rsqrt = (x: TensorLike): Tensor => unaryOp('rsqrt', x, (g, v, out) => mul(g, div(mul(out, -0.5), v)));
/**
 * Elementwise `x²` (keeps integer dtypes).
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { square, tensor } from '@difflab/tensor';
 * square(tensor([-2, 3])).toArray(); // => [4, 9]
 * ```
 */
export const square = (x: TensorLike): Tensor => unaryOp('square', x, (g, v) => mul(g, mul(v, 2)));
/**
 * Elementwise `1 / x` (Infinity at 0).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { reciprocal, tensor } from '@difflab/tensor';
 * reciprocal(tensor([2, 4])).toArray(); // => [0.5, 0.25]
 * ```
 */
export const reciprocal = (x: TensorLike): Tensor => unaryOp('reciprocal', x, (g, _v, out) => neg(mul(g, mul(out, out))));
/**
 * Elementwise sine (radians).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { sin, tensor } from '@difflab/tensor';
 * sin(tensor([0, Math.PI / 2])).toArray(); // => [0, 1]
 * ```
 */
export const sin = (x: TensorLike): Tensor => unaryOp('sin', x, (g, v) => mul(g, cos(v)));
/**
 * Elementwise cosine (radians).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { cos, tensor } from '@difflab/tensor';
 * cos(tensor([0, Math.PI])).toArray(); // => [1, -1]
 * ```
 */
export const cos = (x: TensorLike): Tensor => unaryOp('cos', x, (g, v) => neg(mul(g, sin(v))));
/**
 * Elementwise tangent (radians).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { tan, tensor } from '@difflab/tensor';
 * tan(tensor([0, Math.PI / 4])).toArray(); // => [0, 1]
 * ```
 */
export const tan = (x: TensorLike): Tensor => unaryOp('tan', x, (g, _v, out) => mul(g, add(mul(out, out), 1)));
/**
 * Elementwise arcsine, in [-π/2, π/2] (NaN outside [-1, 1]).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { asin, tensor } from '@difflab/tensor';
 * asin(tensor([0, 1])).toArray(); // => [0, 1.570796]
 * ```
 */
export const asin = (x: TensorLike): Tensor => unaryOp('asin', x, (g, v) => mul(g, rsqrt(sub(1, mul(v, v)))));
/**
 * Elementwise arccosine, in [0, π] (NaN outside [-1, 1]).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { acos, tensor } from '@difflab/tensor';
 * acos(tensor([1, 0])).toArray(); // => [0, 1.570796]
 * ```
 */
export const acos = (x: TensorLike): Tensor => unaryOp('acos', x, (g, v) => neg(mul(g, rsqrt(sub(1, mul(v, v))))));
/**
 * Elementwise arctangent, in (-π/2, π/2); see {@link atan2} for the full angle.
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { atan, tensor } from '@difflab/tensor';
 * atan(tensor([0, 1])).toArray(); // => [0, 0.785398]
 * ```
 */
export const atan = (x: TensorLike): Tensor => unaryOp('atan', x, (g, v) => div(g, add(mul(v, v), 1)));
/**
 * Elementwise hyperbolic sine.
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { sinh, tensor } from '@difflab/tensor';
 * sinh(tensor([0, 1])).toArray(); // => [0, 1.175201]
 * ```
 */
export const sinh = (x: TensorLike): Tensor => unaryOp('sinh', x, (g, v) => mul(g, cosh(v)));
/**
 * Elementwise hyperbolic cosine.
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { cosh, tensor } from '@difflab/tensor';
 * cosh(tensor([0, 1])).toArray(); // => [1, 1.543081]
 * ```
 */
export const cosh = (x: TensorLike): Tensor => unaryOp('cosh', x, (g, v) => mul(g, sinh(v)));
/**
 * Elementwise hyperbolic tangent.
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { tanh, tensor } from '@difflab/tensor';
 * tanh(tensor([0, 1])).toArray(); // => [0, 0.761594]
 * ```
 */
export const tanh = (x: TensorLike): Tensor => unaryOp('tanh', x, (g, _v, out) => mul(g, sub(1, mul(out, out))));
/**
 * Elementwise inverse hyperbolic sine.
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { asinh, tensor } from '@difflab/tensor';
 * asinh(tensor([0, 1])).toArray(); // => [0, 0.881374]
 * ```
 */
export const asinh = (x: TensorLike): Tensor => unaryOp('asinh', x, (g, v) => mul(g, rsqrt(add(mul(v, v), 1))));
/**
 * Elementwise inverse hyperbolic cosine (NaN below 1).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { acosh, tensor } from '@difflab/tensor';
 * acosh(tensor([1, 2])).toArray(); // => [0, 1.316958]
 * ```
 */
export const acosh = (x: TensorLike): Tensor => unaryOp('acosh', x, (g, v) => mul(g, rsqrt(sub(mul(v, v), 1))));
/**
 * Elementwise inverse hyperbolic tangent (±Infinity at ±1).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { atanh, tensor } from '@difflab/tensor';
 * atanh(tensor([0, 0.5])).toArray(); // => [0, 0.549306]
 * ```
 */
export const atanh = (x: TensorLike): Tensor => unaryOp('atanh', x, (g, v) => div(g, sub(1, mul(v, v))));
/**
 * Elementwise logistic sigmoid `1 / (1 + e^-x)` (`torch.sigmoid`).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { sigmoid, tensor } from '@difflab/tensor';
 * sigmoid(tensor([0, 2])).toArray(); // => [0.5, 0.880797]
 * ```
 */
export const sigmoid = (x: TensorLike): Tensor => unaryOp('sigmoid', x, (g, _v, out) => mul(g, mul(out, sub(1, out))));
/**
 * Elementwise `max(x, 0)` (`torch.relu`); keeps integer dtypes.
 *
 * The gradient is 0 at x = 0, as in PyTorch.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { relu, tensor } from '@difflab/tensor';
 * relu(tensor([-1, 0, 2])).toArray(); // => [0, 0, 2]
 * ```
 */
export const relu = (x: TensorLike): Tensor => unaryOp('relu', x, (g, v) => where(greater(v, 0), g, 0));
/**
 * Elementwise `log(1 + e^x)`, computed without overflow (`torch.nn.functional.softplus` with beta 1).
 *
 * Its gradient is `sigmoid(x)`.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { softplus, tensor } from '@difflab/tensor';
 * softplus(tensor([0, 100])).toArray(); // => [0.693147, 100]
 * ```
 */
export const softplus = (x: TensorLike): Tensor => unaryOp('softplus', x, (g, v) => mul(g, sigmoid(v)));
const TWO_OVER_SQRT_PI = 1.1283791670955126;
/**
 * Elementwise error function `2/√π ∫₀ˣ e^(-t²) dt` (double-precision accurate on the CPU).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { erf, tensor } from '@difflab/tensor';
 * erf(tensor([0, 1])).toArray(); // => [0, 0.842701]
 * ```
 */
export const erf = (x: TensorLike): Tensor => unaryOp('erf', x, (g, v) => mul(g, mul(exp(neg(mul(v, v))), TWO_OVER_SQRT_PI)));
/**
 * Elementwise inverse error function (±Infinity at ±1, NaN outside [-1, 1]).
 *
 * The gradient is `√π/2 · exp(erfinv(y)²)`.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { erfinv, tensor } from '@difflab/tensor';
 * erfinv(tensor([0, 0.5])).toArray(); // => [0, 0.476936]
 * ```
 */
export const erfinv = (x: TensorLike): Tensor =>
  unaryOp('erfinv', x, (g, _v, out) => mul(g, mul(exp(mul(out, out)), Math.sqrt(Math.PI) / 2)));
/**
 * Elementwise floor; keeps integer dtypes.
 *
 * Piecewise-constant, so its gradient is zero (almost everywhere).
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { floor, tensor } from '@difflab/tensor';
 * floor(tensor([1.5, -1.5])).toArray(); // => [1, -2]
 * ```
 */
export const floor = (x: TensorLike): Tensor => unaryOp('floor', x, (g) => mul(g, 0));
/**
 * Elementwise ceiling; keeps integer dtypes (zero gradient).
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { ceil, tensor } from '@difflab/tensor';
 * ceil(tensor([1.5, -1.5])).toArray(); // => [2, -1]
 * ```
 */
export const ceil = (x: TensorLike): Tensor => unaryOp('ceil', x, (g) => mul(g, 0));
/**
 * Elementwise rounding to the nearest integer; keeps integer dtypes (zero gradient).
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { round, tensor } from '@difflab/tensor';
 * round(tensor([1.2, 2.7])).toArray(); // => [1, 3]
 * ```
 */
export const round = (x: TensorLike): Tensor => unaryOp('round', x, (g) => mul(g, 0));
/**
 * Elementwise NaN test (bool, no gradient).
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { isnan, tensor } from '@difflab/tensor';
 * isnan(tensor([1, NaN])).toArray(); // => [false, true]
 * ```
 */
export const isnan = (x: TensorLike): Tensor => unaryOp('isnan', x);
/**
 * Elementwise finiteness test: false for NaN and ±Infinity (bool, no gradient).
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { isfinite, tensor } from '@difflab/tensor';
 * isfinite(tensor([1, Infinity, NaN])).toArray(); // => [true, false, false]
 * ```
 */
export const isfinite = (x: TensorLike): Tensor => unaryOp('isfinite', x);
/**
 * Elementwise logical not of a bool tensor.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 * @throws {DTypeError} when `x` is not bool.
 *
 * @example
 * ```ts
 * import { logicalNot, tensor, DTypeError } from '@difflab/tensor';
 * logicalNot(tensor([true, false])).toArray(); // => [false, true]
 * logicalNot(tensor([1, 0])); // throws DTypeError
 * ```
 */
export function logicalNot(x: TensorLike): Tensor {
  const t = asTensor('logicalNot', x);
  if (t.dtype !== 'bool') throw new DTypeError(`logicalNot: expected a bool tensor, got ${t.dtype} of shape ${fmtShape(t.shape)}`);
  return unaryOp('logicalNot', t);
}

/**
 * GELU `x · Φ(x)`: exact (erf) form by default, as `torch.nn.functional.gelu`; `approximate: 'tanh'`
 * for the tanh form (GPT-2 / BERT's original).
 *
 * @param x - Input tensor or number.
 * @param opts - `approximate`: `'none'` (default) or `'tanh'`.
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { gelu, tensor } from '@difflab/tensor';
 * gelu(tensor([-1, 0, 1])).toArray(); // => [-0.158655, 0, 0.841345]
 * gelu(tensor([1]), { approximate: 'tanh' }).toArray(); // => [0.841192]
 * ```
 */
export function gelu(x: TensorLike, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  const t = asTensor('gelu', x);
  if (opts.approximate === 'tanh') {
    const inner = mul(add(t, mul(mul(mul(t, t), t), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(t, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(t, 0.5), add(erf(mul(t, Math.SQRT1_2)), 1));
}

/**
 * SiLU / swish `x · sigmoid(x)` (`torch.nn.functional.silu`).
 *
 * Integer and bool inputs compute in float32.
 *
 * @param x - Input tensor or number (a number gives a 0-d tensor).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { silu, tensor } from '@difflab/tensor';
 * silu(tensor([0, 1])).toArray(); // => [0, 0.731059]
 * ```
 */
export const silu = (x: TensorLike): Tensor => {
  const t = asTensor('silu', x);
  return mul(t, sigmoid(t));
};

/**
 * Leaky ReLU: `x` for x > 0, `negativeSlope · x` otherwise, with PyTorch's default slope 0.01.
 *
 * @param x - Input tensor or number.
 * @param negativeSlope - Slope for x ≤ 0 (default 0.01).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { leakyRelu, tensor } from '@difflab/tensor';
 * leakyRelu(tensor([-2, 3]), 0.1).toArray(); // => [-0.2, 3]
 * ```
 */
export function leakyRelu(x: TensorLike, negativeSlope = 0.01): Tensor {
  const t = asTensor('leakyRelu', x);
  return where(greater(t, 0), t, mul(t, negativeSlope));
}

/**
 * ELU: `x` for x > 0, `alpha · (e^x − 1)` otherwise (PyTorch's default alpha 1).
 *
 * @param x - Input tensor or number.
 * @param alpha - Saturation value for large negative x (default 1).
 * @returns A tensor of the same shape.
 *
 * @example
 * ```ts
 * import { elu, tensor } from '@difflab/tensor';
 * elu(tensor([-1, 2])).toArray(); // => [-0.632121, 2]
 * ```
 */
export function elu(x: TensorLike, alpha = 1): Tensor {
  const t = asTensor('elu', x);
  // expm1 of the clipped input keeps the unused branch finite so its zero gradient stays 0, not NaN.
  // Clip with where, not minimum: minimum splits the gradient at the tie x = 0, halving elu'(0) = alpha.
  const pos = greater(t, 0);
  return where(pos, t, mul(expm1(where(pos, 0, t)), alpha));
}
