import type { View } from '@difflab/tensor';
import { sizeOf } from '../layout.js';
import { Usage } from '../pool.js';
import { Runtime } from '../runtime.js';
import { MetaWriter, mainHeader, metaDecl, storageDecl } from '../wgsl/prelude.js';
import { viewOffset } from '../wgsl/index.js';
import type { KernelContext } from './context.js';

const WG = 256;

export type FFTKind = 'c2c' | 'r2c' | 'c2r';
export interface FFTOptions {
  n: number;
  inverse?: boolean;
  scale: number;
}

/**
 * cos/sin(2 pi t / n) for t < n, computed in float64 on the host and kept per length: twiddles are
 * looked up by the exact integer t = (j k) mod n rather than evaluated from a rounded angle.
 */
const twiddleCache = new WeakMap<GPUDevice, Map<number, GPUBuffer>>();

function twiddles(rt: Runtime, n: number): GPUBuffer {
  let byN = twiddleCache.get(rt.device);
  if (!byN) twiddleCache.set(rt.device, (byN = new Map()));
  let buf = byN.get(n);
  if (!buf) {
    const t = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      t[2 * i] = Math.cos(a);
      t[2 * i + 1] = Math.sin(a);
    }
    buf = rt.device.createBuffer({ size: Math.max(16, t.byteLength), usage: Usage.STORAGE | Usage.COPY_DST });
    rt.write(buf, t);
    byN.set(n, buf);
  }
  return buf;
}

const isPow2 = (n: number) => n >= 2 && (n & (n - 1)) === 0;

/**
 * The FFT kernels of `Backend.kernels['fft.c2c' | 'fft.r2c' | 'fft.c2r']` along the last (complex)
 * axis. Each row is loaded into a complex work array (real rows get a zero imaginary part; a half
 * spectrum is extended by Hermitian symmetry), transformed with radix-2 Stockham passes when n is
 * a power of two or a direct DFT (O(n²), blocked sums) otherwise, and written out scaled.
 */
