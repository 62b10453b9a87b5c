import type { ArgReduceOp, ReduceOp, View } from '../types.js';
import { forEachRun } from './strided.js';

type Arr = { [i: number]: number; length: number };

/** Splits a view into (kept dims, reduced dims) sub-views sharing storage. */
function split(x: View, axes: readonly number[]) {
  const keptShape: number[] = [];
  const keptStrides: number[] = [];
  const redShape: number[] = [];
  const redStrides: number[] = [];
  for (let i = 0; i < x.shape.length; i++) {
    if (axes.includes(i)) {
      redShape.push(x.shape[i]!);
      redStrides.push(x.strides[i]!);
    } else {
      keptShape.push(x.shape[i]!);
      keptStrides.push(x.strides[i]!);
    }
  }
  return { keptShape, keptStrides, redShape, redStrides };
}

const INIT: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

export function reduceKernel(op: ReduceOp, x: View, axes: readonly number[], out: Arr): void {
  const src = x.storage.data as Arr;
  const { keptShape, keptStrides, redShape, redStrides } = split(x, axes);
  const init = INIT[op];
  let redSize = 1;
  for (const d of redShape) redSize *= d;
  const nOut = out.length;
  // Accumulate in a float64 scratch so float32 sums are at least as accurate as PyTorch's.
  const acc = new Float64Array(nOut).fill(init);
  if (redSize > 0) {
    // Walk the kept dims outermost; for each output, walk every reduced element.
    const kept = { strides: keptStrides, offset: x.offset };
    forEachRun(keptShape, [kept], (o, offs, inner, st) => {
      for (let j = 0; j < inner; j++) {
        const base = offs[0]! + j * st[0]!;
        let a = init;
        forEachRun(redShape, [{ strides: redStrides, offset: base }], (_r, roffs, rin, rst) => {
          let p = roffs[0]!;
          const s = rst[0]!;
          switch (op) {
            case 'sum':
              for (let k = 0; k < rin; k++, p += s) a += src[p]!;
              break;
            case 'prod':
              for (let k = 0; k < rin; k++, p += s) a *= src[p]!;
              break;
            case 'max':
              for (let k = 0; k < rin; k++, p += s) {
                const v = src[p]!;
                if (v > a || Number.isNaN(v)) a = Number.isNaN(a) ? a : v;
              }
              break;
            case 'min':
              for (let k = 0; k < rin; k++, p += s) {
                const v = src[p]!;
                if (v < a || Number.isNaN(v)) a = Number.isNaN(a) ? a : v;
              }
              break;
          }
        });
        acc[o + j] = a;
      }
    });
  }
  for (let i = 0; i < nOut; i++) out[i] = acc[i]!;
}

/** First index of the max/min along `axis` (NaN counts as the extreme, as in NumPy). */
export function argReduceKernel(op: ArgReduceOp, x: View, axis: number, out: Arr): void {
  const src = x.storage.data as Arr;
  const { keptShape, keptStrides } = split(x, [axis]);
  const n = x.shape[axis]!;
  const s = x.strides[axis]!;
  const isMax = op === 'argmax';
  forEachRun(keptShape, [{ strides: keptStrides, offset: x.offset }], (o, offs, inner, st) => {
    for (let j = 0; j < inner; j++) {
      let p = offs[0]! + j * st[0]!;
      let best = src[p]!;
      let bi = 0;
      for (let k = 1; k < n && !Number.isNaN(best); k++) {
        p += s;
        const v = src[p]!;
        if (Number.isNaN(v) || (isMax ? v > best : v < best)) {
          best = v;
          bi = k;
        }
      }
      out[o + j] = bi;
    }
  });
}
