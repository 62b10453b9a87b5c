import { getBackend, getDefaultDevice } from '../backend/registry.js';
import { assertDType, dtypeOfTypedArray, typedArrayFor, type DType, type TypedArray } from '../dtype.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { assertValidShape, sizeOf } from '../shape.js';
import { Tensor, type NestedArray } from '../tensor.js';
import { fromStorage } from './core.js';

/**
 * Options of the creation functions (`tensor`, `zeros`, `arange`, …).
 *
 * @example
 * ```ts
 * import { zeros, type CreateOptions } from '@difflab/tensor';
 * const opts: CreateOptions = { dtype: 'float64', device: 'cpu' };
 * zeros([2], opts).dtype; // => 'float64'
 * ```
 */
export interface CreateOptions {
  /** Element type (default float32; bool for boolean data; a TypedArray's own dtype). */
  dtype?: DType;
  /** Device to create on (default: `getDefaultDevice()`). */
  device?: string;
}

function inferShape(data: NestedArray, shape: number[] = []): number[] {
  if (Array.isArray(data)) {
    shape.push(data.length);
    if (data.length > 0) inferShape(data[0]!, shape);
  }
  return shape;
}

function flattenNested(data: NestedArray, shape: readonly number[], out: number[], dim = 0): void {
  if (dim === shape.length) {
    if (Array.isArray(data)) throw new ShapeError(`tensor: ragged nested array (expected shape ${fmtShape(shape)})`);
    if (typeof data !== 'number' && typeof data !== 'boolean') throw new ValueError(`tensor: entries must be numbers or booleans, got ${typeof data}`);
    out.push(Number(data));
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[dim])
    throw new ShapeError(`tensor: ragged nested array (expected ${shape[dim]} entries at depth ${dim} of shape ${fmtShape(shape)})`);
  for (const d of data) flattenNested(d, shape, out, dim + 1);
}

/**
 * Creates a tensor from nested arrays, a number, a TypedArray or another tensor (`torch.tensor`).
 *
 * dtype defaults to the TypedArray's, else float32 (bool when the entries are booleans); int32
 * truncates toward zero. A TypedArray gives a 1-D tensor (use {@link fromTypedArray} for another
 * shape); a tensor argument is converted to `opts.dtype` / moved to `opts.device` (a no-op otherwise).
 *
 * @param data - Nested arrays (rank = depth), a number (0-d), a TypedArray (copied) or a Tensor.
 * @param opts - dtype and device; see {@link CreateOptions}.
 * @returns A new tensor (or `data` itself when it is a tensor needing no change).
 * @throws {ShapeError} for ragged nested arrays.
 * @throws {DTypeError} for an unknown dtype.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * tensor([[1, 2], [3, 4]]).shape; // => [2, 2]
 * tensor(3).shape; // => []
 * tensor([true, false]).dtype; // => 'bool'
 * tensor(new Int32Array([1, 2])).dtype; // => 'int32'
 * tensor([1.9, -1.9], { dtype: 'int32' }).toArray(); // => [1, -1]
 * tensor([[1, 2], [3]]); // throws ShapeError
 * ```
 */
export function tensor(data: NestedArray | TypedArray | Tensor, opts: CreateOptions = {}): Tensor {
  if (data instanceof Tensor) return data.astype(opts.dtype ?? data.dtype).to(opts.device ?? data.device);
  if (ArrayBuffer.isView(data)) return fromTypedArray(data as TypedArray, [(data as TypedArray).length], opts);
  const shape = inferShape(data as NestedArray);
  const flat: number[] = [];
  flattenNested(data as NestedArray, shape, flat);
  const isBool = flat.length > 0 && firstLeaf(data as NestedArray) === 'boolean';
  const dtype = opts.dtype ? assertDType('tensor', opts.dtype) : isBool ? 'bool' : 'float32';
  const arr = typedArrayFor(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) arr[i] = dtype === 'int32' ? Math.trunc(flat[i]!) : dtype === 'bool' ? (flat[i] ? 1 : 0) : flat[i]!;
  return fromStorage(getBackend(opts.device ?? getDefaultDevice(), 'tensor').fromHost(arr, dtype), shape, dtype);
}

function firstLeaf(d: NestedArray): string {
  return Array.isArray(d) ? (d.length ? firstLeaf(d[0]!) : 'number') : typeof d;
}

/**
 * Wraps (copies) a TypedArray with the given shape.
 *
 * The dtype follows the array type (Float32Array → float32, Float64Array → float64, Int32Array →
 * int32, Uint8Array → bool) unless `opts.dtype` converts it.
 *
 * @param data - Values in row-major order.
 * @param shape - Target shape; its size must equal `data.length`.
 * @param opts - dtype and device; see {@link CreateOptions}.
 * @returns A new tensor of `shape`.
 * @throws {ShapeError} when `data.length` does not fill `shape`.
 * @throws {ValueError} for an invalid shape.
 *
 * @example
 * ```ts
 * import { fromTypedArray } from '@difflab/tensor';
 * const x = fromTypedArray(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * x.dtype; // => 'float64'
 * x.toArray(); // => [[1, 2, 3], [4, 5, 6]]
 * fromTypedArray(new Float32Array(5), [2, 3]); // throws ShapeError
 * ```
 */
