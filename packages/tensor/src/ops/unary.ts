import { record } from '../autodiff/graph.js';
import type { UnaryOp } from '../backend/types.js';
import { floatTypeOf, type DType } from '../dtype.js';
import { DTypeError, fmtShape } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { add, div, greater, mul, sub, where } from './binary.js';
import { asTensor, backendOf, fromStorage } from './core.js';

/** Gradient rule of a unary primitive: from the cotangent `g`, the input `x` and the output `out` to `x`'s cotangent. */
export type UnaryVjp = (g: Tensor, x: Tensor, out: Tensor) => Tensor;

/** Ops that keep integer dtypes; every other unary op computes in float. */
const KEEPS_DTYPE = new Set<UnaryOp>(['neg', 'abs', 'sign', 'square', 'relu', 'floor', 'ceil', 'round']);
const BOOL_OUT = new Set<UnaryOp>(['logicalNot', 'isnan', 'isfinite']);

/**
 * Elementwise unary primitive: runs kernel `op` on `x` (numbers become scalars) and records `vjp` as its
 * gradient rule. Float functions compute in float (integers in float32); `neg`, `abs`, `sign`, `square`,
 * `relu`, `floor`, `ceil`, `round` keep integer dtypes; `isnan`, `isfinite`, `logicalNot` return bool.
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

/** Elementwise negation `-x`. */
export const neg = (x: TensorLike): Tensor => unaryOp('neg', x, (g) => neg(g));
/** d|x|/dx = sign(x) (0 at 0, as PyTorch and JAX). */
export const abs = (x: TensorLike): Tensor => unaryOp('abs', x, (g, v) => mul(g, sign(v)));
/** Elementwise sign: -1, 0 or 1 (zero gradient). */
export const sign = (x: TensorLike): Tensor => unaryOp('sign', x, (g) => mul(g, 0));
/** Elementwise `e^x`. */
export const exp = (x: TensorLike): Tensor => unaryOp('exp', x, (g, _v, out) => mul(g, out));
/** Elementwise natural logarithm. */
export const log = (x: TensorLike): Tensor => unaryOp('log', x, (g, v) => div(g, v));
/** Elementwise `log(1 + x)`, accurate for small x. */
export const log1p = (x: TensorLike): Tensor => unaryOp('log1p', x, (g, v) => div(g, add(v, 1)));
/** Elementwise `e^x - 1`, accurate for small x. */
export const expm1 = (x: TensorLike): Tensor => unaryOp('expm1', x, (g, _v, out) => mul(g, add(out, 1)));
/** Elementwise square root. */
export const sqrt = (x: TensorLike): Tensor => unaryOp('sqrt', x, (g, _v, out) => div(g, mul(out, 2)));
/** Elementwise reciprocal square root `1 / sqrt(x)`. */
export const rsqrt = (x: TensorLike): Tensor => unaryOp('rsqrt', x, (g, v, out) => mul(g, div(mul(out, -0.5), v)));
/** Elementwise `x²` (keeps integer dtypes). */
export const square = (x: TensorLike): Tensor => unaryOp('square', x, (g, v) => mul(g, mul(v, 2)));
/** Elementwise `1 / x`. */
export const reciprocal = (x: TensorLike): Tensor => unaryOp('reciprocal', x, (g, _v, out) => neg(mul(g, mul(out, out))));
/** Elementwise sine. */
export const sin = (x: TensorLike): Tensor => unaryOp('sin', x, (g, v) => mul(g, cos(v)));
/** Elementwise cosine. */
export const cos = (x: TensorLike): Tensor => unaryOp('cos', x, (g, v) => neg(mul(g, sin(v))));
/** Elementwise tangent. */
export const tan = (x: TensorLike): Tensor => unaryOp('tan', x, (g, _v, out) => mul(g, add(mul(out, out), 1)));
/** Elementwise arcsine. */
export const asin = (x: TensorLike): Tensor => unaryOp('asin', x, (g, v) => mul(g, rsqrt(sub(1, mul(v, v)))));
/** Elementwise arccosine. */
export const acos = (x: TensorLike): Tensor => unaryOp('acos', x, (g, v) => neg(mul(g, rsqrt(sub(1, mul(v, v))))));
/** Elementwise arctangent. */
export const atan = (x: TensorLike): Tensor => unaryOp('atan', x, (g, v) => div(g, add(mul(v, v), 1)));
/** Elementwise hyperbolic sine. */
export const sinh = (x: TensorLike): Tensor => unaryOp('sinh', x, (g, v) => mul(g, cosh(v)));
/** Elementwise hyperbolic cosine. */
export const cosh = (x: TensorLike): Tensor => unaryOp('cosh', x, (g, v) => mul(g, sinh(v)));
/** Elementwise hyperbolic tangent. */
export const tanh = (x: TensorLike): Tensor => unaryOp('tanh', x, (g, _v, out) => mul(g, sub(1, mul(out, out))));
/** Elementwise inverse hyperbolic sine. */
export const asinh = (x: TensorLike): Tensor => unaryOp('asinh', x, (g, v) => mul(g, rsqrt(add(mul(v, v), 1))));
/** Elementwise inverse hyperbolic cosine. */
export const acosh = (x: TensorLike): Tensor => unaryOp('acosh', x, (g, v) => mul(g, rsqrt(sub(mul(v, v), 1))));
/** Elementwise inverse hyperbolic tangent. */
export const atanh = (x: TensorLike): Tensor => unaryOp('atanh', x, (g, v) => div(g, sub(1, mul(v, v))));
/** Elementwise logistic sigmoid `1 / (1 + e^-x)`. */
export const sigmoid = (x: TensorLike): Tensor => unaryOp('sigmoid', x, (g, _v, out) => mul(g, mul(out, sub(1, out))));
/** Gradient 0 at x = 0, as PyTorch. */
export const relu = (x: TensorLike): Tensor => unaryOp('relu', x, (g, v) => where(greater(v, 0), g, 0));
/** Elementwise `log(1 + e^x)`; its gradient is `sigmoid(x)`. */
export const softplus = (x: TensorLike): Tensor => unaryOp('softplus', x, (g, v) => mul(g, sigmoid(v)));
const TWO_OVER_SQRT_PI = 1.1283791670955126;
/** Elementwise error function (double-precision accurate on the CPU). */
export const erf = (x: TensorLike): Tensor => unaryOp('erf', x, (g, v) => mul(g, mul(exp(neg(mul(v, v))), TWO_OVER_SQRT_PI)));
/** d/dy erfinv(y) = sqrt(pi)/2 * exp(erfinv(y)^2). */
export const erfinv = (x: TensorLike): Tensor =>
  unaryOp('erfinv', x, (g, _v, out) => mul(g, mul(exp(mul(out, out)), Math.sqrt(Math.PI) / 2)));
