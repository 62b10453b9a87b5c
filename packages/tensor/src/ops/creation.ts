import { getBackend, getDefaultDevice } from '../backend/registry.js';
import { assertDType, dtypeOfTypedArray, typedArrayFor, type DType, type TypedArray } from '../dtype.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { assertValidShape, sizeOf } from '../shape.js';
import { Tensor, type NestedArray } from '../tensor.js';
import { fromStorage } from './core.js';

/** Options of the creation functions. */
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
 * Creates a tensor from nested arrays, a number, or a TypedArray (then `shape` may be given via
 * {@link fromTypedArray}). dtype defaults to the TypedArray's, else float32 (bool for booleans).
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

/** Wraps (copies) a TypedArray with the given shape. */
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

/** A tensor of `shape` filled with `value` (float32 unless `opts.dtype`). */
export const full = (shape: readonly number[], value: number, opts: CreateOptions = {}): Tensor => fill('full', shape, value, opts);
/** A tensor of zeros (float32 unless `opts.dtype`). */
export const zeros = (shape: readonly number[], opts: CreateOptions = {}): Tensor => fill('zeros', shape, 0, opts);
/** A tensor of ones (float32 unless `opts.dtype`). */
export const ones = (shape: readonly number[], opts: CreateOptions = {}): Tensor => fill('ones', shape, 1, opts);
/** Zeros with the shape, dtype and device of `x` (`opts` overrides dtype/device). */
export const zerosLike = (x: Tensor, opts: CreateOptions = {}): Tensor => full(x.shape, 0, { dtype: x.dtype, device: x.device, ...opts });
/** Ones with the shape, dtype and device of `x` (`opts` overrides dtype/device). */
export const onesLike = (x: Tensor, opts: CreateOptions = {}): Tensor => full(x.shape, 1, { dtype: x.dtype, device: x.device, ...opts });
/** `value` everywhere, with the shape, dtype and device of `x` (`opts` overrides dtype/device). */
export const fullLike = (x: Tensor, value: number, opts: CreateOptions = {}): Tensor => full(x.shape, value, { dtype: x.dtype, device: x.device, ...opts });

/** Scalar (0-d) tensor. */
export function scalar(value: number, opts: CreateOptions = {}): Tensor {
  return full([], value, opts);
}

/**
 * `arange(stop)` or `arange(start, stop, step?)`, NumPy semantics. dtype is int32 when all
 * arguments are integers, else float32.
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

/** `num` evenly spaced values from start to stop inclusive (NumPy's linspace). */
export function linspace(start: number, stop: number, num: number, opts: CreateOptions = {}): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: num must be a non-negative integer, got ${num}`);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new ValueError(`linspace: start and stop must be finite, got ${start}, ${stop}`);
  const dtype = opts.dtype ?? 'float32';
  const arr = typedArrayFor(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) arr[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  return fromStorage(getBackend(opts.device ?? getDefaultDevice(), 'linspace').fromHost(arr, dtype), [num], dtype);
}

/** Identity matrix (n x m, ones on diagonal `k`). */
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
