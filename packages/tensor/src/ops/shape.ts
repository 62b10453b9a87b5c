import { record } from '../autodiff/graph.js';
import { AxisError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { assertValidShape, broadcastReductionAxes, broadcastShapes, contiguousStrides, normalizeAxes, normalizeAxis, reshapeStrides, shapesEqual, sizeOf } from '../shape.js';
import type { Axis, Tensor } from '../tensor.js';
import { promoteTypes } from '../dtype.js';
import { backendOf, fromStorage, viewOf, asTensors } from './core.js';
import { sum } from './reduce.js';
import { isContiguousView } from './layout.js';

/**
 * Contiguous copy when `x` is a strided view; otherwise `x` itself (`torch.Tensor.contiguous`).
 *
 * Views from `transpose`, `slice`, `flip` and `broadcastTo` share storage with odd strides; kernels
 * that need row-major data, and code handing `storage` to other libraries, call this first.
 * Differentiable (the gradient passes through).
 *
 * @param x - Input tensor.
 * @returns A row-major tensor with the same values.
 *
 * @example
 * ```ts
 * import { contiguous, tensor } from '@difflab/tensor';
 * const t = tensor([[1, 2], [3, 4]]).T;
 * t.strides; // => [1, 2]
 * contiguous(t).strides; // => [2, 1]
 * contiguous(t).toArray(); // => [[1, 3], [2, 4]]
 * ```
 */
export function contiguous(x: Tensor): Tensor {
  if (isContiguousView(x)) return x;
  const out = fromStorage(backendOf(x).copy(x), x.shape, x.dtype);
  return record(out, 'contiguous', [x], (g) => [g]);
}

function resolveShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new ValueError(`${op}: shape must be an array of integers, got ${String(shape)}`);
  for (const d of shape)
    if (typeof d !== 'number' || !Number.isInteger(d) || d < -1)
      throw new ValueError(`${op}: invalid target shape [${shape.map(String).join(', ')}] for a tensor of shape ${fmtShape(x.shape)}`);
  const out = [...shape];
  const unknown = out.indexOf(-1);
  if (out.filter((d) => d === -1).length > 1) throw new ShapeError(`${op}: only one -1 allowed in shape ${fmtShape(shape)}`);
  if (unknown >= 0) {
    const known = sizeOf(out.filter((_, i) => i !== unknown));
    if (known === 0 || x.size % known !== 0)
      throw new ShapeError(`${op}: cannot reshape a tensor of shape ${fmtShape(x.shape)} (size ${x.size}) into ${fmtShape(shape)}`);
    out[unknown] = x.size / known;
  }
  assertValidShape(op, out);
  if (sizeOf(out) !== x.size)
    throw new ShapeError(`${op}: cannot reshape a tensor of shape ${fmtShape(x.shape)} (size ${x.size}) into ${fmtShape(shape)}`);
  return out;
}

/**
 * Same data, new shape (one dim may be -1, inferred). A view when the layout allows, otherwise a copy
 * (NumPy's `reshape`, `torch.reshape`).
 *
 * @param x - Input tensor.
 * @param shape - Target shape with the same number of elements.
 * @returns A tensor of `shape` with the values in row-major order.
 * @throws {ShapeError} when the sizes differ or more than one -1 is given.
 * @throws {ValueError} for negative (other than -1) or non-integer sizes.
 *
 * @example
 * ```ts
 * import { reshape, arange, ShapeError } from '@difflab/tensor';
 * reshape(arange(6), [2, 3]).toArray(); // => [[0, 1, 2], [3, 4, 5]]
 * reshape(arange(6), [-1, 2]).shape; // => [3, 2]
 * reshape(arange(6), [4, 2]); // throws ShapeError
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = resolveShape('reshape', x, shape);
  const strides = reshapeStrides(x.shape, x.strides, target);
  const src = strides ? x : contiguous(x);
  const out = viewOf(src, target, strides ?? contiguousStrides(target), src.offset);
  return record(out, 'reshape', [src], (g) => [reshape(g, src.shape)]);
}

/**
 * Reorders axes; default reverses them (NumPy's `transpose`, `torch.permute`). A view, no copy.
 *
 * @param x - Input tensor.
 * @param axes - Permutation of `0..ndim-1` (negatives allowed); reversed order when omitted.
 * @returns A view with `shape[i] = x.shape[axes[i]]`.
 * @throws {AxisError} when `axes` is not a permutation of the tensor's axes.
 *
 * @example
 * ```ts
 * import { transpose, tensor, zeros } from '@difflab/tensor';
 * transpose(tensor([[1, 2, 3]])).toArray(); // => [[1], [2], [3]]
 * transpose(zeros([2, 3, 4]), [2, 0, 1]).shape; // => [4, 2, 3]
 * ```
 */
