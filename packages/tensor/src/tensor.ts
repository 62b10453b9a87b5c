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

/**
 * Nested JS arrays of numbers or booleans, as accepted by `tensor` and returned by `toArray`.
 *
 * Nesting depth is the rank; every sub-array at one depth must have the same length.
 *
 * @example
 * ```ts
 * import { tensor, type NestedArray } from '@difflab/tensor';
 * const data: NestedArray = [[1, 2], [3, 4]];
 * tensor(data).shape; // => [2, 2]
 * ```
 */
export type NestedArray = number | boolean | NestedArray[];
/**
 * Anything the ops accept where a tensor is expected; numbers and booleans act as 0-d tensors.
 *
 * A plain number adopts the dtype of the tensor operand (weak typing, as in JAX and PyTorch), so
 * `x.mul(2)` keeps a float32 `x` float32.
 *
 * @example
 * ```ts
 * import { tensor, add, type TensorLike } from '@difflab/tensor';
 * const shift: TensorLike = 0.5;
 * add(tensor([1, 2]), shift).toArray(); // => [1.5, 2.5]
 * ```
 */
export type TensorLike = Tensor | number | boolean;
/**
 * Axis argument of reductions: one axis, several, or `undefined` for all; negative values count from the end.
 *
 * @example
 * ```ts
 * import { ones, sum, type Axis } from '@difflab/tensor';
 * const axes: Axis = [0, -1];
 * sum(ones([2, 3, 4]), axes).toArray(); // => [8, 8, 8]
 * ```
 */
export type Axis = number | readonly number[] | undefined;

/**
 * An immutable n-dimensional array on a device, the value type of every difflab op.
 *
 * Storage is shared between views (reshape, transpose, slice, broadcast) and reference-counted:
 * `dispose()` frees device memory when the last view goes (or let {@link tidy} do it). Create
 * tensors with {@link tensor}, {@link zeros}, {@link arange}, …, never with `new`. Methods mirror
 * the free functions (`x.add(y)` is `add(x, y)`) and, like them, are differentiable under
 * {@link grad} and the other transforms. Reading values back (`toArray`, `item`, `dataSync`) is
 * synchronous on the CPU; other devices need the async `data()` / `toArrayAsync()`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * const x = tensor([[1, 2], [3, 4]]);
 * x.shape; // => [2, 2]
 * x.dtype; // => 'float32'
 * x.mul(2).sum(1).toArray(); // => [6, 14]
 * x.T.toArray(); // => [[1, 3], [2, 4]]
 * ```
 */
export class Tensor {
  /**
   * Size of each axis; `[]` for a scalar.
   *
   * @example
   * ```ts
   * import { zeros } from '@difflab/tensor';
   * zeros([2, 3]).shape; // => [2, 3]
   * ```
   */
  readonly shape: readonly number[];
  /**
   * Step in storage elements per axis (0 for broadcast axes, negative for flipped ones).
   *
   * @example
   * ```ts
   * import { zeros } from '@difflab/tensor';
   * const x = zeros([2, 3]);
   * x.strides; // => [3, 1]
   * x.T.strides; // => [1, 3]
   * ```
   */
  readonly strides: readonly number[];
  /**
   * Position of the first element in the storage (non-zero for slices that skip leading entries).
   *
   * @example
   * ```ts
   * import { arange } from '@difflab/tensor';
   * arange(6).slice('2:').offset; // => 2
   * ```
   */
  readonly offset: number;
  /**
   * Element type.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2], { dtype: 'int32' }).dtype; // => 'int32'
   * ```
   */
  readonly dtype: DType;
  private _storage: Storage | null;
  /**
   * Autodiff record; non-null only while some transform traces this value.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1]).node; // => null
   * ```
   */
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

  /**
   * The shared device buffer behind this view; backends and custom kernels read it.
   *
   * @throws {DisposedError} after `dispose()`.
   *
   * @example
   * ```ts
   * import { arange } from '@difflab/tensor';
   * const x = arange(6);
   * x.reshape([2, 3]).storage === x.storage; // => true
   * ```
   */
  get storage(): Storage {
    if (this._storage === null) throw new DisposedError(`tensor of shape ${fmtShape(this.shape)} was used after dispose()`);
    return this._storage;
  }

