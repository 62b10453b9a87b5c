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

export type NestedArray = number | boolean | NestedArray[];
/** Anything the ops accept where a tensor is expected; numbers act as scalars. */
export type TensorLike = Tensor | number | boolean;
export type Axis = number | readonly number[] | undefined;

/**
 * An immutable n-dimensional array on a device. Storage is shared between views
 * (reshape, transpose, slice, broadcast) and reference-counted: `dispose()` frees device
 * memory when the last view goes.
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
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

  get storage(): Storage {
    if (this._storage === null) throw new DisposedError(`tensor of shape ${fmtShape(this.shape)} was used after dispose()`);
    return this._storage;
  }

  /** The kernel-level view of this tensor. */
  get view(): View {
    return this;
  }

  get device(): string {
    return this.storage.backend.name;
  }
  get size(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }
  get ndim(): number {
    return this.shape.length;
  }
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

  async toArrayAsync(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype === 'bool');
  }

  /** The single value of a size-1 tensor. */
  item(): number {
    if (this.size !== 1) throw new ValueError(`item: tensor of shape ${fmtShape(this.shape)} has ${this.size} elements, expected 1`);
    return this.dataSync()[0]!;
  }

  toString(): string {
    const body = !this.isDisposed && this.device === 'cpu' ? JSON.stringify(this.toArray()) : '…';
    return `Tensor(${body}, shape=${fmtShape(this.shape)}, dtype=${this.dtype}, device=${this.isDisposed ? 'disposed' : this.device})`;
  }

  to(device: string): Tensor {
    return ops.to(this, device);
  }
  astype(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }

  // Arithmetic
  add(b: TensorLike): Tensor { return ops.add(this, b); }
  sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  div(b: TensorLike): Tensor { return ops.div(this, b); }
  pow(b: TensorLike): Tensor { return ops.pow(this, b); }
  maximum(b: TensorLike): Tensor { return ops.maximum(this, b); }
  minimum(b: TensorLike): Tensor { return ops.minimum(this, b); }
  mod(b: TensorLike): Tensor { return ops.mod(this, b); }
  neg(): Tensor { return ops.neg(this); }
  // Comparisons
  equal(b: TensorLike): Tensor { return ops.equal(this, b); }
  notEqual(b: TensorLike): Tensor { return ops.notEqual(this, b); }
  less(b: TensorLike): Tensor { return ops.less(this, b); }
  lessEqual(b: TensorLike): Tensor { return ops.lessEqual(this, b); }
  greater(b: TensorLike): Tensor { return ops.greater(this, b); }
  greaterEqual(b: TensorLike): Tensor { return ops.greaterEqual(this, b); }
  // Unary
  abs(): Tensor { return ops.abs(this); }
  sign(): Tensor { return ops.sign(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  log1p(): Tensor { return ops.log1p(this); }
  expm1(): Tensor { return ops.expm1(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  rsqrt(): Tensor { return ops.rsqrt(this); }
  square(): Tensor { return ops.square(this); }
  reciprocal(): Tensor { return ops.reciprocal(this); }
  sin(): Tensor { return ops.sin(this); }
  cos(): Tensor { return ops.cos(this); }
  tan(): Tensor { return ops.tan(this); }
  asin(): Tensor { return ops.asin(this); }
  acos(): Tensor { return ops.acos(this); }
  atan(): Tensor { return ops.atan(this); }
  sinh(): Tensor { return ops.sinh(this); }
  cosh(): Tensor { return ops.cosh(this); }
  tanh(): Tensor { return ops.tanh(this); }
  asinh(): Tensor { return ops.asinh(this); }
  acosh(): Tensor { return ops.acosh(this); }
  atanh(): Tensor { return ops.atanh(this); }
  atan2(x: TensorLike): Tensor { return ops.atan2(this, x); }
  floor(): Tensor { return ops.floor(this); }
  ceil(): Tensor { return ops.ceil(this); }
  round(): Tensor { return ops.round(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  relu(): Tensor { return ops.relu(this); }
  gelu(): Tensor { return ops.gelu(this); }
  silu(): Tensor { return ops.silu(this); }
  softplus(): Tensor { return ops.softplus(this); }
  erf(): Tensor { return ops.erf(this); }
  erfinv(): Tensor { return ops.erfinv(this); }
  clamp(min?: number | null, max?: number | null): Tensor { return ops.clamp(this, min, max); }
  // Reductions
  sum(axis?: Axis, keepdims = false): Tensor { return ops.sum(this, axis, keepdims); }
  mean(axis?: Axis, keepdims = false): Tensor { return ops.mean(this, axis, keepdims); }
  max(axis?: Axis, keepdims = false): Tensor { return ops.max(this, axis, keepdims); }
  min(axis?: Axis, keepdims = false): Tensor { return ops.min(this, axis, keepdims); }
  prod(axis?: Axis, keepdims = false): Tensor { return ops.prod(this, axis, keepdims); }
  /** Variance with PyTorch's Bessel correction by default (`correction: 0` for NumPy's). */
  var(axis?: Axis, keepdims = false, correction = 1): Tensor { return ops.variance(this, axis, keepdims, correction); }
  std(axis?: Axis, keepdims = false, correction = 1): Tensor { return ops.std(this, axis, keepdims, correction); }
  logsumexp(axis?: Axis, keepdims = false): Tensor { return ops.logsumexp(this, axis, keepdims); }
  argmax(axis?: number, keepdims = false): Tensor { return ops.argmax(this, axis, keepdims); }
  argmin(axis?: number, keepdims = false): Tensor { return ops.argmin(this, axis, keepdims); }
  norm(ord?: NormOrd, axis?: Axis, keepdims = false): Tensor { return ops.norm(this, ord, axis, keepdims); }
  // Shape
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  flatten(): Tensor { return ops.reshape(this, [-1]); }
  transpose(axes?: readonly number[]): Tensor { return ops.transpose(this, axes); }
  permute(...axes: number[]): Tensor { return ops.permute(this, axes); }
  get T(): Tensor { return ops.transpose(this); }
  expandDims(axis: number): Tensor { return ops.expandDims(this, axis); }
  squeeze(axis?: Axis): Tensor { return ops.squeeze(this, axis); }
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  slice(...spec: SliceSpec[]): Tensor { return ops.slice(this, ...spec); }
  flip(axis?: Axis): Tensor { return ops.flip(this, axis); }
  gather(indices: Tensor | readonly number[], axis = 0): Tensor { return ops.gather(this, indices, axis); }
  take(indices: Tensor | readonly number[], axis = 0): Tensor { return ops.gather(this, indices, axis); }
  cumsum(axis: number, reverse = false): Tensor { return ops.cumsum(this, axis, reverse); }
  sort(axis = -1, descending = false): Tensor { return ops.sort(this, axis, descending); }
  argsort(axis = -1, descending = false): Tensor { return ops.argsort(this, axis, descending); }
  split(sections: number | readonly number[], axis = 0): Tensor[] { return ops.split(this, sections, axis); }
  pad(widths: readonly (readonly [number, number])[], value = 0): Tensor { return ops.pad(this, widths, value); }
  tile(reps: readonly number[]): Tensor { return ops.tile(this, reps); }
  // Linear algebra
  matmul(b: Tensor): Tensor { return ops.matmul(this, b); }
  softmax(axis = -1): Tensor { return ops.softmax(this, axis); }
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

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

setTensorPredicate(isTensor);