export function transpose(x: Tensor, axes?: readonly number[]): Tensor {
  const perm = axes ? [...axes] : x.shape.map((_, i) => x.ndim - 1 - i);
  if (perm.length !== x.ndim) throw new AxisError(`transpose: axes ${JSON.stringify(perm)} do not match a tensor of shape ${fmtShape(x.shape)}`);
  const norm = perm.map((a) => normalizeAxis('transpose', a, x.ndim, x.shape));
  if (new Set(norm).size !== norm.length) throw new AxisError(`transpose: repeated axis in ${JSON.stringify(perm)} for shape ${fmtShape(x.shape)}`);
  const out = viewOf(x, norm.map((a) => x.shape[a]!), norm.map((a) => x.strides[a]!), x.offset);
  const inv = new Array<number>(norm.length);
  norm.forEach((a, i) => (inv[a] = i));
  return record(out, 'transpose', [x], (g) => [transpose(g, inv)]);
}

/**
 * Reorders axes by `axes` ({@link transpose} with explicit axes; `torch.permute`).
 *
 * @param x - Input tensor.
 * @param axes - Permutation of `0..ndim-1`.
 * @returns A view with `shape[i] = x.shape[axes[i]]`.
 * @throws {AxisError} when `axes` is not a permutation of the tensor's axes.
 *
 * @example
 * ```ts
 * import { permute, zeros } from '@difflab/tensor';
 * permute(zeros([2, 3, 4]), [1, 2, 0]).shape; // => [3, 4, 2]
 * ```
 */
export const permute = (x: Tensor, axes: readonly number[]): Tensor => transpose(x, axes);

/**
 * Swaps two axes (`torch.swapaxes`); handy for matrix transposes of batched tensors. A view.
 *
 * @param x - Input tensor.
 * @param a - First axis (negative counts from the end).
 * @param b - Second axis.
 * @returns A view with axes `a` and `b` exchanged.
 * @throws {AxisError} for an out-of-range axis.
 *
 * @example
 * ```ts
 * import { swapAxes, zeros } from '@difflab/tensor';
 * swapAxes(zeros([5, 2, 3]), -1, -2).shape; // => [5, 3, 2]
 * ```
 */
export function swapAxes(x: Tensor, a: number, b: number): Tensor {
  const perm = x.shape.map((_, i) => i);
  const i = normalizeAxis('swapAxes', a, x.ndim, x.shape);
  const j = normalizeAxis('swapAxes', b, x.ndim, x.shape);
  perm[i] = j;
  perm[j] = i;
  return transpose(x, perm);
}

/**
 * Inserts a size-1 axis at position `axis` (negative counts from the end of the result);
 * `torch.unsqueeze` / `np.expand_dims`.
 *
 * @param x - Input tensor.
 * @param axis - Position of the new axis in the result, in `[-ndim-1, ndim]`.
 * @returns A view with one more axis.
 * @throws {AxisError} for an out-of-range axis.
 *
 * @example
 * ```ts
 * import { expandDims, zeros } from '@difflab/tensor';
 * expandDims(zeros([2, 3]), 0).shape; // => [1, 2, 3]
 * expandDims(zeros([2, 3]), -1).shape; // => [2, 3, 1]
 * ```
 */
export function expandDims(x: Tensor, axis: number): Tensor {
  const ax = normalizeAxis('expandDims', axis, x.ndim + 1, x.shape);
  const shape = [...x.shape];
  shape.splice(ax, 0, 1);
  return reshape(x, shape);
}

/**
 * Removes size-1 axes: all of them, or those in `axis` (which must have size 1).
 *
 * @param x - Input tensor.
 * @param axis - Axes to remove; every size-1 axis when omitted.
 * @returns A view without those axes.
 * @throws {ShapeError} when a named axis does not have size 1.
 *
 * @example
 * ```ts
 * import { squeeze, zeros, ShapeError } from '@difflab/tensor';
 * squeeze(zeros([1, 2, 1])).shape; // => [2]
 * squeeze(zeros([1, 2, 1]), 0).shape; // => [2, 1]
 * squeeze(zeros([1, 2]), 1); // throws ShapeError
 * ```
 */
