import { record } from '../autodiff/graph.js';
import { DTypeError, DeviceError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { normalizeAxis, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add, equal, less, mul, where } from './binary.js';
import { backendOf, fromStorage } from './core.js';
import { arange, tensor } from './creation.js';
import { contiguous, reshape, slice, swapAxes } from './shape.js';

function indexTensor(op: string, indices: Tensor | readonly number[], device: string): Tensor {
  const t = indices instanceof Tensor ? indices : tensor(indices as number[], { dtype: 'int32', device });
  if (t.dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32, got ${t.dtype} of shape ${fmtShape(t.shape)}`);
  if (t.device !== device)
    throw new DeviceError(`${op}: indices of shape ${fmtShape(t.shape)} are on '${t.device}' but the tensor is on '${device}'`);
  return t;
}

function checkRange(op: string, idx: Tensor, n: number, axis: number, shape: readonly number[]): void {
  if (idx.device !== 'cpu') return;
  const d = idx.dataSync();
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < 0 || v >= n) throw new ShapeError(`${op}: index ${v} is out of range for axis ${axis} of shape ${fmtShape(shape)}`);
  }
}

/** Negative indices count from the end, as in NumPy (on the device for ones that cannot be read synchronously). */
function wrapNegative(idx: Tensor, n: number): Tensor {
  if (idx.device !== 'cpu') return where(less(idx, 0), add(idx, n), idx);
  const d = idx.dataSync();
  if (!d.some((v) => v < 0)) return idx;
  return tensor(Array.from(d, (v) => (v < 0 ? v + n : v)), { dtype: 'int32' }).reshape(idx.shape);
}

/**
 * NumPy `take` / tfjs `gather`: selects entries along `axis` by integer indices (any shape).
 * Output shape: x.shape[:axis] + indices.shape + x.shape[axis+1:].
 *
 * This is `torch.index_select` generalised to n-d indices, not `torch.gather` (that one is
 * {@link takeAlongAxis}). The gradient scatter-adds, so repeated indices accumulate.
 *
 * @param x - Input tensor.
 * @param indices - int32 tensor (any shape) or array of indices; negative indices count from the end.
 * @param axis - Axis to index (default 0).
 * @returns The selected entries.
 * @throws {ShapeError} for an out-of-range index.
 * @throws {DTypeError} for non-int32 index tensors.
 *
 * @example
 * ```ts
 * import { gather, tensor, ShapeError } from '@difflab/tensor';
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * gather(x, [2, 0]).toArray(); // => [[5, 6], [1, 2]]
 * gather(x, tensor([[1], [0]], { dtype: 'int32' }), 1).shape; // => [3, 2, 1]
 * gather(x, [-1]).toArray(); // => [[5, 6]]
 * gather(x, [3]); // throws ShapeError
 * ```
 */
export function gather(x: Tensor, indices: Tensor | readonly number[], axis = 0): Tensor {
  const ax = normalizeAxis('gather', axis, x.ndim, x.shape);
  const n = x.shape[ax]!;
  const idx = wrapNegative(indexTensor('gather', indices, x.device), n);
  checkRange('gather', idx, n, ax, x.shape);
  const flat = reshape(idx, [idx.size]);
  const outShape = [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)];
  const out = fromStorage(backendOf(x).gather(x, flat, ax), [...x.shape.slice(0, ax), idx.size, ...x.shape.slice(ax + 1)], x.dtype);
  const res = record(out, 'gather', [x], (g) => [scatterAdd(g, flat, ax, x.shape)]);
  return shapesEqual(res.shape, outShape) ? res : reshape(res, outShape);
}

/**
 * Alias of {@link gather} (NumPy's name).
 *
 * @param x - Input tensor.
 * @param indices - int32 tensor (any shape) or array of indices; negative indices count from the end.
 * @param axis - Axis to index (default 0).
 * @returns The selected entries.
 *
 * @example
 * ```ts
 * import { take, tensor } from '@difflab/tensor';
 * take(tensor([10, 20, 30]), [2, 2, 0]).toArray(); // => [30, 30, 10]
 * ```
 */
export const take = gather;

/**
 * Adds `src` slices into zeros(shape) at `indices` along `axis` (duplicates accumulate).
 * `src.shape` must be shape with axis `axis` replaced by indices.size.
 *
 * The adjoint of {@link gather}: `index_add` into zeros (`torch.Tensor.index_add_`), e.g. for
 * segment sums and embedding gradients. Indices are flattened.
 *
 * @param src - Values to add.
 * @param indices - int32 tensor (any shape) or array of indices; negative indices count from the end.
 * @param axis - Axis of the result that `indices` address.
 * @param shape - Shape of the result.
 * @returns A new tensor of `shape`.
 * @throws {ShapeError} when `src` does not fit or an index is out of range.
 *
 * @example
 * ```ts
 * import { scatterAdd, tensor } from '@difflab/tensor';
 * scatterAdd(tensor([1, 2, 3]), [0, 2, 0], 0, [3]).toArray(); // => [4, 0, 2]
 * scatterAdd(tensor([[1, 1]]), [1], 0, [2, 2]).toArray(); // => [[0, 0], [1, 1]]
 * ```
 */
export function scatterAdd(src: Tensor, indices: Tensor | readonly number[], axis: number, shape: readonly number[]): Tensor {
  const ax = normalizeAxis('scatterAdd', axis, shape.length, shape);
  const idx = reshape(wrapNegative(indexTensor('scatterAdd', indices, src.device), shape[ax]!), [-1]);
  const expect = shape.map((d, i) => (i === ax ? idx.size : d));
  if (!shapesEqual(src.shape, expect))
    throw new ShapeError(`scatterAdd: src of shape ${fmtShape(src.shape)} does not match ${fmtShape(expect)} (target ${fmtShape(shape)}, ${idx.size} indices on axis ${ax})`);
  checkRange('scatterAdd', idx, shape[ax]!, ax, shape);
  const out = fromStorage(backendOf(src).scatterAdd(src, idx, ax, shape), shape, src.dtype);
  return record(out, 'scatterAdd', [src], (g) => [gather(g, idx, ax)]);
}

/**
 * `torch.gather` / `np.take_along_axis`: out[i][j] = x[i][idx[i][j]] for axis 1. `indices` has the
 * same rank as x and broadcasts against it on the other axes.
 *
 * Pairs with {@link argsort} / {@link argmax} (with `keepdims`) to pick per-row entries.
 *
 * @param x - Input tensor.
 * @param indices - int32 tensor of the same rank as `x`; negative indices count from the end.
 * @param axis - Axis to index.
 * @returns A tensor shaped like the broadcast of `indices` against `x` outside `axis`.
 * @throws {ShapeError} for a rank mismatch, non-broadcasting shapes or out-of-range indices.
 *
 * @example
 * ```ts
 * import { takeAlongAxis, argmax, tensor } from '@difflab/tensor';
 * const x = tensor([[10, 30, 20], [60, 40, 50]]);
 * takeAlongAxis(x, argmax(x, 1, true), 1).toArray(); // => [[30], [60]]
 * takeAlongAxis(x, tensor([[2, 0]], { dtype: 'int32' }), 1).toArray(); // => [[20, 10], [50, 60]]
 * ```
 */
export function takeAlongAxis(x: Tensor, indices: Tensor, axis: number): Tensor {
  const ax = normalizeAxis('takeAlongAxis', axis, x.ndim, x.shape);
  if (indices.ndim !== x.ndim)
    throw new ShapeError(`takeAlongAxis: indices of shape ${fmtShape(indices.shape)} must have the rank of x ${fmtShape(x.shape)}`);
  indexTensor('takeAlongAxis', indices, x.device);
  // Move axis last, flatten rows and pick row * n + idx from the flat tensor.
  const xt = swapAxes(x, ax, -1);
  const it = swapAxes(indices, ax, -1);
  const rowShape = xt.shape.slice(0, -1);
  const ishape = it.shape.slice(0, -1);
  for (let i = 0; i < rowShape.length; i++)
    if (ishape[i] !== rowShape[i] && ishape[i] !== 1)
      throw new ShapeError(`takeAlongAxis: indices ${fmtShape(indices.shape)} do not broadcast against ${fmtShape(x.shape)} outside axis ${ax}`);
  const n = xt.shape[xt.ndim - 1]!;
  const m = it.shape[it.ndim - 1]!;
  const rows = rowShape.reduce((a, b) => a * b, 1);
  const rowIds = reshape(mul(arange(rows, { dtype: 'int32', device: x.device }), n), [...rowShape, 1]);
  const local = wrapNegative(contiguous(it.broadcastTo([...rowShape, m])), n);
  checkRange('takeAlongAxis', local, n, ax, x.shape);
  const flatIdx = add(rowIds, local);
  const picked = gather(reshape(xt, [-1]), reshape(flatIdx, [-1]), 0);
  return swapAxes(reshape(picked, [...rowShape, m]), ax, -1);
}

/**
 * Inclusive cumulative sum along `axis` (`reverse` sums from the end), like `torch.cumsum`.
 *
 * Bool inputs sum as int32. The gradient is the reverse cumulative sum of the cotangent.
 *
 * @param x - Input tensor.
 * @param axis - Axis to accumulate along.
 * @param reverse - Accumulate from the last element backwards (default false).
 * @returns A tensor of the same shape.
 * @throws {AxisError} for an out-of-range axis.
 *
 * @example
 * ```ts
 * import { cumsum, tensor } from '@difflab/tensor';
 * cumsum(tensor([1, 2, 3]), 0).toArray(); // => [1, 3, 6]
 * cumsum(tensor([1, 2, 3]), 0, true).toArray(); // => [6, 5, 3]
 * cumsum(tensor([[1, 2], [3, 4]]), 1).toArray(); // => [[1, 3], [3, 7]]
 * ```
 */
export function cumsum(x: Tensor, axis: number, reverse = false): Tensor {
  const ax = normalizeAxis('cumsum', axis, x.ndim, x.shape);
  const src = x.dtype === 'bool' ? x.astype('int32') : x;
  const out = fromStorage(backendOf(src).cumsum(src, ax, reverse), x.shape, src.dtype);
  return record(out, 'cumsum', [src], (g) => [cumsum(g, ax, !reverse)]);
}

function sortLast(x: Tensor, descending: boolean): [Tensor, Tensor] {
  const b = backendOf(x);
  if (!b.sort) throw new DeviceError(`sort: device '${b.name}' has no sort kernel (tensor of shape ${fmtShape(x.shape)}); move it with .to('cpu')`);
  const [v, i] = b.sort(x, descending);
  const values = fromStorage(v, x.shape, x.dtype);
  const idx = fromStorage(i, x.shape, 'int32');
  const rec = record(values, 'sort', [x], (g) => [takeAlongAxis(g, argsortLast(idx, false), -1)]);
  return [rec, idx];
}

/** Inverse permutation: where each position of a permutation went. */
function argsortLast(perm: Tensor, descending: boolean): Tensor {
  const b = backendOf(perm);
  const [v, i] = b.sort!(perm, descending);
  // Only the indices are wanted; the sorted copy would otherwise hold device memory forever.
  b.free(v);
  return fromStorage(i, perm.shape, 'int32');
}

/**
 * Stable sort along `axis`; returns sorted values (differentiable). Use {@link sortWithIndices} for both.
 *
 * The gradient routes each cotangent back to the element's original position.
 *
 * @param x - Input tensor.
 * @param axis - Axis to sort (default the last).
 * @param descending - Largest first (default false).
 * @returns The sorted values.
 * @throws {DeviceError} on a device without a sort kernel.
 *
 * @example
 * ```ts
 * import { sort, tensor } from '@difflab/tensor';
 * sort(tensor([3, 1, 2])).toArray(); // => [1, 2, 3]
 * sort(tensor([[3, 1], [0, 2]]), 0, true).toArray(); // => [[3, 2], [0, 1]]
 * ```
 */
export function sort(x: Tensor, axis = -1, descending = false): Tensor {
  return sortWithIndices(x, axis, descending).values;
}

/**
 * Stable sort along `axis` returning both the sorted `values` (differentiable) and the int32 `indices`
 * that produce them (`torch.sort`).
 *
 * @param x - Input tensor.
 * @param axis - Axis to sort (default the last).
 * @param descending - Largest first (default false).
 * @returns `{ values, indices }`, both of `x`'s shape.
 * @throws {DeviceError} on a device without a sort kernel.
 *
 * @example
 * ```ts
 * import { sortWithIndices, tensor } from '@difflab/tensor';
 * const { values, indices } = sortWithIndices(tensor([3, 1, 2]));
 * values.toArray(); // => [1, 2, 3]
 * indices.toArray(); // => [1, 2, 0]
 * ```
 */
export function sortWithIndices(x: Tensor, axis = -1, descending = false): {
  /** The selected values, sorted (differentiable). */
  values: Tensor;
  /** int32 positions of those values along the axis. */
  indices: Tensor;
} {
  const ax = normalizeAxis('sort', axis, x.ndim, x.shape);
  if (x.ndim === 0) return { values: x, indices: fromStorage(backendOf(x).fill([], 0, 'int32'), [], 'int32') };
  const xt = swapAxes(x, ax, -1);
  const [v, i] = sortLast(xt, descending);
  return { values: swapAxes(v, ax, -1), indices: swapAxes(i, ax, -1) };
}

/**
 * int32 indices that stably sort `x` along `axis` (`torch.argsort` with `stable=True`).
 *
 * @param x - Input tensor.
 * @param axis - Axis to sort (default the last).
 * @param descending - Largest first (default false); equal elements keep their order either way.
 * @returns int32 indices of `x`'s shape.
 * @throws {DeviceError} on a device without a sort kernel.
 *
 * @example
 * ```ts
 * import { argsort, tensor } from '@difflab/tensor';
 * argsort(tensor([3, 1, 2])).toArray(); // => [1, 2, 0]
 * argsort(tensor([1, 2, 1]), -1, true).toArray(); // => [1, 0, 2]
 * ```
 */
export function argsort(x: Tensor, axis = -1, descending = false): Tensor {
  return sortWithIndices(x, axis, descending).indices;
}

/**
 * The k largest (or smallest) entries along `axis`, sorted, with their indices (`torch.topk`).
 *
 * @param x - Input tensor.
 * @param k - Number of entries, `0 ≤ k ≤ x.shape[axis]`.
 * @param axis - Axis to search (default the last).
 * @param largest - Largest first (default true); false returns the k smallest, ascending.
 * @returns `{ values, indices }` with `axis` of size k.
 * @throws {ValueError} when k is out of range.
 *
 * @example
 * ```ts
 * import { topk, tensor } from '@difflab/tensor';
 * const { values, indices } = topk(tensor([1, 5, 3, 4]), 2);
 * values.toArray(); // => [5, 4]
 * indices.toArray(); // => [1, 3]
 * topk(tensor([1, 5, 3]), 1, -1, false).values.toArray(); // => [1]
 * ```
 */
export function topk(x: Tensor, k: number, axis = -1, largest = true): {
  /** The selected values, sorted (differentiable). */
  values: Tensor;
  /** int32 positions of those values along the axis. */
  indices: Tensor;
} {
  const ax = normalizeAxis('topk', axis, x.ndim, x.shape);
  if (!Number.isInteger(k) || k < 0 || k > x.shape[ax]!)
    throw new ValueError(`topk: k=${k} is out of range for axis ${ax} of shape ${fmtShape(x.shape)}`);
  const { values, indices } = sortWithIndices(x, ax, largest);
  const spec = x.shape.map((_, i) => (i === ax ? `0:${k}` : null));
  return { values: slice(values, ...spec), indices: contiguous(slice(indices, ...spec)) };
}

/**
 * One-hot encoding of int32 class indices: shape indices.shape + [depth], float32 by default
 * (`torch.nn.functional.one_hot`, which returns int64).
 *
 * @param indices - int32 class indices in `[0, depth)`.
 * @param depth - Number of classes.
 * @param dtype - Result dtype: float32 (default), float64 or int32.
 * @returns A tensor with a trailing axis of size `depth`.
 * @throws {DTypeError} for non-int32 indices.
 * @throws {ValueError} for a non-positive depth or an out-of-range index.
 *
 * @example
 * ```ts
 * import { oneHot, tensor } from '@difflab/tensor';
 * oneHot(tensor([0, 2], { dtype: 'int32' }), 3).toArray(); // => [[1, 0, 0], [0, 0, 1]]
 * oneHot(tensor([1], { dtype: 'int32' }), 2, 'int32').dtype; // => 'int32'
 * ```
 */
export function oneHot(indices: Tensor, depth: number, dtype: 'float32' | 'float64' | 'int32' = 'float32'): Tensor {
  if (indices.dtype !== 'int32') throw new DTypeError(`oneHot: indices must be int32, got ${indices.dtype} of shape ${fmtShape(indices.shape)}`);
  if (!Number.isInteger(depth) || depth <= 0)
    throw new ValueError(`oneHot: depth must be a positive integer, got ${depth} (indices of shape ${fmtShape(indices.shape)})`);
  if (indices.device === 'cpu')
    for (const v of indices.dataSync())
      if (v < 0 || v >= depth) throw new ValueError(`oneHot: index ${v} is out of range for depth ${depth} (indices of shape ${fmtShape(indices.shape)})`);
  const classes = arange(depth, { dtype: 'int32', device: indices.device });
  return equal(reshape(indices, [...indices.shape, 1]), classes).astype(dtype);
}

