import type { View } from '../types.js';

/** True when the view covers its storage region densely in row-major order. */
export function isContiguous(v: { shape: readonly number[]; strides: readonly number[] }): boolean {
  let expected = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const d = v.shape[i]!;
    if (d !== 1 && v.strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

export function viewSize(v: { shape: readonly number[] }): number {
  let n = 1;
  for (const d of v.shape) n *= d;
  return n;
}

/**
 * Calls `body(outIndex, offsets)` for every element of `shape` in row-major order, where
 * `offsets[k]` is the storage offset of that element in view k. The innermost dimension is
 * handed over as a run (`inner`, `innerStrides`) so callers can write tight loops.
 */
export function forEachRun(
  shape: readonly number[],
  views: readonly { strides: readonly number[]; offset: number }[],
  body: (outStart: number, offsets: number[], inner: number, innerStrides: number[]) => void,
): void {
  const nd = shape.length;
  const nv = views.length;
  const offsets = views.map((v) => v.offset);
  if (nd === 0) {
    body(0, offsets, 1, views.map(() => 0));
    return;
  }
  const inner = shape[nd - 1]!;
  const innerStrides = views.map((v) => v.strides[nd - 1]!);
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  const outer = total / inner;
  const idx = new Array<number>(nd).fill(0);
  let out = 0;
  for (let r = 0; r < outer; r++) {
    body(out, offsets, inner, innerStrides);
    out += inner;
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < nv; k++) offsets[k]! += views[k]!.strides[d]!;
      if (idx[d]! < shape[d]!) break;
      for (let k = 0; k < nv; k++) offsets[k]! -= views[k]!.strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** Copies a (possibly strided) view into `out` contiguously, converting values with `conv`. */
export function gatherView(v: View, out: { [i: number]: number }, conv?: (x: number) => number): void {
  const src = v.storage.data as ArrayLike<number>;
  if (isContiguous(v) && !conv && out instanceof Object && 'set' in out && ArrayBuffer.isView(src)) {
    const n = viewSize(v);
    (out as unknown as Float64Array).set((src as Float64Array).subarray(v.offset, v.offset + n));
    return;
  }
  forEachRun(v.shape, [v], (o, offs, inner, st) => {
    let p = offs[0]!;
    const s = st[0]!;
    if (conv) for (let j = 0; j < inner; j++, p += s) out[o + j] = conv(src[p]!);
    else for (let j = 0; j < inner; j++, p += s) out[o + j] = src[p]!;
  });
}