  /**
   * The kernel-level view of this tensor (shape, strides, offset and storage), as backends receive it.
   *
   * @example
   * ```ts
   * import { tensor, cpuBackend } from '@difflab/tensor';
   * const x = tensor([[1, 2], [3, 4]]).T;
   * Array.from(cpuBackend.readSync(x.view)); // => [1, 3, 2, 4]
   * ```
   */
  get view(): View {
    return this;
  }

  /**
   * Name of the device holding the data, e.g. `'cpu'` or `'webgpu'`.
   *
   * @example
   * ```ts
   * import { ones } from '@difflab/tensor';
   * ones([2]).device; // => 'cpu'
   * ```
   */
  get device(): string {
    return this.storage.backend.name;
  }
  /**
   * Number of elements (1 for a scalar).
   *
   * @example
   * ```ts
   * import { ones } from '@difflab/tensor';
   * ones([2, 3]).size; // => 6
   * ```
   */
  get size(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }
  /**
   * Number of axes (0 for a scalar).
   *
   * @example
   * ```ts
   * import { ones } from '@difflab/tensor';
   * ones([2, 3]).ndim; // => 2
   * ```
   */
  get ndim(): number {
    return this.shape.length;
  }
  /**
   * True once `dispose()` has been called on this view.
   *
   * @example
   * ```ts
   * import { ones } from '@difflab/tensor';
   * const x = ones([2]);
   * x.dispose();
   * x.isDisposed; // => true
   * ```
   */
  get isDisposed(): boolean {
    return this._storage === null;
  }

  /**
   * Releases this view; device memory goes when no other view shares it. Idempotent.
   *
   * Using the tensor afterwards throws `DisposedError`. {@link tidy} disposes intermediates for you.
   *
   * @example
   * ```ts
   * import { ones } from '@difflab/tensor';
   * const x = ones([1000]);
   * const y = x.reshape([10, 100]); // shares x's storage
   * x.dispose(); // storage stays alive for y
   * y.sum().item(); // => 1000
   * y.dispose(); // now the buffer is freed
   * ```
   */
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

  /**
   * A scijs `ndarray` view over the CPU storage (no copy). CPU only.
   *
   * Lets difflab tensors feed the scijs ecosystem (ndarray-ops, …) without copying; writes through it
   * would change the tensor, which breaks immutability, so treat it as read-only.
   *
   * @throws {DeviceError} when the tensor is not on the CPU.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * const a = tensor([[1, 2], [3, 4]]).T.ndarray;
   * a.get(0, 1); // => 3
   * ```
   */
  get ndarray(): NdArray<TypedArray> {
    if (this.device !== 'cpu') throw new DeviceError(`ndarray: tensor is on '${this.device}'; call .to('cpu') first`);
    return ndarray(this.storage.data as TypedArray, this.shape.slice(), this.strides.slice(), this.offset) as NdArray<TypedArray>;
  }

  /**
   * Contiguous copy of the values (any device).
   *
   * @returns A promise of a TypedArray of the tensor's dtype, in row-major order.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * const v = await tensor([[1, 2], [3, 4]]).T.data();
   * Array.from(v); // => [1, 3, 2, 4]
   * ```
   */
  async data(): Promise<TypedArray> {
    return this.storage.backend.read(this);
  }

  /**
   * Contiguous copy of the values; only for host-memory devices.
   *
   * @returns A TypedArray of the tensor's dtype (Uint8Array for bool), in row-major order.
   * @throws {DeviceError} on devices that cannot be read synchronously (WebGPU: use `await data()`).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * const v = tensor([1.5, 2]).dataSync();
   * v instanceof Float32Array; // => true
   * ```
   */
  dataSync(): TypedArray {
    const b = this.storage.backend;
    if (!b.readSync) throw new DeviceError(`dataSync: device '${b.name}' cannot be read synchronously; use await t.data()`);
    return b.readSync(this);
  }

