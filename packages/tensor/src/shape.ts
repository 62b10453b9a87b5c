import { AxisError, ShapeError, ValueError, fmtShape } from './errors.js';

/**
 * A tensor shape: the size of each axis (`[]` for a scalar).
 *
 * @example
 * ```ts
 * import { ones, type Shape } from '@difflab/tensor';
 * const s: Shape = ones([2, 3]).shape;
 * s; // => [2, 3]
 * ```
 */
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function assertValidShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw new ValueError(`${op}: shape must be an array of non-negative integers, got ${String(shape)}`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0)
      // String(), not JSON: JSON would print NaN and Infinity as null and hide the bad entry.
      throw new ValueError(`${op}: invalid shape [${shape.map(String).join(', ')}]: sizes must be finite non-negative integers`);
  }
  return shape.slice() as number[];
}

/**
 * The shape that NumPy broadcasting of any number of shapes gives (`np.broadcast_shapes`).
 *
 * Shapes align from the right; on each axis the sizes must be equal or 1.
 *
 * @param op - Name of the calling op, used in the error message.
 * @param shapes - The shapes to broadcast together.
 * @returns The broadcast shape (a fresh array).
 * @throws {ShapeError} when two sizes on one axis differ and neither is 1.
 *
 * @example
 * ```ts
 * import { broadcastShapes } from '@difflab/tensor';
 * broadcastShapes('myOp', [3, 1], [4]); // => [3, 4]
 * broadcastShapes('myOp', [2], [3]); // throws ShapeError
 * ```
 */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = nd - s.length + i;
      const d = s[i]!;
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o])
        throw new ShapeError(`${op}: shapes ${shapes.map(fmtShape).join(' and ')} cannot be broadcast together`);
    }
  }
  return out;
}

/** Normalises a possibly negative axis; throws AxisError naming the op and shape. */
export function normalizeAxis(op: string, axis: number, ndim: number, shape?: Shape): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const where = shape ? ` for a tensor of shape ${fmtShape(shape)}` : ` for ndim ${ndim}`;
    throw new AxisError(`${op}: axis ${axis} is out of range${where}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalises an axis argument (undefined = all axes); sorted and de-duplicated-checked. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined | null, shape: Shape): number[] {
  const ndim = shape.length;
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, ndim, shape));
  if (new Set(out).size !== out.length) throw new AxisError(`${op}: repeated axis in ${JSON.stringify(list)} for shape ${fmtShape(shape)}`);
  return out.sort((a, b) => a - b);
}

/** Shape after reducing `axes` (kept as 1 when keepdims). */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}

/** Axes along which `from` was broadcast to reach `to` (for summing gradients back). */
export function broadcastReductionAxes(from: Shape, to: Shape): { axes: number[]; lead: number } {
  const lead = to.length - from.length;
  const axes: number[] = [];
  for (let i = 0; i < to.length; i++) {
    if (i < lead) axes.push(i);
    else if (from[i - lead] === 1 && to[i] !== 1) axes.push(i);
  }
  return { axes, lead };
}

/**
 * Strides that present a strided view of `shape` as `target` (same size) without moving data, or
 * null when the layout does not allow it (NumPy's no-copy reshape). Groups of old axes that merge
 * or split must be laid out contiguously relative to each other; size-1 axes are free.
 */
export function reshapeStrides(shape: Shape, strides: readonly number[], target: Shape): number[] | null {
  if (sizeOf(shape) === 0) return contiguousStrides(target);
  const od: number[] = [];
  const os: number[] = [];
  shape.forEach((d, i) => {
    if (d !== 1) {
      od.push(d);
      os.push(strides[i]!);
    }
  });
  const out = new Array<number | undefined>(target.length).fill(undefined);
  let oi = 0;
  let ni = 0;
  while (oi < od.length && ni < target.length) {
    if (target[ni] === 1) {
      ni++;
      continue;
    }
    let oj = oi + 1;
    let nj = ni + 1;
    let op = od[oi]!;
    let np = target[ni]!;
    while (op !== np) {
      if (np < op) np *= target[nj++]!;
      else op *= od[oj++]!;
    }
    for (let k = oi; k < oj - 1; k++) if (os[k] !== od[k + 1]! * os[k + 1]!) return null;
    let s = os[oj - 1]!;
    for (let k = nj - 1; k >= ni; k--) {
      out[k] = s;
      s *= target[k]!;
    }
    oi = oj;
    ni = nj;
  }
  // Size-1 axes can take any stride; give them the row-major value so the view looks natural.
  for (let k = target.length - 1; k >= 0; k--) if (out[k] === undefined) out[k] = k + 1 < target.length ? out[k + 1]! * target[k + 1]! : 1;
  return out as number[];
}
