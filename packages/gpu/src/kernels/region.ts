import type { View } from '@difflab/tensor';
import { wgslType } from '../dtype.js';
import { sizeOf } from '../layout.js';
import { Runtime } from '../runtime.js';
import { MetaWriter, mainHeader, metaDecl, storageDecl } from '../wgsl/prelude.js';
import { viewOffset } from '../wgsl/index.js';
import type { KernelContext } from './context.js';

const WG = 256;

/**
 * Writes `src` (any strides) into `out`, which already holds a copy of the base, at the strided
 * region `offset + sum(i_d * strides_d)` of the output's contiguous layout.
 */
export function assignRegionKernel(
  ctx: KernelContext,
  out: GPUBuffer,
  sv: View,
  region: { offset: number; strides: readonly number[] },
): GPUBuffer {
  const src = ctx.input(sv);
  const n = sizeOf(src.shape);
  if (n === 0) return out;
  const meta = new MetaWriter();
  meta.u(n);
  const so = viewOffset(meta, src, 'gi', 'so');
  const d = viewOffset(meta, { shape: src.shape, strides: region.strides, offset: region.offset }, 'gi', 'd');
  const code = `${metaDecl(meta.words.length)}
${storageDecl(1, 'dst', wgslType(src.dtype), true)}
${storageDecl(2, 'src', wgslType(src.dtype), false)}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  ${so}
  ${d}
  dst[u32(d)] = src[u32(so)];
}`;
  ctx.rt.dispatch(code, 'wr', meta.words, [out, src.buffer], Runtime.grid(Math.ceil(n / WG)));
  return out;
}
