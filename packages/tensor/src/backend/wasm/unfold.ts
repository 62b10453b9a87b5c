import type { View } from '../types.js';
import type { Im2colGeometry } from '../../nn/kernels/types.js';
import { viewSize } from '../cpu/strided.js';
import { COL2IM_PARAMS, IM2COL_PARAMS } from './im2col.js';
import type { KernelInstance } from './module.js';
import { kernelInstance, tuning, useWasm } from './runtime.js';
import { stageView, unstage, type Staged } from './staging.js';

/** Output positions o in [0, n) whose source o s + shift lies in [0, size). */
function validRange(n: number, s: number, shift: number, size: number): [number, number] {
  const lo = shift >= 0 ? 0 : Math.min(n, Math.ceil(-shift / s));
  const hi = Math.max(lo, Math.min(n, Math.floor((size - 1 - shift) / s) + 1));
  return [lo, hi];
}

/**
 * Stages the view, the per-tap table of valid output ranges (rows for each of the kh kernel rows,
 * then columns for each of the kw kernel columns), a parameter block of `nParams` i32 and
 * `dstBytes` of output, the layout both the im2col and the col2im kernels read; null when kernel
 * memory runs out.
 */
function stageUnfold(
  inst: KernelInstance,
  view: View,
  g: Im2colGeometry,
  nParams: number,
  dstBytes: number,
): { src: Staged; tab: number; prm: number; dst: number } | null {
  const [kh, kw] = g.kernel;
  const src = stageView(inst, view);
  const tab = src && inst.alloc((kh + kw) * 8);
  const prm = tab === null || tab === undefined ? null : inst.alloc(nParams * 4);
  const dst = prm === null ? null : inst.alloc(dstBytes);
  if (!src || tab === null || tab === undefined || prm === null || dst === null) return null;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [pt, , pl] = g.padding;
  const [H, W] = g.inputSize;
  const [oh, ow] = g.outputSize;
  const t = new Int32Array(inst.buffer, tab, (kh + kw) * 2);
  for (let ki = 0; ki < kh; ki++) t.set(validRange(oh, sh, ki * dh - pt, H), 2 * ki);
  for (let kj = 0; kj < kw; kj++) t.set(validRange(ow, sw, kj * dw - pl, W), 2 * (kh + kj));
  return { src, tab, prm, dst };
}

/**
 * im2col of a float [N, C, H, W] view (any strides) into `out` ([N, C kh kw, oh ow], contiguous)
 * on the WebAssembly kernel (see im2col.ts); false, leaving `out` untouched, for other dtypes,
 * outputs below the threshold or when kernel memory is exhausted.
 */
export function wasmIm2col(x: View, g: Im2colGeometry, out: Float32Array | Float64Array): boolean {
  const f64 = x.dtype === 'float64';
  if ((!f64 && x.dtype !== 'float32') || f64 !== out instanceof Float64Array) return false;
  const total = out.length;
  if (total === 0 || viewSize(x) === 0 || !useWasm(total, tuning.unfoldMinElements)) return false;
  const inst = kernelInstance();
  if (!inst) return false;
  inst.reset();
  const es = f64 ? 8 : 4;
  const staged = stageUnfold(inst, x, g, IM2COL_PARAMS.length, total * es);
  if (!staged) return false;
  const { src, tab, prm, dst } = staged;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [pt, , pl] = g.padding;
  const [oh, ow] = g.outputSize;
  const [sN, sC, sH, sW] = src.strides.map((s) => s * es) as [number, number, number, number];
  const [n, c] = x.shape as [number, number];
  new Int32Array(inst.buffer, prm, IM2COL_PARAMS.length).set([
    src.ptr, sN, sC, sH, sW, n, c, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, dst, tab, total * es,
  ]);
  (inst.exports[`im2col_${f64 ? 'f64' : 'f32'}`] as (p: number) => void)(prm);
  unstage(inst, dst, out, total);
  return true;
}

/**
 * col2im (nn.fold) of a float [N, C kh kw, L] view (any strides) into `out` ([N, C, H, W],
 * contiguous) on the WebAssembly kernel; false, leaving `out` untouched, as for wasmIm2col.
 */
export function wasmCol2im(cols: View, c: number, g: Im2colGeometry, out: Float32Array | Float64Array): boolean {
  const f64 = cols.dtype === 'float64';
  if ((!f64 && cols.dtype !== 'float32') || f64 !== out instanceof Float64Array) return false;
  const size = viewSize(cols);
  if (out.length === 0 || size === 0 || !useWasm(size, tuning.unfoldMinElements)) return false;
  const inst = kernelInstance();
  if (!inst) return false;
  inst.reset();
  const es = f64 ? 8 : 4;
  const staged = stageUnfold(inst, cols, g, COL2IM_PARAMS.length, out.length * es);
  if (!staged) return false;
  const { src, tab, prm, dst } = staged;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [pt, , pl] = g.padding;
  const [H, W] = g.inputSize;
  const [oh, ow] = g.outputSize;
  const [sN, sR, sL] = src.strides.map((s) => s * es) as [number, number, number];
  const n = cols.shape[0]!;
  new Int32Array(inst.buffer, prm, COL2IM_PARAMS.length).set([
    src.ptr, sN, sR, sL, n, c, kh, kw, sh, sw, dh, dw, pt, pl, H, W, oh, ow, dst, tab, out.length * es,
  ]);
  (inst.exports[`col2im_${f64 ? 'f64' : 'f32'}`] as (p: number) => void)(prm);
  unstage(inst, dst, out, out.length);
  return true;
}
