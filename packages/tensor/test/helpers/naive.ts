/** Plain-JS reference implementations used by the property tests (no difflab code involved). */

export type Nested = number | Nested[];

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major multi-index of flat position `i`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d]! + idx[d]!;
  return i;
}

/** NumPy broadcast of two shapes, or null when incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const da = a[a.length - n + k] ?? 1;
    const db = b[b.length - n + k] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Value of a row-major array of `shape` at an index of the (broadcast) output shape. */
export function broadcastRead(data: ArrayLike<number>, shape: readonly number[], outIdx: readonly number[]): number {
  const lead = outIdx.length - shape.length;
  const idx = shape.map((d, k) => (d === 1 ? 0 : outIdx[lead + k]!));
  return data[ravel(idx, shape)]!;
}

/** Positions selected by Python's start:stop:step over n items, enumerated one by one. */
export function pySliceIndices(n: number, start: number | undefined, stop: number | undefined, step: number): number[] {
  const out: number[] = [];
  if (step > 0) {
    let s = start === undefined ? 0 : start < 0 ? start + n : start;
    let e = stop === undefined ? n : stop < 0 ? stop + n : stop;
    s = Math.min(Math.max(s, 0), n);
    e = Math.min(Math.max(e, 0), n);
    for (let i = s; i < e; i += step) out.push(i);
  } else {
    let s = start === undefined ? n - 1 : start < 0 ? start + n : start;
    let e = stop === undefined ? -1 : stop < 0 ? stop + n : stop;
    s = Math.min(Math.max(s, -1), n - 1);
    e = Math.min(Math.max(e, -1), n - 1);
    for (let i = s; i > e; i += step) out.push(i);
  }
  return out;
}
