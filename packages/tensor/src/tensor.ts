import ndarray from 'ndarray';
import type { NdArray } from 'ndarray';
import type { DType, TypedArray } from './dtype.js';
import { DeviceError, DisposedError, ValueError, fmtShape } from './errors.js';
import type { Storage, View } from './backend/types.js';
import type { GradNode } from './autodiff/graph.js';
import { liveStorage, setTensorPredicate, trackTensor } from './memory.js';
import * as ops from './ops/index.js';
import type { SliceSpec } from './ops/shape.js';
import type { NormOrd } from './ops/reduce.js';

/** Nested JS arrays of numbers or booleans, as accepted by `tensor` and returned by `toArray`. */
export type NestedArray = number | boolean | NestedArray[];
/** Anything the ops accept where a tensor is expected; numbers act as scalars. */
export type TensorLike = Tensor | number | boolean;
/** Axis argument of reductions: one axis, several, or `undefined` for all; negative values count from the end. */
export type Axis = number | readonly number[] | undefined;

/**
 * An immutable n-dimensional array on a device. Storage is shared between views
 * (reshape, transpose, slice, broadcast) and reference-counted: `dispose()` frees device
 * memory when the last view goes.
 */
export class Tensor {
  /** Size of each axis; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Step in storage elements per axis (0 for broadcast axes, negative for flipped ones). */
  readonly strides: readonly number[];
  /** Position of the first element in the storage. */
  readonly offset: number;
  /** Element type. */
  readonly dtype: DType;
  private _storage: Storage | null;
  /** Autodiff record; non-null only while some transform traces this value. */
  node: GradNode | null = null;

  /** @internal Use the creation functions (`tensor`, `zeros`, …) instead. */
  constructor(storage: Storage, shape: readonly number[], strides: readonly number[], offset: number, dtype: DType) {
    this._storage = storage;
    this.shape = shape;
    this.strides = strides;
    this.offset = offset;
    this.dtype = dtype;
    if (storage.refs === 0) {
      liveStorage.count++;
      liveStorage.bytes += storage.size * bytesPer(dtype);
    }
    storage.refs++;
    trackTensor(this);
  }

  /** The shared device buffer behind this view; throws DisposedError after `dispose()`. */
  get storage(): Storage {
    if (this._storage === null) throw new DisposedError(`tensor of shape ${fmtShape(this.shape)} was used after dispose()`);
    return this._storage;
  }

  /** The kernel-level view of this tensor. */
  get view(): View {
    return this;
  }

