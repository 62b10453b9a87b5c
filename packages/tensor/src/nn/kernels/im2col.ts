import type { Im2colGeometry } from './types.js';

type Arr = { [i: number]: number; readonly length: number };

/** A host array seen through a strided view: element (i, j, …) sits at offset + Σ index·stride. */
export interface HostView {
  readonly data: Arr;
  readonly offset: number;
  readonly strides: readonly number[];
}

/**
 * First and one-past-last output index o in [0, n) with 0 <= o·s + shift < size, so the inner loops
 * run without bounds checks.
 */
function validRange(n: number, s: number, shift: number, size: number): [number, number] {
  const lo = shift >= 0 ? 0 : Math.min(n, Math.ceil(-shift / s));
  const hi = Math.max(lo, Math.min(n, Math.floor((size - 1 - shift) / s) + 1));
  return [lo, hi];
}

/**
 * im2col: out[n, (c·kh + ki)·kw + kj, oy·ow + ox] = x[n, c, oy·sh − pt + ki·dh, ox·sw − pl + kj·dw]
 * (0 in the padding). `x` is [N, C, H, W] with any strides; `out` is zero-filled and contiguous.
 */
export function im2colHost(x: HostView, n: number, c: number, g: Im2colGeometry, out: Arr): void {
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [pt, , pl] = g.padding;
  const [H, W] = g.inputSize;
  const [oh, ow] = g.outputSize;
  const [sN, sC, sH, sW] = x.strides as [number, number, number, number];
  const src = x.data;
  const L = oh * ow;
  let row = 0;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const base = x.offset + b * sN + ch * sC;
      for (let ki = 0; ki < kh; ki++) {
        const [y0, y1] = validRange(oh, sh, ki * dh - pt, H);
        for (let kj = 0; kj < kw; kj++, row++) {
          const [x0, x1] = validRange(ow, sw, kj * dw - pl, W);
          const rowStart = row * L;
          for (let oy = y0; oy < y1; oy++) {
            const iy = oy * sh - pt + ki * dh;
            let p = base + iy * sH + (x0 * sw - pl + kj * dw) * sW;
            const step = sw * sW;
            let o = rowStart + oy * ow + x0;
            for (let ox = x0; ox < x1; ox++, p += step, o++) out[o] = src[p]!;
          }
        }
      }
    }
  }
}

/**
 * col2im, the adjoint of {@link im2colHost}: adds cols[n, (c·kh + ki)·kw + kj, oy·ow + ox] into
 * out[n, c, oy·sh − pt + ki·dh, ox·sw − pl + kj·dw] where that lies inside the image. `cols` is
 * [N, C·kh·kw, L] with any strides; `out` is zero-filled and contiguous [N, C, H, W].
 */
export function col2imHost(cols: HostView, n: number, c: number, g: Im2colGeometry, out: Arr): void {
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [pt, , pl] = g.padding;
  const [H, W] = g.inputSize;
  const [, ow] = g.outputSize;
  const oh = g.outputSize[0];
  const [sN, sR, sL] = cols.strides as [number, number, number];
  const src = cols.data;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const outBase = (b * c + ch) * H * W;
      for (let ki = 0; ki < kh; ki++) {
        const [y0, y1] = validRange(oh, sh, ki * dh - pt, H);
        for (let kj = 0; kj < kw; kj++) {
          const row = (ch * kh + ki) * kw + kj;
          const [x0, x1] = validRange(ow, sw, kj * dw - pl, W);
          const rowBase = cols.offset + b * sN + row * sR;
          for (let oy = y0; oy < y1; oy++) {
            const iy = oy * sh - pt + ki * dh;
            let o = outBase + iy * W + (x0 * sw - pl + kj * dw);
            let p = rowBase + (oy * ow + x0) * sL;
            for (let ox = x0; ox < x1; ox++, o += sw, p += sL) out[o] = out[o]! + src[p]!;
          }
        }
      }
    }
  }
}