export function squeeze(x: Tensor, axis?: Axis): Tensor {
  const axes = axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axis, x.shape);
  for (const a of axes)
    if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of shape ${fmtShape(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
}

/**
 * Broadcasts to `shape` with NumPy rules; a stride-0 view (`torch.broadcast_to`).
 *
 * The gradient sums over the broadcast axes.
 *
 * @param x - Input tensor.
 * @param shape - Target shape; `x.shape` must broadcast to it.
 * @returns A view of `shape` sharing `x`'s storage.
 * @throws {ShapeError} when `x` cannot be broadcast to `shape`.
 *
 * @example
 * ```ts
 * import { broadcastTo, tensor, ShapeError } from '@difflab/tensor';
 * broadcastTo(tensor([1, 2]), [2, 2]).toArray(); // => [[1, 2], [1, 2]]
 * broadcastTo(tensor([1, 2]), [3]); // throws ShapeError
 * ```
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  assertValidShape('broadcastTo', [...shape]);
  const target = broadcastShapes('broadcastTo', x.shape, shape);
  if (!shapesEqual(target, shape))
    throw new ShapeError(`broadcastTo: cannot broadcast a tensor of shape ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  if (shapesEqual(x.shape, shape)) return x;
  const lead = shape.length - x.ndim;
  const strides = shape.map((_, i) => (i < lead || x.shape[i - lead] === 1 ? 0 : x.strides[i - lead]!));
  const out = viewOf(x, shape, strides, x.offset);
  return record(out, 'broadcastTo', [x], (g) => {
    const { axes } = broadcastReductionAxes(x.shape, shape);
    return [reshape(sum(g, axes), x.shape)];
  });
}

/**
 * Region of a tensor selected per axis by start and step, keeping rank (the argument of
 * {@link regionView} and {@link embedRegion}).
 *
 * @example
 * ```ts
 * import { regionView, arange, type Region } from '@difflab/tensor';
 * // Every other column of a 2 x 4 matrix.
 * const r: Region = { starts: [0, 0], steps: [1, 2], sizes: [2, 2] };
 * regionView(arange(8).reshape([2, 4]), r).toArray(); // => [[0, 2], [4, 6]]
 * ```
 */
export interface Region {
  /** First index of the region on each axis. */
  starts: readonly number[];
  /** Step on each axis (negative walks backwards; never 0). */
  steps: readonly number[];
  /** Number of elements taken on each axis (the region's shape). */
  sizes: readonly number[];
}

/**
 * Strided view of `x` over `region` (a primitive; its transpose is {@link embedRegion}).
 *
 * The primitive behind {@link slice}, {@link flip} and {@link split}; the region is not
 * bounds-checked, so prefer those unless you build a new view op.
 *
 * @param x - Input tensor.
 * @param region - Start, step and size per axis; see {@link Region}.
 * @returns A view of shape `region.sizes`.
 *
 * @example
 * ```ts
 * import { regionView, arange } from '@difflab/tensor';
 * regionView(arange(5), { starts: [4], steps: [-2], sizes: [3] }).toArray(); // => [4, 2, 0]
 * ```
 */
export function regionView(x: Tensor, region: Region): Tensor {
  let offset = x.offset;
  const strides = x.strides.map((s, i) => {
    offset += region.starts[i]! * s;
    return s * region.steps[i]!;
  });
  const out = viewOf(x, region.sizes, strides, offset);
  return record(out, 'slice', [x], (g) => [embedRegion(g, x.shape, region)]);
}

/**
 * zeros(shape) with `src` written into `region`, optionally over a `base` tensor instead of zeros.
 *
 * The adjoint of {@link regionView}, and the primitive behind {@link pad} and {@link concat};
 * differentiable in both `src` and `base`.
 *
 * @param src - Values to write; its shape must equal `region.sizes`.
 * @param shape - Shape of the result.
 * @param region - Where to write; see {@link Region}.
 * @param base - Tensor of `shape` supplying the values outside the region (zeros by default).
 * @returns A new tensor of `shape`.
 *
 * @example
 * ```ts
 * import { embedRegion, tensor, zeros } from '@difflab/tensor';
 * embedRegion(tensor([1, 2]), [5], { starts: [1], steps: [2], sizes: [2] }).toArray(); // => [0, 1, 0, 2, 0]
 * embedRegion(tensor([7]), [3], { starts: [0], steps: [1], sizes: [1] }, zeros([3]).add(1)).toArray(); // => [7, 1, 1]
 * ```
 */
export function embedRegion(src: Tensor, shape: readonly number[], region: Region, base?: Tensor): Tensor {
  const b = base ?? fromStorage(backendOf(src).fill(shape, 0, src.dtype), shape, src.dtype);
  const cs = contiguousStrides(shape);
  let offset = 0;
  const strides = cs.map((s, i) => {
    offset += region.starts[i]! * s;
    return s * region.steps[i]!;
  });
  const out = fromStorage(backendOf(src).assignRegion(b, src, { offset, strides }), shape, src.dtype);
  const inputs = base ? [src, base] : [src];
  return record(out, 'embed', inputs, (g, needs) => [
    needs[0] ? regionView(g, region) : null,
    needs[1] ? embedRegion(fromStorage(backendOf(g).fill(src.shape, 0, g.dtype), src.shape, g.dtype), shape, region, g) : null,
  ]);
}

/**
 * Python-style indexing per axis: a number picks one index (dropping the axis), a string such as
 * `':'`, `'1:3'`, `'::-1'` or `'-2:'` slices, `null` keeps the whole axis, and `'...'` fills the
 * remaining axes. `x.slice(0, '1:3')` is PyTorch's `x[0, 1:3]`. An object `{ start, stop, step }`
 * is the same slice with computed bounds.
 *
 * @example
 * ```ts
 * import { arange, type SliceSpec } from '@difflab/tensor';
 * const x = arange(12).reshape([3, 4]);
 * const spec: SliceSpec[] = [{ start: 1 }, '::2'];
 * x.slice(...spec).toArray(); // => [[4, 6], [8, 10]]
 * ```
 */
export type SliceSpec =
  | number
  | string
  | null
  | {
      /** First index (negative counts from the end); default the start of the walk. */
      start?: number;
      /** Index to stop before; default past the end of the walk. */
      stop?: number;
      /** Step, non-zero (negative walks backwards); default 1. */
      step?: number;
    };

/**
 * Python-style basic indexing with one {@link SliceSpec} per leading axis; returns a view.
 * E.g. `slice(x, 0, '1:3')` is `x[0, 1:3]`, `slice(x, '...', -1)` is `x[..., -1]`.
 *
 * Out-of-range slice bounds clamp as in Python; integer indices must be in range. Axes without a spec
 * are kept whole. Advanced (array) indexing is {@link gather} / {@link takeAlongAxis}.
 *
 * @param x - Input tensor.
 * @param spec - Index, slice string / object, `null` or `'...'` per axis.
 * @returns A view; integer-indexed axes are dropped.
 * @throws {ShapeError} for an out-of-range index or too many specs.
 * @throws {ValueError} for an unparsable slice, a zero step, an array spec or a repeated `'...'`.
 *
 * @example
 * ```ts
 * import { slice, arange, ShapeError } from '@difflab/tensor';
 * const x = arange(12).reshape([3, 4]);
 * slice(x, 1).toArray(); // => [4, 5, 6, 7]
 * slice(x, '1:', '::-1').toArray(); // => [[7, 6, 5, 4], [11, 10, 9, 8]]
 * slice(x, '...', 0).toArray(); // => [0, 4, 8]
 * slice(x, null, '-2:').shape; // => [3, 2]
 * slice(x, 3); // throws ShapeError
 * ```
 */
export function slice(x: Tensor, ...spec: SliceSpec[]): Tensor {
  const ell = spec.indexOf('...');
  let full: SliceSpec[] = spec;
  if (ell >= 0) {
    if (spec.indexOf('...', ell + 1) >= 0) throw new ValueError(`slice: only one '...' allowed (tensor of shape ${fmtShape(x.shape)})`);
    const fill = x.ndim - (spec.length - 1);
    full = [...spec.slice(0, ell), ...new Array<SliceSpec>(Math.max(0, fill)).fill(null), ...spec.slice(ell + 1)];
  }
  if (full.length > x.ndim) throw new ShapeError(`slice: ${full.length} indices for a tensor of shape ${fmtShape(x.shape)}`);
  const starts: number[] = [];
  const steps: number[] = [];
  const sizes: number[] = [];
  const keep: boolean[] = [];
  for (let i = 0; i < x.ndim; i++) {
    const n = x.shape[i]!;
    const s = i < full.length ? full[i]! : null;
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < -n || s >= n)
        throw new ShapeError(`slice: index ${s} is out of range for axis ${i} of shape ${fmtShape(x.shape)}`);
      starts.push(s < 0 ? s + n : s);
      steps.push(1);
      sizes.push(1);
      keep.push(false);
      continue;
    }
    const { start, stop, step } = parseSlice(s, i, x.shape);
    const [a, len] = sliceRange(n, start, stop, step);
    starts.push(a);
    steps.push(step);
    sizes.push(len);
    keep.push(true);
  }
  const v = regionView(x, { starts, steps, sizes });
  return keep.every(Boolean) ? v : reshape(v, sizes.filter((_, i) => keep[i]));
}

