import type { View } from '../types.js';
import { forEachRun, gatherView } from './strided.js';

type Arr = { [i: number]: number; length: number };

function outerInner(shape: readonly number[], axis: number): [number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, inner];
}

function contiguousCopy(v: View): Arr {
  let n = 1;
  for (const d of v.shape) n *= d;
  const out = new Float64Array(n);
  gatherView(v, out);
  return out;
}

export function gatherKernel(x: View, indices: View, axis: number, out: Arr): void {
  const src = contiguousCopy(x);
  const idx = contiguousCopy(indices);
  const [outer, inner] = outerInner(x.shape, axis);
  const n = x.shape[axis]!;
  const m = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < m; i++) {
      const s = (o * n + idx[i]!) * inner;
      const d = (o * m + i) * inner;
      for (let j = 0; j < inner; j++) out[d + j] = src[s + j]!;
    }
  }
}

export function scatterAddKernel(src: View, indices: View, axis: number, outShape: readonly number[], out: Arr): void {
  const s = contiguousCopy(src);
  const idx = contiguousCopy(indices);
  const [outer, inner] = outerInner(outShape, axis);
  const n = outShape[axis]!;
  const m = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < m; i++) {
      const d = (o * n + idx[i]!) * inner;
      const q = (o * m + i) * inner;
      for (let j = 0; j < inner; j++) out[d + j] += s[q + j]!;
    }
  }
}

export function assignRegionKernel(base: View, src: View, region: { offset: number; strides: readonly number[] }, out: Arr): void {
  gatherView(base, out);
  const sd = src.storage.data as Arr;
  forEachRun(src.shape, [src, { strides: region.strides, offset: region.offset }], (_o, offs, inner, st) => {
    let p = offs[0]!;
    let q = offs[1]!;
    for (let j = 0; j < inner; j++, p += st[0]!, q += st[1]!) out[q] = sd[p]!;
  });
}

export function cumsumKernel(x: View, axis: number, reverse: boolean, out: Arr): void {
  const src = contiguousCopy(x);
  const [outer, inner] = outerInner(x.shape, axis);
  const n = x.shape[axis]!;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = 0;
      for (let t = 0; t < n; t++) {
        const k = reverse ? n - 1 - t : t;
        const p = (o * n + k) * inner + j;
        acc += src[p]!;
        out[p] = acc;
      }
    }
  }
}

/** Stable sort of each last-axis row; NaN sorts last ascending (first descending), as in NumPy/PyTorch. */
export function sortKernel(x: View, descending: boolean, values: Arr, indices: Arr): void {
  const src = contiguousCopy(x);
  const n = x.shape.length ? x.shape[x.shape.length - 1]! : 1;
  const rows = n === 0 ? 0 : src.length / n;
  const order = new Array<number>(n);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((i, j) => {
      const a = src[base + i]!;
      const b = src[base + j]!;
      const an = Number.isNaN(a);
      const bn = Number.isNaN(b);
      if (an || bn) return an && bn ? i - j : an ? (descending ? -1 : 1) : descending ? 1 : -1;
      const c = descending ? b - a : a - b;
      return c !== 0 ? c : i - j;
    });
    for (let i = 0; i < n; i++) {
      values[base + i] = src[base + order[i]!]!;
      indices[base + i] = order[i]!;
    }
  }
}
