import type { DType, ReduceOp, View } from '@difflab/tensor';
import { wgslType, type WgslType, wgslZero } from '../dtype.js';
import { sizeOf } from '../layout.js';
import { Runtime } from '../runtime.js';
import { convert } from '../wgsl/ops.js';
import { libCode } from '../wgsl/lib.js';
import { MetaWriter, mainHeader, metaDecl, storageDecl } from '../wgsl/prelude.js';
import { viewOffset } from '../wgsl/index.js';
import type { DeviceView, KernelContext } from './context.js';

const WG = 256;
/** Elements one workgroup reduces before the work is split into partial results. */
const CHUNK = WG * 16;
/** Serial runs are summed in blocks of this many, then the block results: error ~(BLOCK + n/BLOCK) ulp. */
const BLOCK = 16;

function identity(op: ReduceOp, t: WgslType): string {
  if (op === 'sum') return wgslZero(t);
  if (op === 'prod') return t === 'f32' ? '1.0' : t === 'i32' ? '1' : '1u';
  if (op === 'max') return t === 'f32' ? '-m_inf()' : t === 'i32' ? '(-2147483647 - 1)' : '0u';
  return t === 'f32' ? 'm_inf()' : t === 'i32' ? '2147483647' : '1u';
}

/** WGSL combining two partial results; max/min propagate NaN like the CPU backend. */
function combine(op: ReduceOp, t: WgslType, a: string, b: string): string {
  switch (op) {
    case 'sum':
      return `(${a} + ${b})`;
    case 'prod':
      return `(${a} * ${b})`;
    case 'max':
      return t === 'f32' ? `m_maxf(${a}, ${b})` : `max(${a}, ${b})`;
    case 'min':
      return t === 'f32' ? `m_minf(${a}, ${b})` : `min(${a}, ${b})`;
  }
}

function libFor(op: ReduceOp, t: WgslType): string[] {
  if (t !== 'f32') return [];
  if (op === 'max') return ['m_maxf', 'm_inf'];
  if (op === 'min') return ['m_minf', 'm_inf'];
  return [];
}

function split(x: DeviceView, axes: readonly number[]) {
  const kept = { shape: [] as number[], strides: [] as number[], offset: x.offset };
  const red = { shape: [] as number[], strides: [] as number[], offset: 0 };
  x.shape.forEach((d, i) => {
    const part = axes.includes(i) ? red : kept;
    part.shape.push(d);
    part.strides.push(x.strides[i]!);
  });
  return { kept, red };
}

/**
 * Reduction over `axes` of a strided view. Short reductions (or very many medium ones) use one thread
 * per output; longer ones a workgroup per output (threads stride over the reduced elements, then a
 * shared-memory tree), split into chunks of at most 4096 elements whose partial results are reduced
 * again. Accuracy comes from the summation order alone — no thread adds more than 16 values in a
 * row before a pairwise step — because GPU compilers are free to simplify compensated (Kahan)
 * summation away. The order is fixed, so results are deterministic.
 */
export function reduceKernel(
  ctx: KernelContext,
  op: ReduceOp,
  xv: View,
  axes: readonly number[],
  outDtype: DType,
): GPUBuffer {
  const x = ctx.input(xv);
  const { kept, red } = split(x, axes);
  const nOut = sizeOf(kept.shape);
  const nRed = sizeOf(red.shape);
  const out = ctx.output(nOut);
  if (nOut === 0) return out;
  if (nRed <= 256 || (nOut >= 4096 && nRed <= CHUNK)) {
    runThreadPerOutput(ctx, op, x, kept, red, nOut, outDtype, out);
    return out;
  }
  const chunks = Math.min(Math.ceil(nRed / CHUNK), 1024);
  if (chunks === 1) {
    runWorkgroupPerOutput(ctx, op, x, kept, red, nOut, nRed, 1, outDtype, out);
    return out;
  }
  const partial = ctx.output(nOut * chunks);
  runWorkgroupPerOutput(ctx, op, x, kept, red, nOut, nRed, chunks, outDtype, partial);
  // Second pass over the [nOut, chunks] partials, already in the output dtype.
  const pv: DeviceView = { buffer: partial, dtype: outDtype, shape: [nOut, chunks], strides: [chunks, 1], offset: 0 };
  const pk = { shape: [nOut], strides: [chunks], offset: 0 };
  const pr = { shape: [chunks], strides: [1], offset: 0 };
  runWorkgroupPerOutput(ctx, op, pv, pk, pr, nOut, chunks, 1, outDtype, out);
  ctx.scratch(partial);
  return out;
}

