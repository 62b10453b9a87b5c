import type { View } from '@difflab/tensor';
import { wgslType, wgslZero } from '../dtype.js';
import { sizeOf } from '../layout.js';
import { Runtime } from '../runtime.js';
import { MetaWriter, mainHeader, metaDecl, storageDecl } from '../wgsl/prelude.js';
import { aroundAxisOffsets, viewOffset } from '../wgsl/index.js';
import type { DeviceView, KernelContext } from './context.js';
import { sortBuffers } from './sort.js';

const WG = 256;
/** Up to this many indices scatterAdd scans them all per output; beyond, it sorts them first. */
const DIRECT_SCAN = 32;

function outerInner(shape: readonly number[], axis: number): [number, number] {
  return [sizeOf(shape.slice(0, axis)), sizeOf(shape.slice(axis + 1))];
}

/**
 * out[o, i, j] = x[o, idx[i], j]. Negative indices count from the end (the tensor layer only wraps
 * them for CPU index tensors); an index still out of range reads 0, since a device kernel cannot
 * raise an error without reading the indices back.
 */
export function gatherKernel(ctx: KernelContext, xv: View, iv: View, axis: number): GPUBuffer {
  const x = ctx.input(xv);
  const idx = ctx.input(iv);
  const m = sizeOf(idx.shape);
  const n = x.shape[axis]!;
  const [outer, inner] = outerInner(x.shape, axis);
  const total = outer * m * inner;
  const out = ctx.output(total);
  if (total === 0) return out;
  const t = wgslType(x.dtype);
  const meta = new MetaWriter();
  meta.u(total);
  const mK = meta.u(m);
  const innerK = meta.u(inner);
  const nK = meta.i(n);
  const sK = meta.i(x.strides[axis]!);
  const { ob, ib } = aroundAxisOffsets(meta, x, axis);
  const xi = viewOffset(meta, idx, 'i', 'xi');
  const zero = wgslZero(t);
  const code = `${metaDecl(meta.words.length)}
${storageDecl(1, 'dst', t, true)}
${storageDecl(2, 'src', t, false)}
${storageDecl(3, 'ind', 'i32', false)}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  let j = gi % mu(${innerK}u);
  let i = (gi / mu(${innerK}u)) % mu(${mK}u);
  let o = gi / (mu(${innerK}u) * mu(${mK}u));
  ${xi}
  var k = ind[u32(xi)];
  if (k < 0) { k = k + mi(${nK}u); }
  if ((k < 0) || (k >= mi(${nK}u))) { dst[gi] = ${zero}; return; }
  ${ob}
  ${ib}
  dst[gi] = src[u32(ob + ib + k * mi(${sK}u))];
}`;
  ctx.rt.dispatch(code, 'wrr', meta.words, [out, x.buffer, idx.buffer], Runtime.grid(Math.ceil(total / WG)));
  return out;
}

/** Contiguous int32 copy of an index view with negative entries wrapped by `n`. */
function wrappedIndices(ctx: KernelContext, idx: DeviceView, n: number): GPUBuffer {
  const m = sizeOf(idx.shape);
  const out = ctx.output(m);
  const meta = new MetaWriter();
  meta.u(m);
  const nK = meta.i(n);
  const xi = viewOffset(meta, idx, 'gi', 'xi');
  const code = `${metaDecl(meta.words.length)}
${storageDecl(1, 'dst', 'i32', true)}
${storageDecl(2, 'ind', 'i32', false)}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  ${xi}
  let k = ind[u32(xi)];
  dst[gi] = select(k, k + mi(${nK}u), k < 0);
}`;
  ctx.rt.dispatch(code, 'wr', meta.words, [out, idx.buffer], Runtime.grid(Math.ceil(m / WG)));
  return out;
}

/**
 * out = zeros(outShape); out[o, idx[i], j] += src[o, i, j]. Deterministic without float atomics:
 * each output element sums its own contributions in increasing i, the CPU backend's order. With few
 * indices every output scans them all; otherwise the indices are sorted once (stable bitonic sort,
 * keys = index, payload = position) and each output binary-searches its segment.
 */
export function scatterAddKernel(
  ctx: KernelContext,
  sv: View,
  iv: View,
  axis: number,
  outShape: readonly number[],
): GPUBuffer {
  const src = ctx.input(sv);
  const idx = ctx.input(iv);
  const m = sizeOf(idx.shape);
  const n = outShape[axis]!;
  const [outer, inner] = outerInner(outShape, axis);
  const total = outer * n * inner;
  const out = ctx.output(total);
  if (total === 0) return out;
  if (m === 0) {
    ctx.rt.clear(out, total * 4);
    return out;
  }
  const t = wgslType(src.dtype);
  const keys = wrappedIndices(ctx, idx, n);
  const sorted = m > DIRECT_SCAN;
  const [sk, perm] = sorted
    ? sortBuffers(ctx, { buffer: keys, dtype: 'int32', shape: [1, m], strides: [m, 1], offset: 0 }, false)
    : [keys, keys];
  const meta = new MetaWriter();
  meta.u(total);
  const mK = meta.u(m);
  const nK = meta.u(n);
  const innerK = meta.u(inner);
  // src viewed as [outer, m, inner]; strides of the two outer parts come from the view itself.
  const sAxis = meta.i(src.strides[axis]!);
  const { ob, ib } = aroundAxisOffsets(meta, src, axis);
  const zero = wgslZero(t);
  const loop = sorted
    ? `let lo = lowerBound(i32(k));
  let hi = lowerBound(i32(k) + 1);
  for (var p = lo; p < hi; p++) { acc = acc + src[u32(ob + ib + perm[p] * mi(${sAxis}u))]; }`
    : `for (var p = 0u; p < mu(${mK}u); p++) {
    if (keys[p] == i32(k)) { acc = acc + src[u32(ob + ib + i32(p) * mi(${sAxis}u))]; }
  }`;
  const code = `${metaDecl(meta.words.length)}
${storageDecl(1, 'dst', t, true)}
${storageDecl(2, 'src', t, false)}
${storageDecl(3, 'keys', 'i32', false)}
${storageDecl(4, 'perm', 'i32', false)}
fn lowerBound(v: i32) -> u32 {
  var lo = 0u;
  var hi = mu(${mK}u);
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    if (keys[mid] < v) { lo = mid + 1u; } else { hi = mid; }
  }
  return lo;
}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  let j = gi % mu(${innerK}u);
  let k = (gi / mu(${innerK}u)) % mu(${nK}u);
  let o = gi / (mu(${innerK}u) * mu(${nK}u));
  ${ob}
  ${ib}
  var acc: ${t} = ${zero};
  ${loop}
  dst[gi] = acc;
}`;
  ctx.rt.dispatch(code, 'wrrr', meta.words, [out, src.buffer, sk, perm], Runtime.grid(Math.ceil(total / WG)));
  ctx.scratch(keys);
  if (sorted) {
    ctx.scratch(sk);
    ctx.scratch(perm);
  }
  return out;
}