function parseSlice(s: SliceSpec, axis: number, shape: readonly number[]): { start?: number; stop?: number; step: number } {
  if (s === null) return { step: 1 };
  // An array such as [0, 128] looks like an object spec with no start/stop and would silently
  // select everything; PyTorch users mean a range, which is spelled '0:128' here.
  if (Array.isArray(s))
    throw new ValueError(`slice: array index ${JSON.stringify(s)} on axis ${axis} of shape ${fmtShape(shape)} is not supported; write a range as '0:128' or {start, stop}`);
  if (typeof s === 'object') {
    const step = s.step ?? 1;
    if (!Number.isInteger(step) || step === 0)
      throw new ValueError(`slice: step must be a non-zero integer, got ${s.step} on axis ${axis} of shape ${fmtShape(shape)}`);
    return { start: s.start, stop: s.stop, step };
  }
  if (typeof s === 'string') {
    const parts = s.split(':');
    if (parts.length < 2 || parts.length > 3) throw new ValueError(`slice: cannot parse '${s}' for axis ${axis} of shape ${fmtShape(shape)}`);
    const num = (p: string | undefined) => {
      if (p === undefined || p.trim() === '') return undefined;
      const v = Number(p);
      if (!Number.isInteger(v)) throw new ValueError(`slice: cannot parse '${s}' for axis ${axis} of shape ${fmtShape(shape)}`);
      return v;
    };
    const step = num(parts[2]) ?? 1;
    if (step === 0) throw new ValueError(`slice: step must be non-zero in '${s}' for axis ${axis} of shape ${fmtShape(shape)}`);
    return { start: num(parts[0]), stop: num(parts[1]), step };
  }
  throw new ValueError(`slice: invalid index ${String(s)} for axis ${axis} of shape ${fmtShape(shape)}`);
}

