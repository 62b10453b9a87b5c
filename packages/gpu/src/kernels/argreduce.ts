import type { ArgReduceOp, View } from '@difflab/tensor';
import { wgslType } from '../dtype.js';
import { sizeOf } from '../layout.js';
import { Runtime } from '../runtime.js';
import { libCode } from '../wgsl/lib.js';
import { MetaWriter, mainHeader, metaDecl, storageDecl } from '../wgsl/prelude.js';
import { viewOffset } from '../wgsl/index.js';
import type { KernelContext } from './context.js';

const WG = 256;

/**
 * Index of the first maximum (minimum) along `axis`; the first NaN wins, as in NumPy and the CPU
 * backend. Long axes with few outputs use a workgroup per output and a shared-memory tree whose
 * combine step breaks ties by the lower index, so the answer does not depend on the thread layout.
 */
export function argReduceKernel(ctx: KernelContext, op: ArgReduceOp, xv: View, axis: number): GPUBuffer {
  const x = ctx.input(xv);
  const n = x.shape[axis]!;
  const keptShape = x.shape.filter((_, i) => i !== axis);
  const keptStrides = x.strides.filter((_, i) => i !== axis);
  const nOut = n === 0 ? 0 : sizeOf(keptShape);
  const out = ctx.output(nOut);
  if (nOut === 0) return out;
  const t = wgslType(x.dtype);
  const isF = t === 'f32';
  const cmp = op === 'argmax' ? '>' : '<';
  // better(v, i, w, j): (v, i) beats (w, j).
  const better = isF
    ? `fn better(v: f32, i: u32, w: f32, j: u32) -> bool {
  let nv = m_isnan(v); let nw = m_isnan(w);
  if (nv || nw) { return nv && (!nw || i < j); }
  return v ${cmp} w || (v == w && i < j);
}`
    : `fn better(v: ${t}, i: u32, w: ${t}, j: u32) -> bool { return v ${cmp} w || (v == w && i < j); }`;
  const meta = new MetaWriter();
  meta.u(nOut);
  const nK = meta.u(n);
  const sK = meta.i(x.strides[axis]!);
  const base = viewOffset(meta, { shape: keptShape, strides: keptStrides, offset: x.offset }, 'o', 'base');
  const head = `${metaDecl(meta.words.length)}
${storageDecl(1, 'dst', 'i32', true)}
${storageDecl(2, 'src', t, false)}
${libCode(isF ? ['m_isnan'] : [])}
${better}`;
  if (n <= 256 || nOut >= 2048) {
    const code = `${head}
${mainHeader(WG)}
  if (gi >= mu(0u)) { return; }
  let o = gi;
  ${base}
  var bv = src[u32(base)];
  var bi = 0u;
  for (var k = 1u; k < mu(${nK}u); k++) {
    let v = src[u32(base + i32(k) * mi(${sK}u))];
    if (better(v, k, bv, bi)) { bv = v; bi = k; }
  }
  dst[gi] = i32(bi);
}`;
    ctx.rt.dispatch(code, 'wr', meta.words, [out, x.buffer], Runtime.grid(Math.ceil(nOut / WG)));
    return out;
  }
  const code = `${head}
var<workgroup> sv: array<${t}, ${WG}>;
var<workgroup> si: array<u32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x + wid.y * nwg.x;
  if (o >= mu(0u)) { return; }
  ${base}
  var bv = src[u32(base)];
  var bi = 0u;
  for (var k = lid; k < mu(${nK}u); k += ${WG}u) {
    let v = src[u32(base + i32(k) * mi(${sK}u))];
    if (k == lid || better(v, k, bv, bi)) { bv = v; bi = k; }
  }
  sv[lid] = bv;
  si[lid] = bi;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s && better(sv[lid + s], si[lid + s], sv[lid], si[lid])) { sv[lid] = sv[lid + s]; si[lid] = si[lid + s]; }
    workgroupBarrier();
  }
  if (lid == 0u) { dst[o] = i32(si[0]); }
}`;
  ctx.rt.dispatch(code, 'wr', meta.words, [out, x.buffer], Runtime.grid(nOut));
  return out;
}
