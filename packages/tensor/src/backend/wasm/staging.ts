import type { View } from '../types.js';
import { gatherView, viewSize } from '../cpu/strided.js';
import type { KernelInstance } from './module.js';

/** A view copied into kernel memory: byte address of element [0, ..., 0] and element strides. */
export interface Staged {
  ptr: number;
  strides: number[];
}

type FloatArray = Float32Array | Float64Array;

/**
 * Copies a float view into the arena. When the view covers its storage span densely enough
 * (contiguous, transposed, broadcast along an axis) the raw span is copied with one memcpy and
 * the view's own strides are kept, so transposes and broadcasts cost nothing extra; otherwise it
 * is gathered to row-major. Null when the memory cannot grow enough.
 */
export function stageView(inst: KernelInstance, x: View): Staged | null {
  const es = x.dtype === 'float64' ? 8 : 4;
  const size = viewSize(x);
  let lo = x.offset;
  let hi = x.offset;
  for (let d = 0; d < x.shape.length; d++) {
    const e = (x.shape[d]! - 1) * x.strides[d]!;
    if (e < 0) lo += e;
    else hi += e;
  }
  const span = size === 0 ? 0 : hi - lo + 1;
  const data = x.storage.data as FloatArray;
  const Ctor = es === 8 ? Float64Array : Float32Array;
  if (span <= 2 * size + 64) {
    const p = inst.alloc(span * es);
    if (p === null) return null;
    if (span) new Ctor(inst.buffer, p, span).set(data.subarray(lo, hi + 1));
    return { ptr: p + (x.offset - lo) * es, strides: x.strides.slice() };
  }
  const p = inst.alloc(size * es);
  if (p === null) return null;
  gatherView(x, new Ctor(inst.buffer, p, size));
  const strides = new Array<number>(x.shape.length);
  for (let d = x.shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= x.shape[d]!;
  }
  return { ptr: p, strides };
}

/** Copies `n` elements at byte address `ptr` of kernel memory into `out`. */
export function unstage(inst: KernelInstance, ptr: number, out: FloatArray, n: number): void {
  const Ctor = out instanceof Float64Array ? Float64Array : Float32Array;
  out.set(new Ctor(inst.buffer, ptr, n));
}