/** Python's slice.indices: first index and length of start:stop:step over n elements. */
function sliceRange(n: number, start: number | undefined, stop: number | undefined, step: number): [number, number] {
  const clampIdx = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let a: number;
  let b: number;
  if (step > 0) {
    a = start === undefined ? 0 : clampIdx(start < 0 ? start + n : start, 0, n);
    b = stop === undefined ? n : clampIdx(stop < 0 ? stop + n : stop, 0, n);
    return [a, Math.max(0, Math.ceil((b - a) / step))];
  }
  a = start === undefined ? n - 1 : clampIdx(start < 0 ? start + n : start, -1, n - 1);
  b = stop === undefined ? -1 : clampIdx(stop < 0 ? stop + n : stop, -1, n - 1);
  const len = Math.max(0, Math.ceil((a - b) / -step));
  return [len === 0 ? 0 : a, len];
}

/**
 * Reverses the order along the given axes (all by default), like `torch.flip`; a view.
 *
 * @param x - Input tensor.
 * @param axis - Axis or axes to reverse; all when omitted.
 * @returns A view with negative strides on the flipped axes.
 * @throws {AxisError} for an out-of-range axis.
 *
 * @example
 * ```ts
 * import { flip, tensor } from '@difflab/tensor';
 * flip(tensor([[1, 2], [3, 4]])).toArray(); // => [[4, 3], [2, 1]]
 * flip(tensor([[1, 2], [3, 4]]), 0).toArray(); // => [[3, 4], [1, 2]]
 * ```
 */
