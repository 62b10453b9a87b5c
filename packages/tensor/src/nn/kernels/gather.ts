import type { Backend, Storage, View } from '../../backend/types.js';
import { isContiguous } from '../../backend/cpu/strided.js';
import { contiguousStrides } from '../../shape.js';
import type { Im2colGeometry } from './types.js';

/**
 * Fallback for devices that register no `nn.unfold` / `nn.fold` kernel and cannot be read
 * synchronously: im2col is a `gather` of the zero-padded image along its flattened spatial axis with a
 * host-built index table, and col2im the matching `scatterAdd` (which accumulates overlaps). Only core
 * kernels run, so the data stays on the device.
 */

function paddedSize(g: Im2colGeometry): [number, number] {
  return [g.inputSize[0] + g.padding[0] + g.padding[1], g.inputSize[1] + g.padding[2] + g.padding[3]];
}

/** idx[(ki·kw + kj)·L + oy·ow + ox] = flat position of that window element in the padded image. */
function indexTable(g: Im2colGeometry): Int32Array {
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [oh, ow] = g.outputSize;
  const wp = paddedSize(g)[1];
  const idx = new Int32Array(kh * kw * oh * ow);
  let i = 0;
  for (let ki = 0; ki < kh; ki++)
    for (let kj = 0; kj < kw; kj++)
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++) idx[i++] = (oy * sh + ki * dh) * wp + ox * sw + kj * dw;
  return idx;
}

function view(storage: Storage, shape: readonly number[], strides = contiguousStrides(shape), offset = 0): View {
  return { storage, dtype: storage.dtype, shape, strides, offset };
}

function hasPadding(g: Im2colGeometry): boolean {
  return g.padding.some((p) => p !== 0);
}

export function unfoldViaGather(backend: Backend, x: View, g: Im2colGeometry): Storage {
  const [n, c] = x.shape as [number, number];
  const [hp, wp] = paddedSize(g);
  const temps: Storage[] = [];
  let img: Storage;
  if (hasPadding(g)) {
    const zero = backend.fill([n, c, hp, wp], 0, x.dtype);
    temps.push(zero);
    const off = g.padding[0] * wp + g.padding[2];
    img = backend.assignRegion(view(zero, [n, c, hp, wp]), x, { offset: off, strides: [c * hp * wp, hp * wp, wp, 1] });
    temps.push(img);
  } else if (isContiguous(x)) {
    img = x.storage;
  } else {
    img = backend.copy(x);
    temps.push(img);
  }
  const idx = backend.fromHost(indexTable(g), 'int32');
  temps.push(idx);
  const offset = img === x.storage ? x.offset : 0;
  const out = backend.gather(view(img, [n, c, hp * wp], undefined, offset), view(idx, [idx.size]), 2);
  for (const t of temps) backend.free(t);
  return out;
}

export function foldViaScatter(backend: Backend, cols: View, g: Im2colGeometry): Storage {
  const [n, rows, L] = cols.shape as [number, number, number];
  const k = g.kernel[0] * g.kernel[1];
  const c = rows / k;
  const [h, w] = g.inputSize;
  const [hp, wp] = paddedSize(g);
  const temps: Storage[] = [];
  let src: View = cols;
  if (!isContiguous(cols)) {
    const copy = backend.copy(cols);
    temps.push(copy);
    src = view(copy, cols.shape);
  }
  const idx = backend.fromHost(indexTable(g), 'int32');
  temps.push(idx);
  const flat = view(src.storage, [n, c, k * L], undefined, src.offset);
  const padded = backend.scatterAdd(flat, view(idx, [idx.size]), 2, [n, c, hp * wp]);
  let out = padded;
  if (hasPadding(g)) {
    out = backend.copy(view(padded, [n, c, h, w], [c * hp * wp, hp * wp, wp, 1], g.padding[0] * wp + g.padding[2]));
    temps.push(padded);
  }
  for (const t of temps) backend.free(t);
  return out;
}