export function fftKernel(
  ctx: KernelContext,
  kind: FFTKind,
  xv: View,
  opts: FFTOptions,
): { buffer: GPUBuffer; size: number } {
  const x = ctx.input(xv);
  const n = opts.n;
  const m = (n >> 1) + 1;
  const rowShape = kind === 'r2c' ? x.shape.slice(0, -1) : x.shape.slice(0, -2);
  const rows = sizeOf(rowShape);
  const outSize = kind === 'c2c' ? rows * n * 2 : kind === 'r2c' ? rows * m * 2 : rows * n;
  const out = ctx.output(outSize);
  if (outSize === 0) return { buffer: out, size: 0 };
  const inverse = kind === 'c2r' || (kind === 'c2c' && !!opts.inverse);
  const work = rows * n;
  let a = ctx.output(2 * work);
  let b = ctx.output(2 * work);

  // 1. Rows into complex work array `a` ([rows, n] of (re, im)).
  const load = new MetaWriter();
  load.u(work);
  load.u(n);
  const lead = kind === 'r2c' ? x.shape.length - 1 : x.shape.length - 2;
  const ro = viewOffset(load, { shape: rowShape, strides: x.strides.slice(0, lead), offset: x.offset }, 'r', 'ro');
  const sj = load.i(x.strides[lead]!);
  const sc = load.i(kind === 'r2c' ? 0 : x.strides[lead + 1]!);
  const len = load.u(kind === 'c2r' ? x.shape[lead]! : n);
  const read = (j: string) => `src[u32(ro + i32(${j}) * mi(${sj}u))]`;
  const readIm = (j: string) => `src[u32(ro + i32(${j}) * mi(${sj}u) + mi(${sc}u))]`;
  let body: string;
  if (kind === 'r2c') body = `wr = ${read('j')}; wi = 0.0;`;
  else if (kind === 'c2c') body = `wr = ${read('j')}; wi = ${readIm('j')};`;
  else
    // Hermitian extension of the half spectrum; entries past the given bins are zero.
    body = `var q = j; var s = 1.0;
    if (j > mu(1u) / 2u) { q = mu(1u) - j; s = -1.0; }
    if (q < mu(${len}u)) { wr = ${read('q')}; wi = s * ${readIm('q')}; }`;
  ctx.rt.dispatch(
    `${metaDecl(load.words.length)}
${storageDecl(1, 'dst', 'f32', true)}
${storageDecl(2, 'src', 'f32', false)}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  let r = gi / mu(1u);
  let j = gi % mu(1u);
  ${ro}
  var wr = 0.0;
  var wi = 0.0;
  ${body}
  dst[2u * gi] = wr;
  dst[2u * gi + 1u] = wi;
}`,
    'wr',
    load.words,
    [a, x.buffer],
    Runtime.grid(Math.ceil(work / WG)),
  );

  // 2. Transform a -> (result in `a` after the swap).
  const tw = twiddles(ctx.rt, n);
  const sign = inverse ? 1 : -1;
  if (isPow2(n)) {
    const pass = `${metaDecl(4)}
${storageDecl(1, 'dst', 'f32', true)}
${storageDecl(2, 'src', 'f32', false)}
${storageDecl(3, 'tw', 'f32', false)}
${mainHeader(WG)}
  let n = mu(1u);
  let half = n / 2u;
  if (gi >= mu(0u) * half) { return; }
  let r = gi / half;
  let j = gi % half;
  let ns = mu(2u);
  let base = r * n;
  let i0 = base + j;
  let i1 = i0 + half;
  let t = (j % ns) * (n / (2u * ns));
  let c = tw[2u * t];
  let s = bitcast<f32>(mu(3u)) * tw[2u * t + 1u];
  let ur = src[2u * i0]; let ui = src[2u * i0 + 1u];
  let xr = src[2u * i1]; let xi = src[2u * i1 + 1u];
  let vr = xr * c - xi * s;
  let vi = xr * s + xi * c;
  let d = base + (j / ns) * ns * 2u + (j % ns);
  dst[2u * d] = ur + vr; dst[2u * d + 1u] = ui + vi;
  dst[2u * (d + ns)] = ur - vr; dst[2u * (d + ns) + 1u] = ui - vi;
}`;
    for (let ns = 1; ns < n; ns *= 2) {
      const meta = new MetaWriter();
      meta.u(rows);
      meta.u(n);
      meta.u(ns);
      meta.f(sign);
      ctx.rt.dispatch(pass, 'wrr', meta.words, [b, a, tw], Runtime.grid(Math.ceil((rows * n) / 2 / WG)));
      [a, b] = [b, a];
    }
  } else {
    const meta = new MetaWriter();
    meta.u(work);
    meta.u(n);
    meta.f(sign);
    ctx.rt.dispatch(
      `${metaDecl(4)}
${storageDecl(1, 'dst', 'f32', true)}
${storageDecl(2, 'src', 'f32', false)}
${storageDecl(3, 'tw', 'f32', false)}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  let n = mu(1u);
  let r = gi / n;
  let k = gi % n;
  let sgn = mf(2u);
  var ar = 0.0; var ai = 0.0; var br = 0.0; var bi = 0.0;
  var t = 0u;
  for (var j = 0u; j < n; j++) {
    let c = tw[2u * t];
    let s = sgn * tw[2u * t + 1u];
    let zr = src[2u * (r * n + j)];
    let zi = src[2u * (r * n + j) + 1u];
    br = br + (zr * c - zi * s);
    bi = bi + (zr * s + zi * c);
    if ((j & 15u) == 15u) { ar = ar + br; ai = ai + bi; br = 0.0; bi = 0.0; }
    t = t + k;
    if (t >= n) { t = t - n; }
  }
  dst[2u * gi] = ar + br;
  dst[2u * gi + 1u] = ai + bi;
}`,
      'wrr',
      meta.words,
      [b, a, tw],
      Runtime.grid(Math.ceil(work / WG)),
    );
    [a, b] = [b, a];
  }

  // 3. Scaled output: all bins (c2c), the first n/2 + 1 (r2c) or the real parts (c2r).
  const fin = new MetaWriter();
  fin.u(outSize);
  fin.u(n);
  fin.u(m);
  fin.f(opts.scale);
  const write =
    kind === 'c2c'
      ? `dst[gi] = mf(3u) * src[gi];`
      : kind === 'r2c'
        ? `let pair = gi / 2u; let r = pair / mu(2u); let k = pair % mu(2u);
  dst[gi] = mf(3u) * src[2u * (r * mu(1u) + k) + (gi % 2u)];`
        : `dst[gi] = mf(3u) * src[2u * gi];`;
  ctx.rt.dispatch(
    `${metaDecl(4)}
${storageDecl(1, 'dst', 'f32', true)}
${storageDecl(2, 'src', 'f32', false)}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  ${write}
}`,
    'wr',
    fin.words,
    [out, a],
    Runtime.grid(Math.ceil(outSize / WG)),
  );
  ctx.scratch(a);
  ctx.scratch(b);
  return { buffer: out, size: outSize };
}