export function flip(x: Tensor, axis?: Axis): Tensor {
  const axes = normalizeAxes('flip', axis, x.shape);
  return regionView(x, {
    starts: x.shape.map((n, i) => (axes.includes(i) && n > 0 ? n - 1 : 0)),
    steps: x.shape.map((_, i) => (axes.includes(i) ? -1 : 1)),
    sizes: x.shape,
  });
}

/**
 * Joins tensors along an existing axis (`torch.cat`). Shapes must agree elsewhere; dtypes are promoted.
 *
 * @param tensors - One or more tensors of equal rank.
 * @param axis - Axis to join along (default 0).
 * @returns A new tensor; its `axis` size is the sum of the inputs'.
 * @throws {ShapeError} when the shapes differ outside `axis`.
 * @throws {ValueError} for an empty list.
 *
 * @example
 * ```ts
 * import { concat, tensor, ShapeError } from '@difflab/tensor';
 * concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]).toArray(); // => [[1, 2], [3, 4], [5, 6]]
 * concat([tensor([[1], [2]]), tensor([[3], [4]])], 1).toArray(); // => [[1, 3], [2, 4]]
 * concat([tensor([[1, 2]]), tensor([[3]])]); // throws ShapeError
 * ```
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('concat: needs at least one tensor');
  const ts = asTensors('concat', ...tensors);
  const first = ts[0]!;
  const ax = normalizeAxis('concat', axis, first.ndim, first.shape);
  for (const t of ts) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => i !== ax && d !== first.shape[i]))
      throw new ShapeError(`concat: shapes ${ts.map((u) => fmtShape(u.shape)).join(', ')} differ outside axis ${ax}`);
  }
  const dt = ts.map((t) => t.dtype).reduce(promoteTypes);
  const shape = [...first.shape];
  shape[ax] = ts.reduce((n, t) => n + t.shape[ax]!, 0);
  let out: Tensor | undefined;
  let pos = 0;
  for (const t of ts) {
    const src = t.dtype === dt ? t : t.astype(dt);
    const region = { starts: shape.map((_, i) => (i === ax ? pos : 0)), steps: shape.map(() => 1), sizes: src.shape };
    out = embedRegion(src, shape, region, out);
    pos += t.shape[ax]!;
  }
  return out!;
}

/**
 * Joins same-shaped tensors along a new axis (`torch.stack`).
 *
 * @param tensors - One or more tensors of identical shape.
 * @param axis - Position of the new axis in the result (default 0).
 * @returns A tensor with one more axis, of size `tensors.length`.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for an empty list.
 *
 * @example
 * ```ts
 * import { stack, tensor } from '@difflab/tensor';
 * stack([tensor([1, 2]), tensor([3, 4])]).toArray(); // => [[1, 2], [3, 4]]
 * stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(); // => [[1, 3], [2, 4]]
 * ```
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('stack: needs at least one tensor');
  const s0 = tensors[0]!.shape;
  for (const t of tensors)
    if (!shapesEqual(t.shape, s0)) throw new ShapeError(`stack: all shapes must be equal, got ${tensors.map((u) => fmtShape(u.shape)).join(', ')}`);
  const ax = normalizeAxis('stack', axis, s0.length + 1, s0);
  return concat(tensors.map((t) => expandDims(t, ax)), ax);
}

/**
 * Splits into `sections` equal parts, or at the given sizes when an array is passed (`torch.split` style).
 *
 * Note the difference from PyTorch: a number is the count of parts (as `np.split`), not their size.
 * The parts are views of `x`.
 *
 * @param x - Input tensor.
 * @param sections - Number of equal parts, or the size of each part.
 * @param axis - Axis to split (default 0).
 * @returns The parts, in order.
 * @throws {ShapeError} when the axis does not divide evenly or the sizes do not add up.
 *
 * @example
 * ```ts
 * import { split, arange, ShapeError } from '@difflab/tensor';
 * split(arange(6), 3).map((t) => t.toArray()); // => [[0, 1], [2, 3], [4, 5]]
 * split(arange(5), [2, 3]).map((t) => t.toArray()); // => [[0, 1], [2, 3, 4]]
 * split(arange(5), 2); // throws ShapeError
 * ```
 */
