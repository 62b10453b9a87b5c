import type { DType, TypedArray } from '../dtype.js';

/**
 * Device-side memory of one tensor buffer, owned by a backend and shared by every view of it.
 *
 * Only backend authors handle storages; the buffer is freed when `refs` drops to zero.
 *
 * @example
 * ```ts
 * import { cpuBackend, type Storage } from '@difflab/tensor';
 * const s: Storage = cpuBackend.fromHost(new Float32Array([1, 2]), 'float32');
 * s.size; // => 2
 * ```
 */
export interface Storage {
  /** The backend that owns (and frees) the buffer. */
  readonly backend: Backend;
  /** Element type of the buffer. */
  readonly dtype: DType;
  /** Number of elements the buffer holds. */
  readonly size: number;
  /** Backend-specific handle: a TypedArray on the CPU, a GPUBuffer on webgpu. */
  data: unknown;
  /** Number of live tensors viewing this storage; freed at zero. */
  refs: number;
}

/**
 * A strided view into a storage: what every kernel receives (`tensor.view`).
 *
 * @example
 * ```ts
 * import { tensor, type View } from '@difflab/tensor';
 * const v: View = tensor([[1, 2], [3, 4]]).T.view;
 * v.strides; // => [1, 2]
 * ```
 */
export interface View {
  /** The buffer viewed. */
  readonly storage: Storage;
  /** Element type (that of the storage). */
  readonly dtype: DType;
  /** Logical shape of the view. */
  readonly shape: readonly number[];
  /** Step in elements per axis; may be 0 (broadcast) or negative (flipped). */
  readonly strides: readonly number[];
  /** Index of the view's first element in the storage. */
  readonly offset: number;
}

/**
 * Names of the elementwise unary kernels a backend implements.
 *
 * @example
 * ```ts
 * import { cpuBackend, tensor, type UnaryOp } from '@difflab/tensor';
 * const op: UnaryOp = 'sqrt';
 * const s = cpuBackend.unary(op, tensor([4, 9]).view, 'float32');
 * Array.from(s.data as Float32Array); // => [2, 3]
 * ```
 */
export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'log1p' | 'expm1' | 'sqrt' | 'rsqrt' | 'square' | 'reciprocal'
  | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan' | 'sinh' | 'cosh' | 'tanh' | 'asinh' | 'acosh' | 'atanh'
  | 'sigmoid' | 'relu' | 'softplus' | 'erf' | 'erfinv' | 'floor' | 'ceil' | 'round' | 'logicalNot'
  | 'isnan' | 'isfinite';

/**
 * Names of the elementwise binary kernels (arithmetic, comparisons, logical ops).
 *
 * @example
 * ```ts
 * import { cpuBackend, tensor, type BinaryOp } from '@difflab/tensor';
 * const op: BinaryOp = 'mul';
 * const s = cpuBackend.binary(op, tensor([2, 3]).view, tensor([4, 5]).view, 'float32');
 * Array.from(s.data as Float32Array); // => [8, 15]
 * ```
 */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'atan2' | 'mod'
  | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'
  | 'logicalAnd' | 'logicalOr' | 'logicalXor';

/**
 * Names of the reduction kernels.
 *
 * @example
 * ```ts
 * import { cpuBackend, tensor, type ReduceOp } from '@difflab/tensor';
 * const op: ReduceOp = 'max';
 * const s = cpuBackend.reduce(op, tensor([[1, 5], [7, 2]]).view, [1], 'float32');
 * Array.from(s.data as Float32Array); // => [5, 7]
 * ```
 */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';
/**
 * Names of the index-of-extremum kernels (int32 results).
 *
 * @example
 * ```ts
 * import { cpuBackend, tensor, type ArgReduceOp } from '@difflab/tensor';
 * const op: ArgReduceOp = 'argmax';
 * const s = cpuBackend.argReduce(op, tensor([[1, 5], [7, 2]]).view, 1);
 * Array.from(s.data as Int32Array); // => [1, 0]
 * ```
 */
