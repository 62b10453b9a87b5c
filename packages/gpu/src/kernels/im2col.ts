import type { View } from '@difflab/tensor';
import { wgslType, wgslZero } from '../dtype.js';
import { Runtime } from '../runtime.js';
import { MetaWriter, mainHeader, metaDecl, storageDecl } from '../wgsl/prelude.js';
import type { KernelContext } from './context.js';

const WG = 256;

/** Window geometry of `Backend.kernels['nn.unfold' | 'nn.fold']` (see @difflab/tensor's nn kernels). */
export interface Im2colGeometry {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: readonly [number, number, number, number];
  readonly inputSize: readonly [number, number];
  readonly outputSize: readonly [number, number];
}

function geometryMeta(meta: MetaWriter, g: Im2colGeometry, c: number): void {
  // Word order: C, kh, kw, sh, sw, dh, dw, padTop, padLeft, H, W, oh, ow (after the element count).
  meta.u(c);
  meta.u(g.kernel[0]);
  meta.u(g.kernel[1]);
  meta.i(g.stride[0]);
  meta.i(g.stride[1]);
  meta.i(g.dilation[0]);
  meta.i(g.dilation[1]);
  meta.i(g.padding[0]);
  meta.i(g.padding[2]);
  meta.i(g.inputSize[0]);
  meta.i(g.inputSize[1]);
  meta.u(g.outputSize[0]);
  meta.u(g.outputSize[1]);
}

const GEOMETRY = `let C = mu(1u); let kh = mu(2u); let kw = mu(3u);
  let sh = mi(4u); let sw = mi(5u); let dh = mi(6u); let dw = mi(7u);
  let pt = mi(8u); let pl = mi(9u); let H = mi(10u); let W = mi(11u);
  let oh = mu(12u); let ow = mu(13u);`;

/** im2col: [N, C, H, W] (any strides) -> [N, C·kh·kw, oh·ow], zeros where a window covers padding. */
export function unfoldKernel(ctx: KernelContext, xv: View, g: Im2colGeometry): { buffer: GPUBuffer; size: number } {
  const x = ctx.input(xv);
  const [n, c] = x.shape as [number, number];
  const L = g.outputSize[0] * g.outputSize[1];
  const total = n * c * g.kernel[0] * g.kernel[1] * L;
  const buffer = ctx.output(total);
  if (total === 0) return { buffer, size: 0 };
  const t = wgslType(x.dtype);
  const meta = new MetaWriter();
  meta.u(total);
  geometryMeta(meta, g, c);
  meta.i(x.offset);
  x.strides.forEach((s) => meta.i(s));
  const code = `${metaDecl(meta.words.length)}
${storageDecl(1, 'dst', t, true)}
${storageDecl(2, 'src', t, false)}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  ${GEOMETRY}
  let L = oh * ow;
  let col = gi % L;
  let row = (gi / L) % (C * kh * kw);
  let b = gi / (L * C * kh * kw);
  let ch = row / (kh * kw);
  let ki = i32((row / kw) % kh);
  let kj = i32(row % kw);
  let iy = i32(col / ow) * sh + ki * dh - pt;
  let ix = i32(col % ow) * sw + kj * dw - pl;
  var v: ${t} = ${wgslZero(t)};
  if ((iy >= 0) && (iy < H) && (ix >= 0) && (ix < W)) {
    v = src[u32(mi(14u) + i32(b) * mi(15u) + i32(ch) * mi(16u) + iy * mi(17u) + ix * mi(18u))];
  }
  dst[gi] = v;
}`;
  ctx.rt.dispatch(code, 'wr', meta.words, [buffer, x.buffer], Runtime.grid(Math.ceil(total / WG)));
  return { buffer, size: total };
}

/**
 * col2im with overlap-add: [N, C·kh·kw, oh·ow] (any strides) -> [N, C, H, W]. Each image pixel sums
 * the window entries that cover it (kernel row, then column — the CPU order), so no atomics are needed.
 */
export function foldKernel(ctx: KernelContext, cv: View, g: Im2colGeometry): { buffer: GPUBuffer; size: number } {
  const cols = ctx.input(cv);
  const n = cols.shape[0]!;
  const c = cols.shape[1]! / (g.kernel[0] * g.kernel[1]);
  const total = n * c * g.inputSize[0] * g.inputSize[1];
  const buffer = ctx.output(total);
  if (total === 0) return { buffer, size: 0 };
  const t = wgslType(cols.dtype);
  const meta = new MetaWriter();
  meta.u(total);
  geometryMeta(meta, g, c);
  meta.i(cols.offset);
  cols.strides.forEach((s) => meta.i(s));
  const code = `${metaDecl(meta.words.length)}
${storageDecl(1, 'dst', t, true)}
${storageDecl(2, 'src', t, false)}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  ${GEOMETRY}
  let ix = i32(gi % u32(W)) + pl;
  let iy = i32((gi / u32(W)) % u32(H)) + pt;
  let ch = (gi / u32(W * H)) % C;
  let b = gi / (u32(W * H) * C);
  var acc: ${t} = ${wgslZero(t)};
  for (var ki = 0u; ki < kh; ki++) {
    let ty = iy - i32(ki) * dh;
    if ((ty < 0) || (ty % sh != 0)) { continue; }
    let oy = ty / sh;
    if (oy >= i32(oh)) { continue; }
    for (var kj = 0u; kj < kw; kj++) {
      let tx = ix - i32(kj) * dw;
      if ((tx < 0) || (tx % sw != 0)) { continue; }
      let ox = tx / sw;
      if (ox >= i32(ow)) { continue; }
      let row = (ch * kh + ki) * kw + kj;
      acc = acc + src[u32(mi(14u) + i32(b) * mi(15u) + i32(row) * mi(16u) + (oy * i32(ow) + ox) * mi(17u))];
    }
  }
  dst[gi] = acc;
}`;
  ctx.rt.dispatch(code, 'wr', meta.words, [buffer, cols.buffer], Runtime.grid(Math.ceil(total / WG)));
  return { buffer, size: total };
}
