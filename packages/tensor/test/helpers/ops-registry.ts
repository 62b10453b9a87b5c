import * as dl from '../../src/index.js';
import type { Tensor, TensorLike } from '../../src/index.js';
import type { FloatDType } from './ops-fixture.js';

/**
 * How each fixture op name in scripts/fixtures/ops.py is spelled in difflab. Every entry takes the
 * fixture's inputs (float inputs already in the dtype under test) and its params.
 */
type OpFn = (xs: Tensor[], p: Record<string, any>, dtype: FloatDType) => Tensor | Tensor[];

const unary =
  (f: (x: Tensor) => Tensor): OpFn =>
  (xs) =>
    f(xs[0]!);
const binary =
  (f: (a: TensorLike, b: TensorLike) => Tensor): OpFn =>
  (xs) =>
    f(xs[0]!, xs[1]!);
/** A plain JS number operand, on either side. */
const scalarSide =
  (f: (a: TensorLike, b: TensorLike) => Tensor): OpFn =>
  (xs, p) =>
    p.side === 'left' ? f(p.scalar as number, xs[0]!) : f(xs[0]!, p.scalar as number);

const UNARY: Record<string, (x: Tensor) => Tensor> = {
  neg: dl.neg,
  abs: dl.abs,
  sign: dl.sign,
  exp: dl.exp,
  log: dl.log,
  log1p: dl.log1p,
  expm1: dl.expm1,
  sqrt: dl.sqrt,
  rsqrt: dl.rsqrt,
  square: dl.square,
  reciprocal: dl.reciprocal,
  sin: dl.sin,
  cos: dl.cos,
  tan: dl.tan,
  asin: dl.asin,
  acos: dl.acos,
  atan: dl.atan,
  sinh: dl.sinh,
  cosh: dl.cosh,
  tanh: dl.tanh,
  asinh: dl.asinh,
  acosh: dl.acosh,
  atanh: dl.atanh,
  sigmoid: dl.sigmoid,
  relu: dl.relu,
  gelu: (x) => dl.gelu(x),
  geluTanh: (x) => dl.gelu(x, { approximate: 'tanh' }),
  silu: dl.silu,
  softplus: dl.softplus,
  erf: dl.erf,
  erfinv: dl.erfinv,
  floor: dl.floor,
  ceil: dl.ceil,
  round: dl.round,
};

const BINARY: Record<string, (a: TensorLike, b: TensorLike) => Tensor> = {
  add: dl.add,
  sub: dl.sub,
  mul: dl.mul,
  div: dl.div,
  pow: dl.pow,
  maximum: dl.maximum,
  minimum: dl.minimum,
  atan2: dl.atan2,
  mod: dl.mod,
  equal: dl.equal,
  notEqual: dl.notEqual,
  less: dl.less,
  lessEqual: dl.lessEqual,
  greater: dl.greater,
  greaterEqual: dl.greaterEqual,
};

export const OPS: Record<string, OpFn> = {
  ...Object.fromEntries(Object.entries(UNARY).map(([k, f]) => [k, unary(f)])),
  ...Object.fromEntries(Object.entries(BINARY).map(([k, f]) => [k, binary(f)])),
  ...Object.fromEntries(Object.entries(BINARY).map(([k, f]) => [`${k}Scalar`, scalarSide(f)])),
  leakyRelu: (xs, p) => dl.leakyRelu(xs[0]!, p.slope),
  elu: (xs, p) => dl.elu(xs[0]!, p.alpha),
  where: (xs) => dl.where(xs[0]!, xs[1]!, xs[2]!),
  clamp: (xs, p) => dl.clamp(xs[0]!, p.min, p.max),
  sum: (xs, p) => dl.sum(xs[0]!, p.axis ?? undefined, p.keepdims),
  mean: (xs, p) => dl.mean(xs[0]!, p.axis ?? undefined, p.keepdims),
  max: (xs, p) => dl.max(xs[0]!, p.axis ?? undefined, p.keepdims),
  min: (xs, p) => dl.min(xs[0]!, p.axis ?? undefined, p.keepdims),
  prod: (xs, p) => dl.prod(xs[0]!, p.axis ?? undefined, p.keepdims),
  logsumexp: (xs, p) => dl.logsumexp(xs[0]!, p.axis ?? undefined, p.keepdims),
  var: (xs, p) => dl.var(xs[0]!, p.axis ?? undefined, p.keepdims, p.correction),
  std: (xs, p) => dl.std(xs[0]!, p.axis ?? undefined, p.keepdims, p.correction),
  argmax: (xs, p) => dl.argmax(xs[0]!, p.axis ?? undefined, p.keepdims),
  argmin: (xs, p) => dl.argmin(xs[0]!, p.axis ?? undefined, p.keepdims),
  norm: (xs, p) => dl.norm(xs[0]!, p.ord, p.axis ?? undefined, p.keepdims),
  reshape: (xs, p) => dl.reshape(xs[0]!, p.shape),
  transpose: (xs, p) => dl.transpose(xs[0]!, p.axes ?? undefined),
  expandDims: (xs, p) => dl.expandDims(xs[0]!, p.axis),
  squeeze: (xs, p) => dl.squeeze(xs[0]!, p.axis ?? undefined),
  broadcastTo: (xs, p) => dl.broadcastTo(xs[0]!, p.shape),
  concat: (xs, p) => dl.concat(xs, p.axis),
  stack: (xs, p) => dl.stack(xs, p.axis),
  split: (xs, p) => dl.split(xs[0]!, p.sections, p.axis),
  slice: (xs, p) => dl.slice(xs[0]!, ...p.spec),
  gather: (xs, p) => dl.gather(xs[0]!, xs[1]!, p.axis),
  scatterAdd: (xs, p) => dl.scatterAdd(xs[0]!, xs[1]!, p.axis, p.shape),
  pad: (xs, p) => dl.pad(xs[0]!, p.widths, p.value),
  flip: (xs, p) => dl.flip(xs[0]!, p.axis ?? undefined),
  cumsum: (xs, p) => dl.cumsum(xs[0]!, p.axis, p.reverse),
  sort: (xs, p) => {
    const { values, indices } = dl.sortWithIndices(xs[0]!, p.axis, p.descending);
    return [values, indices];
  },
  argsort: (xs, p) => dl.argsort(xs[0]!, p.axis, p.descending),
  topk: (xs, p) => {
    const { values, indices } = dl.topk(xs[0]!, p.k, p.axis, p.largest);
    return [values, indices];
  },
  oneHot: (xs, p, dtype) => dl.oneHot(xs[0]!, p.depth, dtype),
  tile: (xs, p) => dl.tile(xs[0]!, p.reps),
  takeAlongAxis: (xs, p) => dl.takeAlongAxis(xs[0]!, xs[1]!, p.axis),
  matmul: (xs) => dl.matmul(xs[0]!, xs[1]!),
  einsum: (xs, p) => dl.einsum(p.subscripts, ...xs),
  softmax: (xs, p) => dl.softmax(xs[0]!, p.axis),
  logSoftmax: (xs, p) => dl.logSoftmax(xs[0]!, p.axis),
};
