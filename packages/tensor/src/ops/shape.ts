import { record } from '../autodiff/graph.js';
import { AxisError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { assertValidShape, broadcastReductionAxes, broadcastShapes, contiguousStrides, normalizeAxes, normalizeAxis, reshapeStrides, shapesEqual, sizeOf } from '../shape.js';
import type { Axis, Tensor } from '../tensor.js';
import { promoteTypes } from '../dtype.js';
import { backendOf, fromStorage, viewOf, asTensors } from './core.js';
import { sum } from './reduce.js';
import { isContiguousView } from './layout.js';

/** Contiguous copy when `x` is a strided view; otherwise `x` itself. */
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

/** Same data, new shape (one dim may be -1). A view when the layout allows, otherwise a copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = resolveShape('reshape', x, shape);
  const strides = reshapeStrides(x.shape, x.strides, target);
  const src = strides ? x : contiguous(x);
  const out = viewOf(src, target, strides ?? contiguousStrides(target), src.offset);
  return record(out, 'reshape', [src], (g) => [reshape(g, src.shape)]);
}

/** Reorders axes; default reverses them (NumPy's transpose). A view, no copy. */
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

/** Reorders axes by `axes` ({@link transpose} with explicit axes). */
export const permute = (x: Tensor, axes: readonly number[]): Tensor => transpose(x, axes);

/** Swaps two axes (`torch.swapaxes`); handy for matrix transposes of batched tensors. */
export function swapAxes(x: Tensor, a: number, b: number): Tensor {
  const perm = x.shape.map((_, i) => i);
  const i = normalizeAxis('swapAxes', a, x.ndim, x.shape);
  const j = normalizeAxis('swapAxes', b, x.ndim, x.shape);
  perm[i] = j;
  perm[j] = i;
  return transpose(x, perm);
}

/** Inserts a size-1 axis at position `axis` (negative counts from the end of the result). */
export function expandDims(x: Tensor, axis: number): Tensor {
  const ax = normalizeAxis('expandDims', axis, x.ndim + 1, x.shape);
  const shape = [...x.shape];
  shape.splice(ax, 0, 1);
  return reshape(x, shape);
}

/** Removes size-1 axes: all of them, or those in `axis` (which must have size 1). */
export function squeeze(x: Tensor, axis?: Axis): Tensor {
  const axes = axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axis, x.shape);
  for (const a of axes)
    if (x.shape[a] !== 1) throw new ShapeError(`squeeze: axis ${a} of shape ${fmtShape(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
}

/** Broadcasts to `shape` with NumPy rules; a stride-0 view. */
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

/** Region of a tensor selected per axis by start and step, keeping rank. */
export interface Region {
  /** First index of the region on each axis. */
  starts: readonly number[];
  /** Step on each axis (negative walks backwards; never 0). */
  steps: readonly number[];
  /** Number of elements taken on each axis (the region's shape). */
  sizes: readonly number[];
}

/** Strided view of `x` over `region` (a primitive; its transpose is {@link embedRegion}). */
export function regionView(x: Tensor, region: Region): Tensor {
  let offset = x.offset;
  const strides = x.strides.map((s, i) => {
    offset += region.starts[i]! * s;
    return s * region.steps[i]!;
  });
  const out = viewOf(x, region.sizes, strides, offset);
  return record(out, 'slice', [x], (g) => [embedRegion(g, x.shape, region)]);
}

/** zeros(shape) with `src` written into `region`, optionally over a `base` tensor instead of zeros. */
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
 * remaining axes. `x.slice(0, '1:3')` is PyTorch's `x[0, 1:3]`.
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

/** Reverses the order along the given axes (all by default). */
export function flip(x: Tensor, axis?: Axis): Tensor {
  const axes = normalizeAxes('flip', axis, x.shape);
  return regionView(x, {
    starts: x.shape.map((n, i) => (axes.includes(i) && n > 0 ? n - 1 : 0)),
    steps: x.shape.map((_, i) => (axes.includes(i) ? -1 : 1)),
    sizes: x.shape,
  });
}

/** Joins tensors along an existing axis. Shapes must agree elsewhere; dtypes are promoted. */
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

/** Joins same-shaped tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('stack: needs at least one tensor');
  const s0 = tensors[0]!.shape;
  for (const t of tensors)
    if (!shapesEqual(t.shape, s0)) throw new ShapeError(`stack: all shapes must be equal, got ${tensors.map((u) => fmtShape(u.shape)).join(', ')}`);
  const ax = normalizeAxis('stack', axis, s0.length + 1, s0);
  return concat(tensors.map((t) => expandDims(t, ax)), ax);
}

/** Splits into `sections` equal parts, or at the given sizes when an array is passed (`torch.split` style). */
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

/** Constant padding: `pad(x, [[before, after], …])` per axis (missing trailing axes are not padded). */
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

/** Repeats the tensor `reps` times along each axis (NumPy's tile). */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  const nd = Math.max(x.ndim, reps.length);
  const r = [...new Array<number>(nd - reps.length).fill(1), ...reps];
  const xs = reshape(x, [...new Array<number>(nd - x.ndim).fill(1), ...x.shape]);
  // Interleave a broadcast axis before each axis, then merge.
  const inter = reshape(xs, xs.shape.flatMap((d) => [1, d]));
  const big = broadcastTo(inter, xs.shape.flatMap((d, i) => [r[i]!, d]));
  return reshape(big, xs.shape.map((d, i) => d * r[i]!));
}