/** Piecewise-constant ops have zero gradient almost everywhere. */
export const floor = (x: TensorLike): Tensor => unaryOp('floor', x, (g) => mul(g, 0));
/** Elementwise ceiling (zero gradient). */
export const ceil = (x: TensorLike): Tensor => unaryOp('ceil', x, (g) => mul(g, 0));
/** Elementwise rounding to the nearest integer (zero gradient). */
export const round = (x: TensorLike): Tensor => unaryOp('round', x, (g) => mul(g, 0));
/** Elementwise NaN test (bool, no gradient). */
export const isnan = (x: TensorLike): Tensor => unaryOp('isnan', x);
/** Elementwise finiteness test (bool, no gradient). */
export const isfinite = (x: TensorLike): Tensor => unaryOp('isfinite', x);
/** Elementwise logical not of a bool tensor. */
export function logicalNot(x: TensorLike): Tensor {
  const t = asTensor('logicalNot', x);
  if (t.dtype !== 'bool') throw new DTypeError(`logicalNot: expected a bool tensor, got ${t.dtype} of shape ${fmtShape(t.shape)}`);
  return unaryOp('logicalNot', t);
}

/** GELU. Exact (erf) form by default, as `torch.nn.functional.gelu`; `approximate: 'tanh'` for the tanh form. */
export function gelu(x: TensorLike, opts: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  const t = asTensor('gelu', x);
  if (opts.approximate === 'tanh') {
    const inner = mul(add(t, mul(mul(mul(t, t), t), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(t, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(t, 0.5), add(erf(mul(t, Math.SQRT1_2)), 1));
}

/** SiLU / swish `x · sigmoid(x)`. */
export const silu = (x: TensorLike): Tensor => {
  const t = asTensor('silu', x);
  return mul(t, sigmoid(t));
};

/** Leaky ReLU with PyTorch's default slope 0.01. */
export function leakyRelu(x: TensorLike, negativeSlope = 0.01): Tensor {
  const t = asTensor('leakyRelu', x);
  return where(greater(t, 0), t, mul(t, negativeSlope));
}

/** ELU: `x` for x > 0, `alpha · (e^x − 1)` otherwise (PyTorch's default alpha 1). */
export function elu(x: TensorLike, alpha = 1): Tensor {
  const t = asTensor('elu', x);
  // expm1 of the clipped input keeps the unused branch finite so its zero gradient stays 0, not NaN.
  // Clip with where, not minimum: minimum splits the gradient at the tie x = 0, halving elu'(0) = alpha.
  const pos = greater(t, 0);
  return where(pos, t, mul(expm1(where(pos, 0, t)), alpha));
}