function load(x: DeviceView, dt: DType, pos: string): { expr: string; fns: string[] } {
  return convert(`src[u32(${pos})]`, x.dtype, dt);
}

function runThreadPerOutput(
  ctx: KernelContext,
  op: ReduceOp,
  x: DeviceView,
  kept: { shape: number[]; strides: number[]; offset: number },
  red: { shape: number[]; strides: number[]; offset: number },
  nOut: number,
  dt: DType,
  out: GPUBuffer,
): void {
  const t = wgslType(dt);
  const meta = new MetaWriter();
  meta.u(nOut);
  const nRedK = meta.u(sizeOf(red.shape));
  const base = viewOffset(meta, kept, 'gi', 'base');
  const inner = viewOffset(meta, red, 'j', 'ro');
  const ld = load(x, dt, 'base + ro');
  const code = `${metaDecl(meta.words.length)}
${storageDecl(1, 'dst', t, true)}
${storageDecl(2, 'src', wgslType(x.dtype), false)}
${libCode([...libFor(op, t), ...ld.fns])}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  ${base}
  var acc: ${t} = ${identity(op, t)};
  var blk: ${t} = ${identity(op, t)};
  var cnt = 0u;
  for (var j = 0u; j < mu(${nRedK}u); j++) {
    ${inner}
    blk = ${combine(op, t, 'blk', ld.expr)};
    cnt = cnt + 1u;
    if (cnt == ${BLOCK}u) { acc = ${combine(op, t, 'acc', 'blk')}; blk = ${identity(op, t)}; cnt = 0u; }
  }
  dst[gi] = ${combine(op, t, 'acc', 'blk')};
}`;
  ctx.rt.dispatch(code, 'wr', meta.words, [out, x.buffer], Runtime.grid(Math.ceil(nOut / WG)));
}

function runWorkgroupPerOutput(
  ctx: KernelContext,
  op: ReduceOp,
  x: DeviceView,
  kept: { shape: number[]; strides: number[]; offset: number },
  red: { shape: number[]; strides: number[]; offset: number },
  nOut: number,
  nRed: number,
  chunks: number,
  dt: DType,
  out: GPUBuffer,
): void {
  const t = wgslType(dt);
  const meta = new MetaWriter();
  meta.u(nOut * chunks);
  const nRedK = meta.u(nRed);
  const chunksK = meta.u(chunks);
  const chunkLen = meta.u(Math.ceil(nRed / chunks));
  const base = viewOffset(meta, kept, 'o', 'base');
  const inner = viewOffset(meta, red, 'j', 'ro');
  const ld = load(x, dt, 'base + ro');
  const code = `${metaDecl(meta.words.length)}
${storageDecl(1, 'dst', t, true)}
${storageDecl(2, 'src', wgslType(x.dtype), false)}
${libCode([...libFor(op, t), ...ld.fns])}
var<workgroup> sh: array<${t}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let slot = wid.x + wid.y * nwg.x;
  if (slot >= mu(0u)) { return; }
  let o = slot / mu(${chunksK}u);
  let chunk = slot % mu(${chunksK}u);
  ${base}
  let lo = chunk * mu(${chunkLen}u);
  let hi = min(lo + mu(${chunkLen}u), mu(${nRedK}u));
  var acc: ${t} = ${identity(op, t)};
  for (var j = lo + lid; j < hi; j += ${WG}u) {
    ${inner}
    acc = ${combine(op, t, 'acc', ld.expr)};
  }
  sh[lid] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s) { sh[lid] = ${combine(op, t, 'sh[lid]', 'sh[lid + s]')}; }
    workgroupBarrier();
  }
  if (lid == 0u) { dst[slot] = sh[0]; }
}`;
  ctx.rt.dispatch(code, 'wr', meta.words, [out, x.buffer], Runtime.grid(nOut * chunks));
}