export function fromTypedArray(data: TypedArray, shape: readonly number[], opts: CreateOptions = {}): Tensor {
  const s = assertValidShape('fromTypedArray', [...shape]);
  if (sizeOf(s) !== data.length) throw new ShapeError(`fromTypedArray: ${data.length} values do not fill shape ${fmtShape(s)}`);
  const dtype = opts.dtype ? assertDType('fromTypedArray', opts.dtype) : dtypeOfTypedArray(data) ?? 'float32';
  let arr: TypedArray = data;
  if (dtypeOfTypedArray(data) !== dtype) {
    arr = typedArrayFor(dtype, data.length);
    for (let i = 0; i < data.length; i++) arr[i] = dtype === 'int32' ? Math.trunc(data[i]!) : dtype === 'bool' ? (data[i] ? 1 : 0) : data[i]!;
  }
  return fromStorage(getBackend(opts.device ?? getDefaultDevice(), 'fromTypedArray').fromHost(arr, dtype), s, dtype);
}

function fill(op: string, shape: readonly number[], value: number, opts: CreateOptions): Tensor {
  const s = assertValidShape(op, shape);
  const dtype = opts.dtype ? assertDType(op, opts.dtype) : 'float32';
  return fromStorage(getBackend(opts.device ?? getDefaultDevice(), op).fill(s, value, dtype), s, dtype);
}

/**
 * A tensor of `shape` filled with `value` (float32 unless `opts.dtype`), like `torch.full`.
 *
 * @param shape - Size of each axis.
 * @param value - Fill value (cast to the dtype).
 * @param opts - dtype and device.
 * @throws {ValueError} for negative or non-integer sizes.
 *
 * @example
 * ```ts
 * import { full } from '@difflab/tensor';
 * full([2, 2], 7).toArray(); // => [[7, 7], [7, 7]]
 * ```
 */
export const full = (shape: readonly number[], value: number, opts: CreateOptions = {}): Tensor => fill('full', shape, value, opts);
/**
 * A tensor of zeros (float32 unless `opts.dtype`).
 *
 * @param shape - Size of each axis.
 * @param opts - dtype and device.
 * @throws {ValueError} for negative or non-integer sizes.
 *
 * @example
 * ```ts
 * import { zeros } from '@difflab/tensor';
 * zeros([2, 3]).toArray(); // => [[0, 0, 0], [0, 0, 0]]
 * zeros([3], { dtype: 'int32' }).dtype; // => 'int32'
 * ```
 */
export const zeros = (shape: readonly number[], opts: CreateOptions = {}): Tensor => fill('zeros', shape, 0, opts);
/**
 * A tensor of ones (float32 unless `opts.dtype`).
 *
 * @param shape - Size of each axis.
 * @param opts - dtype and device.
 * @throws {ValueError} for negative or non-integer sizes.
 *
 * @example
 * ```ts
 * import { ones } from '@difflab/tensor';
 * ones([3]).toArray(); // => [1, 1, 1]
 * ```
 */
export const ones = (shape: readonly number[], opts: CreateOptions = {}): Tensor => fill('ones', shape, 1, opts);
/**
 * Zeros with the shape, dtype and device of `x` (`opts` overrides dtype/device).
 *
 * @param x - Template tensor (only its metadata is used).
 * @param opts - dtype and device overrides.
 *
 * @example
 * ```ts
 * import { tensor, zerosLike } from '@difflab/tensor';
 * const z = zerosLike(tensor([[1, 2]], { dtype: 'float64' }));
 * z.toArray(); // => [[0, 0]]
 * z.dtype; // => 'float64'
 * ```
 */
export const zerosLike = (x: Tensor, opts: CreateOptions = {}): Tensor => full(x.shape, 0, { dtype: x.dtype, device: x.device, ...opts });
/**
 * Ones with the shape, dtype and device of `x` (`opts` overrides dtype/device).
 *
 * @param x - Template tensor (only its metadata is used).
 * @param opts - dtype and device overrides.
 *
 * @example
 * ```ts
 * import { tensor, onesLike } from '@difflab/tensor';
 * onesLike(tensor([5, 6]), { dtype: 'int32' }).toArray(); // => [1, 1]
 * ```
 */
export const onesLike = (x: Tensor, opts: CreateOptions = {}): Tensor => full(x.shape, 1, { dtype: x.dtype, device: x.device, ...opts });
/**
 * `value` everywhere, with the shape, dtype and device of `x` (`opts` overrides dtype/device).
 *
 * @param x - Template tensor (only its metadata is used).
 * @param value - Fill value.
 * @param opts - dtype and device overrides.
 *
 * @example
 * ```ts
 * import { tensor, fullLike } from '@difflab/tensor';
 * fullLike(tensor([1, 2]), -1).toArray(); // => [-1, -1]
 * ```
 */