  /**
   * Nested JS arrays (numbers; booleans for bool tensors). CPU only; see `toArrayAsync`.
   *
   * @returns A number/boolean for a scalar, else arrays nested `ndim` deep.
   * @throws {DeviceError} on devices that cannot be read synchronously.
   *
   * @example
   * ```ts
   * import { tensor, arange } from '@difflab/tensor';
   * arange(6).reshape([2, 3]).toArray(); // => [[0, 1, 2], [3, 4, 5]]
   * tensor([1, 2]).greater(1).toArray(); // => [false, true]
   * ```
   */
  toArray(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype === 'bool');
  }

  /**
   * Nested JS arrays, on any device.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * await tensor([[1, 2]]).toArrayAsync(); // => [[1, 2]]
   * ```
   */
  async toArrayAsync(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype === 'bool');
  }

  /**
   * The single value of a size-1 tensor (like `torch.Tensor.item`).
   *
   * @throws {ValueError} when the tensor has more than one element.
   * @throws {DeviceError} on devices that cannot be read synchronously (use `await data()`).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2, 3]).sum().item(); // => 6
   * tensor([1, 2]).item(); // throws ValueError
   * ```
   */
  item(): number {
    if (this.size !== 1) throw new ValueError(`item: tensor of shape ${fmtShape(this.shape)} has ${this.size} elements, expected 1`);
    return this.dataSync()[0]!;
  }

  /**
   * A short description with the values (CPU) and shape, dtype and device.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * String(tensor([1, 2])); // => 'Tensor([1,2], shape=[2], dtype=float32, device=cpu)'
   * ```
   */
  toString(): string {
    const body = !this.isDisposed && this.device === 'cpu' ? JSON.stringify(this.toArray()) : '…';
    return `Tensor(${body}, shape=${fmtShape(this.shape)}, dtype=${this.dtype}, device=${this.isDisposed ? 'disposed' : this.device})`;
  }

  /**
   * Copy on another device (`this` when already there); differentiable.
   *
   * @param device - Registered device name, e.g. `'cpu'` or `'webgpu'`.
   * @throws {DeviceError} for an unknown device, or from a device that cannot be read synchronously
   *   (use {@link toAsync}).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).to('cpu').device; // => 'cpu'
   * ```
   */
  to(device: string): Tensor {
    return ops.to(this, device);
  }
  /**
   * Converts to `dtype` (float → int truncates toward zero); gradients flow between float dtypes.
   *
   * @param dtype - Target element type.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1.7, -1.7]).astype('int32').toArray(); // => [1, -1]
   * tensor([1, 0]).astype('bool').toArray(); // => [true, false]
   * ```
   */
  astype(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }

  // Arithmetic
  /**
   * Elementwise `this + b`, broadcasting (see {@link add}).
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1], [2]]).add(tensor([10, 20])).toArray(); // => [[11, 21], [12, 22]]
   * ```
   */
  add(b: TensorLike): Tensor { return ops.add(this, b); }
  /**
   * Elementwise `this - b`, broadcasting.
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([3, 4]).sub(1).toArray(); // => [2, 3]
   * ```
   */
  sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  /**
   * Elementwise `this * b`, broadcasting.
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).mul(tensor([3, 4])).toArray(); // => [3, 8]
   * ```
   */
  mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  /**
   * Elementwise true division `this / b` (integers give float32).
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 3], { dtype: 'int32' }).div(2).toArray(); // => [0.5, 1.5]
   * ```
   */
  div(b: TensorLike): Tensor { return ops.div(this, b); }
  /**
   * Elementwise power `this ** b`.
   *
   * @param b - Exponent, tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([2, 3]).pow(2).toArray(); // => [4, 9]
   * ```
   */
  pow(b: TensorLike): Tensor { return ops.pow(this, b); }
  /**
   * Elementwise maximum with `b` (ties split the gradient).
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([-1, 2]).maximum(0).toArray(); // => [0, 2]
   * ```
   */
  maximum(b: TensorLike): Tensor { return ops.maximum(this, b); }
  /**
   * Elementwise minimum with `b` (ties split the gradient).
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([-1, 2]).minimum(0).toArray(); // => [-1, 0]
   * ```
   */
  minimum(b: TensorLike): Tensor { return ops.minimum(this, b); }
  /**
   * Python-style remainder (sign of the divisor).
   *
   * @param b - Divisor, tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([5, -5]).mod(3).toArray(); // => [2, 1]
   * ```
   */
  mod(b: TensorLike): Tensor { return ops.mod(this, b); }
  /**
   * Elementwise negation.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, -2]).neg().toArray(); // => [-1, 2]
   * ```
   */
  neg(): Tensor { return ops.neg(this); }
  // Comparisons
  /**
   * Elementwise `this == b` as a bool tensor.
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).equal(2).toArray(); // => [false, true]
   * ```
   */
  equal(b: TensorLike): Tensor { return ops.equal(this, b); }
  /**
   * Elementwise `this != b` as a bool tensor.
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).notEqual(2).toArray(); // => [true, false]
   * ```
   */
  notEqual(b: TensorLike): Tensor { return ops.notEqual(this, b); }
  /**
   * Elementwise `this < b` as a bool tensor.
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).less(2).toArray(); // => [true, false]
   * ```
   */
  less(b: TensorLike): Tensor { return ops.less(this, b); }
  /**
   * Elementwise `this <= b` as a bool tensor.
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).lessEqual(2).toArray(); // => [true, true]
   * ```
   */
  lessEqual(b: TensorLike): Tensor { return ops.lessEqual(this, b); }
  /**
   * Elementwise `this > b` as a bool tensor.
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).greater(2).toArray(); // => [false, false]
   * ```
   */
  greater(b: TensorLike): Tensor { return ops.greater(this, b); }
  /**
   * Elementwise `this >= b` as a bool tensor.
   *
   * @param b - Tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).greaterEqual(2).toArray(); // => [false, true]
   * ```
   */
  greaterEqual(b: TensorLike): Tensor { return ops.greaterEqual(this, b); }
  // Unary
  /**
   * Elementwise absolute value (gradient 0 at 0).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([-2, 3]).abs().toArray(); // => [2, 3]
   * ```
   */
  abs(): Tensor { return ops.abs(this); }
  /**
   * Elementwise sign: -1, 0 or 1.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([-2, 0, 3]).sign().toArray(); // => [-1, 0, 1]
   * ```
   */
  sign(): Tensor { return ops.sign(this); }
  /**
   * Elementwise e^x.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 1]).exp().toArray(); // => [1, 2.71828]
   * ```
   */
  exp(): Tensor { return ops.exp(this); }
  /**
   * Elementwise natural logarithm.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, Math.E]).log().toArray(); // => [0, 1]
   * ```
   */
  log(): Tensor { return ops.log(this); }
  /**
   * Elementwise log(1 + x), accurate for small x.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1e-10], { dtype: 'float64' }).log1p().item() / 1e-10; // => 1
   * ```
   */
  log1p(): Tensor { return ops.log1p(this); }
  /**
   * Elementwise e^x - 1, accurate for small x.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1e-10], { dtype: 'float64' }).expm1().item() / 1e-10; // => 1
   * ```
   */
  expm1(): Tensor { return ops.expm1(this); }
  /**
   * Elementwise square root.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([4, 9]).sqrt().toArray(); // => [2, 3]
   * ```
   */
  sqrt(): Tensor { return ops.sqrt(this); }
  /**
   * Elementwise 1 / sqrt(x).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([4, 16]).rsqrt().toArray(); // => [0.5, 0.25]
   * ```
   */
  rsqrt(): Tensor { return ops.rsqrt(this); }
  /**
   * Elementwise x².
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([-2, 3]).square().toArray(); // => [4, 9]
   * ```
   */
  square(): Tensor { return ops.square(this); }
  /**
   * Elementwise 1 / x.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([2, 4]).reciprocal().toArray(); // => [0.5, 0.25]
   * ```
   */
  reciprocal(): Tensor { return ops.reciprocal(this); }
  /**
   * Elementwise sine (radians).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, Math.PI / 2]).sin().toArray(); // => [0, 1]
   * ```
   */
  sin(): Tensor { return ops.sin(this); }
  /**
   * Elementwise cosine (radians).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, Math.PI]).cos().toArray(); // => [1, -1]
   * ```
   */
  cos(): Tensor { return ops.cos(this); }
  /**
   * Elementwise tangent (radians).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, Math.PI / 4]).tan().toArray(); // => [0, 1]
   * ```
   */
  tan(): Tensor { return ops.tan(this); }
  /**
   * Elementwise arcsine.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 1]).asin().toArray(); // => [0, 1.570796]
   * ```
   */
  asin(): Tensor { return ops.asin(this); }
  /**
   * Elementwise arccosine.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 0]).acos().toArray(); // => [0, 1.570796]
   * ```
   */
  acos(): Tensor { return ops.acos(this); }
  /**
   * Elementwise arctangent.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 1]).atan().toArray(); // => [0, 0.785398]
   * ```
   */
  atan(): Tensor { return ops.atan(this); }
  /**
   * Elementwise hyperbolic sine.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 1]).sinh().toArray(); // => [0, 1.175201]
   * ```
   */
  sinh(): Tensor { return ops.sinh(this); }
  /**
   * Elementwise hyperbolic cosine.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 1]).cosh().toArray(); // => [1, 1.543081]
   * ```
   */
  cosh(): Tensor { return ops.cosh(this); }
  /**
   * Elementwise hyperbolic tangent.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 1]).tanh().toArray(); // => [0, 0.761594]
   * ```
   */
  tanh(): Tensor { return ops.tanh(this); }
  /**
   * Elementwise inverse hyperbolic sine.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 1]).asinh().toArray(); // => [0, 0.881374]
   * ```
   */
  asinh(): Tensor { return ops.asinh(this); }
  /**
   * Elementwise inverse hyperbolic cosine (NaN below 1).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).acosh().toArray(); // => [0, 1.316958]
   * ```
   */
  acosh(): Tensor { return ops.acosh(this); }
  /**
   * Elementwise inverse hyperbolic tangent.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 0.5]).atanh().toArray(); // => [0, 0.549306]
   * ```
   */
  atanh(): Tensor { return ops.atanh(this); }
  /**
   * Elementwise angle of the point (x, this), i.e. `atan2(this, x)`, in (-π, π].
   *
   * @param x - The x coordinate, tensor or number.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 1]).atan2(tensor([1, -1])).toArray(); // => [0.785398, 2.356194]
   * ```
   */
  atan2(x: TensorLike): Tensor { return ops.atan2(this, x); }
  /**
   * Elementwise floor (zero gradient).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1.5, -1.5]).floor().toArray(); // => [1, -2]
   * ```
   */
  floor(): Tensor { return ops.floor(this); }
  /**
   * Elementwise ceiling (zero gradient).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1.5, -1.5]).ceil().toArray(); // => [2, -1]
   * ```
   */
  ceil(): Tensor { return ops.ceil(this); }
  /**
   * Elementwise rounding to the nearest integer (zero gradient).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1.2, 2.7]).round().toArray(); // => [1, 3]
   * ```
   */
  round(): Tensor { return ops.round(this); }
  /**
   * Elementwise logistic sigmoid 1 / (1 + e^-x).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0]).sigmoid().toArray(); // => [0.5]
   * ```
   */
  sigmoid(): Tensor { return ops.sigmoid(this); }
  /**
   * Elementwise max(x, 0) (gradient 0 at 0).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([-1, 2]).relu().toArray(); // => [0, 2]
   * ```
   */
  relu(): Tensor { return ops.relu(this); }
  /**
   * GELU, exact (erf) form, as `torch.nn.functional.gelu`; see {@link gelu} for the tanh form.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 1]).gelu().toArray(); // => [0, 0.841345]
   * ```
   */
  gelu(): Tensor { return ops.gelu(this); }
  /**
   * SiLU / swish: x · sigmoid(x).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 1]).silu().toArray(); // => [0, 0.731059]
   * ```
   */
  silu(): Tensor { return ops.silu(this); }
  /**
   * Elementwise log(1 + e^x), computed without overflow.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0]).softplus().toArray(); // => [0.693147]
   * ```
   */
  softplus(): Tensor { return ops.softplus(this); }
  /**
   * Elementwise error function.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 1]).erf().toArray(); // => [0, 0.842701]
   * ```
   */
  erf(): Tensor { return ops.erf(this); }
  /**
   * Elementwise inverse error function (±Infinity at ±1, NaN outside [-1, 1]).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, 0.5]).erfinv().toArray(); // => [0, 0.476936]
   * ```
   */
  erfinv(): Tensor { return ops.erfinv(this); }
  /**
   * Clamps into [min, max]; either bound may be null/omitted (`torch.clamp`).
   *
   * Gradient is 1 inside the range (bounds included) and 0 outside, as PyTorch.
   *
   * @param min - Lower bound, or null/undefined for none.
   * @param max - Upper bound, or null/undefined for none.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([-2, 0.5, 3]).clamp(0, 1).toArray(); // => [0, 0.5, 1]
   * tensor([-2, 3]).clamp(null, 1).toArray(); // => [-2, 1]
   * ```
   */
  clamp(min?: number | null, max?: number | null): Tensor { return ops.clamp(this, min, max); }
  // Reductions
  /**
   * Sum over `axis` (all axes by default); bool sums to int32.
   *
   * @param axis - Axis or axes to reduce; all when omitted.
   * @param keepdims - Keep reduced axes with size 1.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * const x = tensor([[1, 2], [3, 4]]);
   * x.sum().item(); // => 10
   * x.sum(0).toArray(); // => [4, 6]
   * x.sum(1, true).toArray(); // => [[3], [7]]
   * ```
   */
  sum(axis?: Axis, keepdims = false): Tensor { return ops.sum(this, axis, keepdims); }
  /**
   * Mean over `axis` (all axes by default); integers average in float32.
   *
   * @param axis - Axis or axes to reduce; all when omitted.
   * @param keepdims - Keep reduced axes with size 1.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1, 2], [3, 4]]).mean(1).toArray(); // => [1.5, 3.5]
   * ```
   */
  mean(axis?: Axis, keepdims = false): Tensor { return ops.mean(this, axis, keepdims); }
  /**
   * Maximum over `axis` (ties share the gradient).
   *
   * @param axis - Axis or axes to reduce; all when omitted.
   * @param keepdims - Keep reduced axes with size 1.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1, 5], [3, 4]]).max(0).toArray(); // => [3, 5]
   * ```
   */
  max(axis?: Axis, keepdims = false): Tensor { return ops.max(this, axis, keepdims); }
  /**
   * Minimum over `axis` (ties share the gradient).
   *
   * @param axis - Axis or axes to reduce; all when omitted.
   * @param keepdims - Keep reduced axes with size 1.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1, 5], [3, 4]]).min(1).toArray(); // => [1, 3]
   * ```
   */
  min(axis?: Axis, keepdims = false): Tensor { return ops.min(this, axis, keepdims); }
  /**
   * Product over `axis` (all axes by default).
   *
   * @param axis - Axis or axes to reduce; all when omitted.
   * @param keepdims - Keep reduced axes with size 1.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1, 2], [3, 4]]).prod(1).toArray(); // => [2, 12]
   * ```
   */
  prod(axis?: Axis, keepdims = false): Tensor { return ops.prod(this, axis, keepdims); }
  /**
   * Variance with PyTorch's Bessel correction by default (`correction` 0 for NumPy's).
   *
   * @param axis - Axis or axes to reduce; all when omitted.
   * @param keepdims - Keep reduced axes with size 1.
   * @param correction - Subtracted from the count in the denominator (default 1).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * const x = tensor([1, 2, 3, 4]);
   * x.var().item(); // => 1.666667
   * x.var(undefined, false, 0).item(); // => 1.25
   * ```
   */
  var(axis?: Axis, keepdims = false, correction = 1): Tensor { return ops.variance(this, axis, keepdims, correction); }
  /**
   * Standard deviation, Bessel-corrected by default (`correction` 0 for NumPy's).
   *
   * @param axis - Axis or axes to reduce; all when omitted.
   * @param keepdims - Keep reduced axes with size 1.
   * @param correction - Subtracted from the count in the denominator (default 1).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 3]).std().item(); // => 1.414214
   * ```
   */
  std(axis?: Axis, keepdims = false, correction = 1): Tensor { return ops.std(this, axis, keepdims, correction); }
  /**
   * Stable log(sum(exp(x))) over `axis`.
   *
   * @param axis - Axis or axes to reduce; all when omitted.
   * @param keepdims - Keep reduced axes with size 1.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1000, 1000]).logsumexp().item(); // => 1000.693147
   * ```
   */
  logsumexp(axis?: Axis, keepdims = false): Tensor { return ops.logsumexp(this, axis, keepdims); }
  /**
   * int32 index of the maximum along `axis` (of the flattened tensor when omitted).
   *
   * @param axis - Axis to search; the flattened tensor when omitted.
   * @param keepdims - Keep the reduced axis with size 1.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * const x = tensor([[1, 5], [7, 4]]);
   * x.argmax().item(); // => 2
   * x.argmax(1).toArray(); // => [1, 0]
   * ```
   */
  argmax(axis?: number, keepdims = false): Tensor { return ops.argmax(this, axis, keepdims); }
  /**
   * int32 index of the minimum along `axis` (of the flattened tensor when omitted).
   *
   * @param axis - Axis to search; the flattened tensor when omitted.
   * @param keepdims - Keep the reduced axis with size 1.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1, 5], [7, 4]]).argmin(0).toArray(); // => [0, 1]
   * ```
   */
  argmin(axis?: number, keepdims = false): Tensor { return ops.argmin(this, axis, keepdims); }
  /**
   * Vector norm over `axis` (2-norm of all entries by default); see {@link norm}.
   *
   * @param ord - Order: a number, `'fro'`, `'inf'` or `'-inf'` (default 2).
   * @param axis - Axis or axes to reduce; all when omitted.
   * @param keepdims - Keep reduced axes with size 1.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([3, 4]).norm().item(); // => 5
   * tensor([3, -4]).norm(1).item(); // => 7
   * ```
   */
  norm(ord?: NormOrd, axis?: Axis, keepdims = false): Tensor { return ops.norm(this, ord, axis, keepdims); }
  // Shape
  /**
   * Same data in a new shape (one entry may be -1); a view when the layout allows.
   *
   * @param shape - Target shape with the same number of elements.
   * @throws {ShapeError} when the sizes do not match.
   *
   * @example
   * ```ts
   * import { arange } from '@difflab/tensor';
   * arange(6).reshape([-1, 2]).toArray(); // => [[0, 1], [2, 3], [4, 5]]
   * ```
   */
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  /**
   * Reshape to 1-D.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1, 2], [3, 4]]).flatten().toArray(); // => [1, 2, 3, 4]
   * ```
   */
  flatten(): Tensor { return ops.reshape(this, [-1]); }
  /**
   * Permutes axes (reverses them by default); a view.
   *
   * @param axes - New order of the axes; reversed when omitted.
   *
   * @example
   * ```ts
   * import { zeros } from '@difflab/tensor';
   * zeros([2, 3, 4]).transpose([1, 0, 2]).shape; // => [3, 2, 4]
   * ```
   */
  transpose(axes?: readonly number[]): Tensor { return ops.transpose(this, axes); }
  /**
   * Permutes axes, PyTorch-style varargs: `x.permute(2, 0, 1)`; a view.
   *
   * @param axes - New order of the axes.
   *
   * @example
   * ```ts
   * import { zeros } from '@difflab/tensor';
   * zeros([2, 3, 4]).permute(2, 0, 1).shape; // => [4, 2, 3]
   * ```
   */
  permute(...axes: number[]): Tensor { return ops.permute(this, axes); }
  /**
   * Transpose with all axes reversed (the matrix transpose for 2-D); a view.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1, 2, 3]]).T.toArray(); // => [[1], [2], [3]]
   * ```
   */
  get T(): Tensor { return ops.transpose(this); }
  /**
   * Inserts a size-1 axis at `axis` (`torch.unsqueeze`).
   *
   * @param axis - Position of the new axis in the result; negative counts from the end.
   *
   * @example
   * ```ts
   * import { zeros } from '@difflab/tensor';
   * zeros([2, 3]).expandDims(1).shape; // => [2, 1, 3]
   * ```
   */
  expandDims(axis: number): Tensor { return ops.expandDims(this, axis); }
  /**
   * Removes size-1 axes (all of them, or those in `axis`).
   *
   * @param axis - Axes to remove (each must have size 1); all size-1 axes when omitted.
   *
   * @example
   * ```ts
   * import { zeros } from '@difflab/tensor';
   * zeros([1, 2, 1]).squeeze().shape; // => [2]
   * ```
   */
  squeeze(axis?: Axis): Tensor { return ops.squeeze(this, axis); }
  /**
   * Broadcasts to `shape` as a stride-0 view.
   *
   * @param shape - Target shape, NumPy broadcasting rules.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).broadcastTo([2, 2]).toArray(); // => [[1, 2], [1, 2]]
   * ```
   */
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  /**
   * Python-style indexing, e.g. `x.slice(0, '1:3')` is `x[0, 1:3]`; a view. See {@link SliceSpec}.
   *
   * @param spec - One entry per leading axis: index, slice string, `null` or `'...'`.
   *
   * @example
   * ```ts
   * import { arange } from '@difflab/tensor';
   * const x = arange(12).reshape([3, 4]);
   * x.slice(0, '1:3').toArray(); // => [1, 2]
   * x.slice('...', -1).toArray(); // => [3, 7, 11]
   * x.slice('::2', '::-2').toArray(); // => [[3, 1], [11, 9]]
   * ```
   */
  slice(...spec: SliceSpec[]): Tensor { return ops.slice(this, ...spec); }
  /**
   * Reverses the order along `axis` (all axes by default); a view.
   *
   * @param axis - Axis or axes to reverse; all when omitted.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1, 2], [3, 4]]).flip(1).toArray(); // => [[2, 1], [4, 3]]
   * ```
   */
  flip(axis?: Axis): Tensor { return ops.flip(this, axis); }
  /**
   * Selects entries along `axis` by integer indices (NumPy's `take`); see {@link gather}.
   *
   * @param indices - int32 tensor or array of indices (negative count from the end).
   * @param axis - Axis to index (default 0).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1, 2], [3, 4], [5, 6]]).gather([2, 0]).toArray(); // => [[5, 6], [1, 2]]
   * ```
   */
  gather(indices: Tensor | readonly number[], axis = 0): Tensor { return ops.gather(this, indices, axis); }
  /**
   * Alias of `gather`.
   *
   * @param indices - int32 tensor or array of indices.
   * @param axis - Axis to index (default 0).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([10, 20, 30]).take([-1, 0]).toArray(); // => [30, 10]
   * ```
   */
  take(indices: Tensor | readonly number[], axis = 0): Tensor { return ops.gather(this, indices, axis); }
  /**
   * Inclusive cumulative sum along `axis` (from the end when `reverse`).
   *
   * @param axis - Axis to accumulate along.
   * @param reverse - Accumulate from the end.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2, 3]).cumsum(0).toArray(); // => [1, 3, 6]
   * tensor([1, 2, 3]).cumsum(0, true).toArray(); // => [6, 5, 3]
   * ```
   */
  cumsum(axis: number, reverse = false): Tensor { return ops.cumsum(this, axis, reverse); }
  /**
   * Stable sort along `axis` (values; differentiable).
   *
   * @param axis - Axis to sort (default the last).
   * @param descending - Largest first.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([3, 1, 2]).sort().toArray(); // => [1, 2, 3]
   * ```
   */
  sort(axis = -1, descending = false): Tensor { return ops.sort(this, axis, descending); }
  /**
   * int32 indices that sort along `axis`.
   *
   * @param axis - Axis to sort (default the last).
   * @param descending - Largest first.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([3, 1, 2]).argsort(-1, true).toArray(); // => [0, 2, 1]
   * ```
   */
  argsort(axis = -1, descending = false): Tensor { return ops.argsort(this, axis, descending); }
  /**
   * Splits along `axis` into `sections` equal parts or parts of the given sizes.
   *
   * @param sections - Number of equal parts, or the size of each part.
   * @param axis - Axis to split (default 0).
   *
   * @example
   * ```ts
   * import { arange } from '@difflab/tensor';
   * arange(5).split([2, 3]).map((t) => t.toArray()); // => [[0, 1], [2, 3, 4]]
   * ```
   */
  split(sections: number | readonly number[], axis = 0): Tensor[] { return ops.split(this, sections, axis); }
  /**
   * Constant padding, `[[before, after], ...]` per leading axis.
   *
   * @param widths - Pad widths per axis; missing trailing axes are not padded.
   * @param value - Fill value (default 0).
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).pad([[1, 2]]).toArray(); // => [0, 1, 2, 0, 0]
   * ```
   */
  pad(widths: readonly (readonly [number, number])[], value = 0): Tensor { return ops.pad(this, widths, value); }
  /**
   * Repeats the tensor `reps` times along each axis (NumPy's `tile`).
   *
   * @param reps - Repetitions per axis, aligned from the right.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([1, 2]).tile([2, 2]).toArray(); // => [[1, 2, 1, 2], [1, 2, 1, 2]]
   * ```
   */
  tile(reps: readonly number[]): Tensor { return ops.tile(this, reps); }
  // Linear algebra
  /**
   * Matrix product with NumPy semantics (batched, broadcasting); see {@link matmul}.
   *
   * @param b - Right operand.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([[1, 2], [3, 4]]).matmul(tensor([1, 1])).toArray(); // => [3, 7]
   * ```
   */
  matmul(b: Tensor): Tensor { return ops.matmul(this, b); }
  /**
   * Softmax along `axis` (default the last).
   *
   * @param axis - Axis to normalise over.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, Math.log(3)]).softmax().toArray(); // => [0.25, 0.75]
   * ```
   */
  softmax(axis = -1): Tensor { return ops.softmax(this, axis); }
  /**
   * log(softmax(x)) along `axis`, computed stably.
   *
   * @param axis - Axis to normalise over.
   *
   * @example
   * ```ts
   * import { tensor } from '@difflab/tensor';
   * tensor([0, Math.log(3)]).logSoftmax().toArray(); // => [-1.386294, -0.287682]
   * ```
   */
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

/**
 * Type guard: true for difflab tensors.
 *
 * Useful when walking pytrees or accepting `TensorLike` arguments.
 *
 * @param x - Any value.
 * @returns Whether `x` is a {@link Tensor}.
 *
 * @example
 * ```ts
 * import { isTensor, tensor } from '@difflab/tensor';
 * isTensor(tensor([1])); // => true
 * isTensor([1]); // => false
 * ```
 */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

setTensorPredicate(isTensor);