  /** Name of the device holding the data, e.g. `'cpu'` or `'webgpu'`. */
  get device(): string {
    return this.storage.backend.name;
  }
  /** Number of elements. */
  get size(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }
  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }
  /** True once `dispose()` has been called on this view. */
  get isDisposed(): boolean {
    return this._storage === null;
  }

  /** Releases this view; device memory goes when no other view shares it. Idempotent. */
  dispose(): void {
    const s = this._storage;
    if (s === null) return;
    this._storage = null;
    this.node = null;
    if (--s.refs === 0) {
      liveStorage.count--;
      liveStorage.bytes -= s.size * bytesPer(this.dtype);
      s.backend.free(s);
    }
  }

  /** A scijs `ndarray` view over the CPU storage (no copy). CPU only. */
  get ndarray(): NdArray<TypedArray> {
    if (this.device !== 'cpu') throw new DeviceError(`ndarray: tensor is on '${this.device}'; call .to('cpu') first`);
    return ndarray(this.storage.data as TypedArray, this.shape.slice(), this.strides.slice(), this.offset) as NdArray<TypedArray>;
  }

  /** Contiguous copy of the values (any device). */
  async data(): Promise<TypedArray> {
    return this.storage.backend.read(this);
  }

  /** Contiguous copy of the values; only for host-memory devices. */
  dataSync(): TypedArray {
    const b = this.storage.backend;
    if (!b.readSync) throw new DeviceError(`dataSync: device '${b.name}' cannot be read synchronously; use await t.data()`);
    return b.readSync(this);
  }

  /** Nested JS arrays (numbers; booleans for bool tensors). CPU only; see `toArrayAsync`. */
  toArray(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype === 'bool');
  }

  /** Nested JS arrays, on any device. */
  async toArrayAsync(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype === 'bool');
  }

  /** The single value of a size-1 tensor. */
  item(): number {
    if (this.size !== 1) throw new ValueError(`item: tensor of shape ${fmtShape(this.shape)} has ${this.size} elements, expected 1`);
    return this.dataSync()[0]!;
  }

  /** A short description with the values (CPU) and shape, dtype and device. */
  toString(): string {
    const body = !this.isDisposed && this.device === 'cpu' ? JSON.stringify(this.toArray()) : '…';
    return `Tensor(${body}, shape=${fmtShape(this.shape)}, dtype=${this.dtype}, device=${this.isDisposed ? 'disposed' : this.device})`;
  }

  /** Copy on another device (`this` when already there); differentiable. */
  to(device: string): Tensor {
    return ops.to(this, device);
  }
  /** Converts to `dtype` (float → int truncates); gradients flow between float dtypes. */
  astype(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }

  // Arithmetic
  /** Elementwise `this + b`, broadcasting (see the `add` function). */
  add(b: TensorLike): Tensor { return ops.add(this, b); }
  /** Elementwise `this - b`, broadcasting. */
  sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  /** Elementwise `this * b`, broadcasting. */
  mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  /** Elementwise true division `this / b` (integers give float32). */
  div(b: TensorLike): Tensor { return ops.div(this, b); }
  /** Elementwise power `this ** b`. */
  pow(b: TensorLike): Tensor { return ops.pow(this, b); }
  /** Elementwise maximum with `b` (ties split the gradient). */
  maximum(b: TensorLike): Tensor { return ops.maximum(this, b); }
  /** Elementwise minimum with `b` (ties split the gradient). */
  minimum(b: TensorLike): Tensor { return ops.minimum(this, b); }
  /** Python-style remainder (sign of the divisor). */
  mod(b: TensorLike): Tensor { return ops.mod(this, b); }
  /** Elementwise negation. */
  neg(): Tensor { return ops.neg(this); }
  // Comparisons
  /** Elementwise `this == b` as a bool tensor. */
  equal(b: TensorLike): Tensor { return ops.equal(this, b); }
  /** Elementwise `this != b` as a bool tensor. */
  notEqual(b: TensorLike): Tensor { return ops.notEqual(this, b); }
  /** Elementwise `this < b` as a bool tensor. */
  less(b: TensorLike): Tensor { return ops.less(this, b); }
  /** Elementwise `this <= b` as a bool tensor. */
  lessEqual(b: TensorLike): Tensor { return ops.lessEqual(this, b); }
  /** Elementwise `this > b` as a bool tensor. */
  greater(b: TensorLike): Tensor { return ops.greater(this, b); }
  /** Elementwise `this >= b` as a bool tensor. */
  greaterEqual(b: TensorLike): Tensor { return ops.greaterEqual(this, b); }
  // Unary
  /** Elementwise absolute value (gradient 0 at 0). */
  abs(): Tensor { return ops.abs(this); }
  /** Elementwise sign: -1, 0 or 1. */
  sign(): Tensor { return ops.sign(this); }
  /** Elementwise e^x. */
  exp(): Tensor { return ops.exp(this); }
  /** Elementwise natural logarithm. */
  log(): Tensor { return ops.log(this); }
  /** Elementwise log(1 + x), accurate for small x. */
  log1p(): Tensor { return ops.log1p(this); }
  /** Elementwise e^x - 1, accurate for small x. */
  expm1(): Tensor { return ops.expm1(this); }
  /** Elementwise square root. */
  sqrt(): Tensor { return ops.sqrt(this); }
  /** Elementwise 1 / sqrt(x). */
  rsqrt(): Tensor { return ops.rsqrt(this); }
  /** Elementwise x². */
  square(): Tensor { return ops.square(this); }
  /** Elementwise 1 / x. */
  reciprocal(): Tensor { return ops.reciprocal(this); }
  /** Elementwise sine. */
  sin(): Tensor { return ops.sin(this); }
  /** Elementwise cosine. */
  cos(): Tensor { return ops.cos(this); }
  /** Elementwise tangent. */
  tan(): Tensor { return ops.tan(this); }
  /** Elementwise arcsine. */
  asin(): Tensor { return ops.asin(this); }
  /** Elementwise arccosine. */
  acos(): Tensor { return ops.acos(this); }
  /** Elementwise arctangent. */
  atan(): Tensor { return ops.atan(this); }
  /** Elementwise hyperbolic sine. */
  sinh(): Tensor { return ops.sinh(this); }
  /** Elementwise hyperbolic cosine. */
  cosh(): Tensor { return ops.cosh(this); }
  /** Elementwise hyperbolic tangent. */
  tanh(): Tensor { return ops.tanh(this); }
  /** Elementwise inverse hyperbolic sine. */
  asinh(): Tensor { return ops.asinh(this); }
  /** Elementwise inverse hyperbolic cosine. */
  acosh(): Tensor { return ops.acosh(this); }
  /** Elementwise inverse hyperbolic tangent. */
  atanh(): Tensor { return ops.atanh(this); }
  /** Elementwise angle of the point (x, this), i.e. `atan2(this, x)`. */
  atan2(x: TensorLike): Tensor { return ops.atan2(this, x); }
  /** Elementwise floor (zero gradient). */
  floor(): Tensor { return ops.floor(this); }
  /** Elementwise ceiling (zero gradient). */
  ceil(): Tensor { return ops.ceil(this); }
  /** Elementwise rounding to the nearest integer (zero gradient). */
  round(): Tensor { return ops.round(this); }
  /** Elementwise logistic sigmoid 1 / (1 + e^-x). */
  sigmoid(): Tensor { return ops.sigmoid(this); }
  /** Elementwise max(x, 0) (gradient 0 at 0). */
  relu(): Tensor { return ops.relu(this); }
  /** GELU, exact (erf) form. */
  gelu(): Tensor { return ops.gelu(this); }
  /** SiLU / swish: x · sigmoid(x). */
  silu(): Tensor { return ops.silu(this); }
  /** Elementwise log(1 + e^x). */
  softplus(): Tensor { return ops.softplus(this); }
  /** Elementwise error function. */
  erf(): Tensor { return ops.erf(this); }
  /** Elementwise inverse error function. */
  erfinv(): Tensor { return ops.erfinv(this); }
  /** Clamps into [min, max]; either bound may be null/omitted. */
  clamp(min?: number | null, max?: number | null): Tensor { return ops.clamp(this, min, max); }
  // Reductions
  /** Sum over `axis` (all axes by default). */
  sum(axis?: Axis, keepdims = false): Tensor { return ops.sum(this, axis, keepdims); }
  /** Mean over `axis` (all axes by default); integers average in float32. */
  mean(axis?: Axis, keepdims = false): Tensor { return ops.mean(this, axis, keepdims); }
  /** Maximum over `axis` (ties share the gradient). */
  max(axis?: Axis, keepdims = false): Tensor { return ops.max(this, axis, keepdims); }
  /** Minimum over `axis` (ties share the gradient). */
  min(axis?: Axis, keepdims = false): Tensor { return ops.min(this, axis, keepdims); }
  /** Product over `axis`. */
  prod(axis?: Axis, keepdims = false): Tensor { return ops.prod(this, axis, keepdims); }
  /** Variance with PyTorch's Bessel correction by default (`correction: 0` for NumPy's). */
  var(axis?: Axis, keepdims = false, correction = 1): Tensor { return ops.variance(this, axis, keepdims, correction); }
  /** Standard deviation, Bessel-corrected by default (`correction: 0` for NumPy's). */
  std(axis?: Axis, keepdims = false, correction = 1): Tensor { return ops.std(this, axis, keepdims, correction); }
  /** Stable log(sum(exp(x))) over `axis`. */
  logsumexp(axis?: Axis, keepdims = false): Tensor { return ops.logsumexp(this, axis, keepdims); }
  /** int32 index of the maximum along `axis` (of the flattened tensor when omitted). */
  argmax(axis?: number, keepdims = false): Tensor { return ops.argmax(this, axis, keepdims); }
  /** int32 index of the minimum along `axis` (of the flattened tensor when omitted). */
  argmin(axis?: number, keepdims = false): Tensor { return ops.argmin(this, axis, keepdims); }
  /** Vector norm over `axis` (2-norm of all entries by default). */
  norm(ord?: NormOrd, axis?: Axis, keepdims = false): Tensor { return ops.norm(this, ord, axis, keepdims); }
  // Shape
  /** Same data in a new shape (one entry may be -1); a view when the layout allows. */
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  /** Reshape to 1-D. */
  flatten(): Tensor { return ops.reshape(this, [-1]); }
  /** Permutes axes (reverses them by default); a view. */
  transpose(axes?: readonly number[]): Tensor { return ops.transpose(this, axes); }
  /** Permutes axes, PyTorch-style varargs: `x.permute(2, 0, 1)`; a view. */
  permute(...axes: number[]): Tensor { return ops.permute(this, axes); }
  /** Transpose with all axes reversed (the matrix transpose for 2-D); a view. */
  get T(): Tensor { return ops.transpose(this); }
  /** Inserts a size-1 axis at `axis`. */
  expandDims(axis: number): Tensor { return ops.expandDims(this, axis); }
  /** Removes size-1 axes (all of them, or those in `axis`). */
  squeeze(axis?: Axis): Tensor { return ops.squeeze(this, axis); }
  /** Broadcasts to `shape` as a stride-0 view. */
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  /** Python-style indexing, e.g. `x.slice(0, '1:3')` is `x[0, 1:3]`; a view. See `SliceSpec`. */
  slice(...spec: SliceSpec[]): Tensor { return ops.slice(this, ...spec); }
  /** Reverses the order along `axis` (all axes by default); a view. */
  flip(axis?: Axis): Tensor { return ops.flip(this, axis); }
  /** Selects entries along `axis` by integer indices (NumPy's `take`). */
  gather(indices: Tensor | readonly number[], axis = 0): Tensor { return ops.gather(this, indices, axis); }
  /** Alias of `gather`. */
  take(indices: Tensor | readonly number[], axis = 0): Tensor { return ops.gather(this, indices, axis); }
  /** Inclusive cumulative sum along `axis` (from the end when `reverse`). */
  cumsum(axis: number, reverse = false): Tensor { return ops.cumsum(this, axis, reverse); }
  /** Stable sort along `axis` (values; differentiable). */
  sort(axis = -1, descending = false): Tensor { return ops.sort(this, axis, descending); }
  /** int32 indices that sort along `axis`. */
  argsort(axis = -1, descending = false): Tensor { return ops.argsort(this, axis, descending); }
  /** Splits along `axis` into `sections` equal parts or parts of the given sizes. */
  split(sections: number | readonly number[], axis = 0): Tensor[] { return ops.split(this, sections, axis); }
  /** Constant padding, `[[before, after], ...]` per leading axis. */
  pad(widths: readonly (readonly [number, number])[], value = 0): Tensor { return ops.pad(this, widths, value); }
  /** Repeats the tensor `reps` times along each axis. */
  tile(reps: readonly number[]): Tensor { return ops.tile(this, reps); }
  // Linear algebra
  /** Matrix product with NumPy semantics (batched, broadcasting). */
  matmul(b: Tensor): Tensor { return ops.matmul(this, b); }
  /** Softmax along `axis` (default the last). */
  softmax(axis = -1): Tensor { return ops.softmax(this, axis); }
  /** log(softmax(x)) along `axis`, computed stably. */
  logSoftmax(axis = -1): Tensor { return ops.logSoftmax(this, axis); }
}

function bytesPer(dtype: DType): number {
  return dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4;
}

function nest(data: TypedArray, shape: readonly number[], bool: boolean): NestedArray {
  const conv = (v: number) => (bool ? (v !== 0) : v);
  if (shape.length === 0) return conv(data[0]!);
  const rec = (dim: number, off: number): NestedArray[] => {
    const n = shape[dim]!;
    let step = 1;
    for (let i = dim + 1; i < shape.length; i++) step *= shape[i]!;
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = dim === shape.length - 1 ? conv(data[off + i]!) : rec(dim + 1, off + i * step);
    return out;
  };
  return rec(0, 0);
}

/** Type guard: true for difflab tensors. */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

setTensorPredicate(isTensor);