export function split(x: Tensor, sections: number | readonly number[], axis = 0): Tensor[] {
  const ax = normalizeAxis('split', axis, x.ndim, x.shape);
  const n = x.shape[ax]!;
  let sizes: number[];
  if (typeof sections === 'number') {
    if (!Number.isInteger(sections) || sections <= 0 || n % sections !== 0)
      throw new ShapeError(`split: axis ${ax} of shape ${fmtShape(x.shape)} cannot be split into ${sections} equal parts`);
    sizes = new Array<number>(sections).fill(n / sections);
  } else {
    sizes = [...sections];
    if (sizes.reduce((a, b) => a + b, 0) !== n || sizes.some((s) => !Number.isInteger(s) || s < 0))
      throw new ShapeError(`split: sizes ${JSON.stringify(sizes)} do not add up to ${n} on axis ${ax} of shape ${fmtShape(x.shape)}`);
  }
  let pos = 0;
  return sizes.map((len) => {
    const region = {
      starts: x.shape.map((_, i) => (i === ax ? pos : 0)),
      steps: x.shape.map(() => 1),
      sizes: x.shape.map((d, i) => (i === ax ? len : d)),
    };
    pos += len;
    return regionView(x, region);
  });
}

/**
 * Constant padding: `pad(x, [[before, after], …])` per axis (missing trailing axes are not padded).
 *
 * Unlike `torch.nn.functional.pad`, widths run from the first axis, as in `np.pad`.
 *
 * @param x - Input tensor.
 * @param widths - `[before, after]` per leading axis, non-negative integers.
 * @param value - Fill value (default 0).
 * @returns A new tensor, each axis grown by `before + after`.
 * @throws {ShapeError} when there are more widths than axes.
 * @throws {ValueError} for negative or non-integer widths.
 *
 * @example
 * ```ts
 * import { pad, tensor } from '@difflab/tensor';
 * pad(tensor([1, 2]), [[1, 2]]).toArray(); // => [0, 1, 2, 0, 0]
 * pad(tensor([[1]]), [[0, 1], [1, 0]], 9).toArray(); // => [[9, 1], [9, 9]]
 * ```
 */
export function pad(x: Tensor, widths: readonly (readonly [number, number])[], value = 0): Tensor {
  if (widths.length > x.ndim) throw new ShapeError(`pad: ${widths.length} pad widths for a tensor of shape ${fmtShape(x.shape)}`);
  const w = x.shape.map((_, i) => widths[i] ?? [0, 0]);
  for (const [a, b] of w)
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0)
      throw new ValueError(`pad: widths must be non-negative integers, got ${JSON.stringify(widths)} for a tensor of shape ${fmtShape(x.shape)}`);
  const shape = x.shape.map((d, i) => d + w[i]![0] + w[i]![1]);
  const base = fromStorage(backendOf(x).fill(shape, value, x.dtype), shape, x.dtype);
  return embedRegion(x, shape, { starts: w.map((p) => p[0]), steps: shape.map(() => 1), sizes: x.shape }, base);
}

/**
 * Repeats the tensor `reps` times along each axis (NumPy's `tile`; `torch.tile`).
 *
 * When `reps` is longer than the rank, `x` gains leading axes; when shorter, leading axes repeat once.
 *
 * @param x - Input tensor.
 * @param reps - Repetitions per axis, aligned from the right.
 * @returns A new tensor of shape `x.shape[i] * reps[i]`.
 *
 * @example
 * ```ts
 * import { tile, tensor } from '@difflab/tensor';
 * tile(tensor([1, 2]), [2]).toArray(); // => [1, 2, 1, 2]
 * tile(tensor([1, 2]), [2, 1]).toArray(); // => [[1, 2], [1, 2]]
 * ```
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  const nd = Math.max(x.ndim, reps.length);
  const r = [...new Array<number>(nd - reps.length).fill(1), ...reps];
  const xs = reshape(x, [...new Array<number>(nd - x.ndim).fill(1), ...x.shape]);
  // Interleave a broadcast axis before each axis, then merge.
  const inter = reshape(xs, xs.shape.flatMap((d) => [1, d]));
  const big = broadcastTo(inter, xs.shape.flatMap((d, i) => [r[i]!, d]));
  return reshape(big, xs.shape.map((d, i) => d * r[i]!));
}