export type ArgReduceOp = 'argmax' | 'argmin';

/**
 * The kernel interface a device implements.
 *
 * Op definitions (with their gradients) live in `ops/` and only ever call these kernels, so a new
 * device (e.g. `@difflab/gpu`) registers itself with {@link registerBackend} without touching any
 * op. Every kernel returns a fresh contiguous (row-major) storage of the stated output shape.
 *
 * Optional kernels (linalg, fft, sort, conv) fall back to the CPU backend when a device lacks them:
 * inputs are read back, computed on the CPU and uploaded again.
 *
 * @example
 * ```ts
 * import { getBackend, tensor, type Backend } from '@difflab/tensor';
 * const cpu: Backend = getBackend('cpu');
 * const s = cpu.fill([2], 3, 'float32');
 * Array.from(await cpu.read({ storage: s, dtype: 'float32', shape: [2], strides: [1], offset: 0 })); // => [3, 3]
 * cpu.name === tensor([1]).device; // => true
 * ```
 */
export interface Backend {
  /** Device name the backend is registered under, e.g. `'cpu'`; `tensor.device` reports it. */
  readonly name: string;
  /** Uploads host data (copied) into a new storage. */
  fromHost(data: TypedArray, dtype: DType): Storage;
  /** Reads a view back as a new contiguous TypedArray of the view's dtype. */
  read(x: View): Promise<TypedArray>;
  /** Synchronous read; only host-memory backends implement it. */
  readSync?(x: View): TypedArray;
  /** Releases device memory of a storage whose refcount reached zero. */
  free(s: Storage): void;

  /** A new storage of `shape` with every element `value` (cast to `dtype`). */
  fill(shape: readonly number[], value: number, dtype: DType): Storage;
  /** Materialises any strided view as a contiguous buffer, optionally casting. */
  copy(x: View, dtype?: DType): Storage;
  /** Elementwise `op` of `x`, written as `outDtype` (the op layer picks float or bool outputs). */
  unary(op: UnaryOp, x: View, outDtype: DType): Storage;
  /** `a` and `b` are already broadcast (possibly stride-0) views of `outShape`. */
  binary(op: BinaryOp, a: View, b: View, outDtype: DType): Storage;
  /** All three views are already broadcast to the same shape. */
  where(cond: View, a: View, b: View, outDtype: DType): Storage;
  /** Reduces `axes` (sorted, unique); output shape drops those axes. */
  reduce(op: ReduceOp, x: View, axes: readonly number[], outDtype: DType): Storage;
  /** Output shape drops `axis`; int32 indices. */
  argReduce(op: ArgReduceOp, x: View, axis: number): Storage;
  /** Batched matmul: a [B, m, k], b [B, k, n] (views, already batch-broadcast and flattened) -> [B, m, n]. */
  matmul(a: View, b: View, outDtype: DType): Storage;
  /** out[..., i, ...] = x[..., idx[i], ...] along axis; idx is a flat int32 view. */
  gather(x: View, indices: View, axis: number): Storage;
  /** out = zeros(outShape); out[..., idx[i], ...] += src[..., i, ...] along axis. */
  scatterAdd(src: View, indices: View, axis: number, outShape: readonly number[]): Storage;
  /** Writes `src` into a strided region of a copy of `base` (used by pad, slice gradients, concat). */
  assignRegion(base: View, src: View, region: { offset: number; strides: readonly number[] }): Storage;
  /** Inclusive cumulative sum along `axis` (from the end when `reverse`), same shape and dtype. */
  cumsum(x: View, axis: number, reverse: boolean): Storage;
  /** Stable sort along the last axis; returns [values, int32 indices]. */
  sort?(x: View, descending: boolean): [Storage, Storage];
  /** Extension point for device-specific kernels (linalg, fft, conv, …). */
  kernels?: Record<string, (...args: never[]) => unknown>;
}