export const fullLike = (x: Tensor, value: number, opts: CreateOptions = {}): Tensor => full(x.shape, value, { dtype: x.dtype, device: x.device, ...opts });

/**
 * Scalar (0-d) tensor.
 *
 * @param value - The value.
 * @param opts - dtype (default float32) and device.
 *
 * @example
 * ```ts
 * import { scalar } from '@difflab/tensor';
 * const s = scalar(2.5);
 * s.shape; // => []
 * s.item(); // => 2.5
 * ```
 */
export function scalar(value: number, opts: CreateOptions = {}): Tensor {
  return full([], value, opts);
}

/**
 * `arange(stop)` or `arange(start, stop, step?)`, NumPy semantics: values from `start` up to but
 * excluding `stop`. dtype is int32 when all arguments are integers, else float32 (override with
 * `opts.dtype`). The options object may follow any of the forms.
 *
 * @param a - `stop` when it is the only number, else `start`.
 * @param b - `stop`, or the options.
 * @param c - `step` (default 1, may be negative), or the options.
 * @param d - The options after `step`.
 * @throws {ValueError} for non-finite arguments or a zero step.
 *
 * @example
 * ```ts
 * import { arange } from '@difflab/tensor';
 * arange(4).toArray(); // => [0, 1, 2, 3]
 * arange(1, 2, 0.25).toArray(); // => [1, 1.25, 1.5, 1.75]
 * arange(3, 0, -1).toArray(); // => [3, 2, 1]
 * arange(3, { dtype: 'float64' }).dtype; // => 'float64'
 * ```
 */
export function arange(a: number, b?: number | CreateOptions, c?: number | CreateOptions, d?: CreateOptions): Tensor {
  let start = 0;
  let stop: number;
  let step = 1;
  let opts: CreateOptions = {};
  if (typeof b !== 'number') {
    stop = a;
    opts = b ?? {};
  } else {
    start = a;
    stop = b;
    if (typeof c === 'number') {
      step = c;
      opts = d ?? {};
    } else opts = c ?? {};
  }
  for (const v of [start, stop, step]) if (!Number.isFinite(v)) throw new ValueError(`arange: arguments must be finite, got (${start}, ${stop}, ${step})`);
  if (step === 0) throw new ValueError('arange: step must be non-zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = opts.dtype ?? ([start, stop, step].every(Number.isInteger) ? 'int32' : 'float32');
  const arr = typedArrayFor(dtype, n);
  for (let i = 0; i < n; i++) arr[i] = start + i * step;
  return fromStorage(getBackend(opts.device ?? getDefaultDevice(), 'arange').fromHost(arr, dtype), [n], dtype);
}

/**
 * `num` evenly spaced values from start to stop inclusive (NumPy's `linspace`).
 *
 * @param start - First value.
 * @param stop - Last value (exactly, not rounded).
 * @param num - Number of values, a non-negative integer.
 * @param opts - dtype (default float32) and device.
 * @throws {ValueError} for a bad `num` or non-finite bounds.
 *
 * @example
 * ```ts
 * import { linspace } from '@difflab/tensor';
 * linspace(0, 1, 5).toArray(); // => [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num: number, opts: CreateOptions = {}): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: num must be a non-negative integer, got ${num}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new ValueError(`linspace: start and stop must be finite, got ${start}, ${stop}`);
  const dtype = opts.dtype ?? 'float32';
  const arr = typedArrayFor(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) arr[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return fromStorage(getBackend(opts.device ?? getDefaultDevice(), 'linspace').fromHost(arr, dtype), [num], dtype);
}

/**
 * Identity matrix (n × m, ones on diagonal `k`), NumPy's `eye`.
 *
 * @param n - Number of rows.
 * @param m - Number of columns (default `n`).
 * @param opts - dtype (default float32), device, and `k`: the diagonal offset (positive above the
 *   main diagonal).
 * @throws {ValueError} for negative or non-integer sizes.
 *
 * @example
 * ```ts
 * import { eye } from '@difflab/tensor';
 * eye(2).toArray(); // => [[1, 0], [0, 1]]
 * eye(2, 3, { k: 1 }).toArray(); // => [[0, 1, 0], [0, 0, 1]]
 * ```
 */
export function eye(n: number, m: number = n, opts: CreateOptions & { k?: number } = {}): Tensor {
  assertValidShape('eye', [n, m]);
  const dtype = opts.dtype ?? 'float32';
  const arr = typedArrayFor(dtype, n * m);
  const k = opts.k ?? 0;
  for (let i = 0; i < n; i++) {
    const j = i + k;
    if (j >= 0 && j < m) arr[i * m + j] = 1;
  }
  return fromStorage(getBackend(opts.device ?? getDefaultDevice(), 'eye').fromHost(arr, dtype), [n, m], dtype);
}
