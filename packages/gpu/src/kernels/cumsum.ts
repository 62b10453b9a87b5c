import type { View } from '@difflab/tensor';
import { wgslType, wgslZero } from '../dtype.js';
import { sizeOf } from '../layout.js';
import { Runtime } from '../runtime.js';
import { MetaWriter, mainHeader, metaDecl, storageDecl } from '../wgsl/prelude.js';
import { aroundAxisOffsets } from '../wgsl/index.js';
import type { KernelContext } from './context.js';

const WG = 256;

/**
 * Inclusive (optionally reversed) prefix sums along `axis`. Many lines: one thread scans a line.
 * Few long lines: a workgroup per line, each thread owning a contiguous segment (sum it, scan the
 * segment totals with a shared-memory tree, rescan from its prefix). Serial runs keep the running
 * total in two parts, completed blocks of 32 and the current block, so rounding grows like
 * (32 + n/32) ulp instead of n ulp (compensated summation is not an option: GPU compilers may
 * simplify it away).
 */
export function cumsumKernel(ctx: KernelContext, xv: View, axis: number, reverse: boolean): GPUBuffer {
  const x = ctx.input(xv);
  const total = sizeOf(x.shape);
  const out = ctx.output(total);
  if (total === 0) return out;
  const n = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const lines = total / n;
  const t = wgslType(x.dtype);
  const zero = wgslZero(t);
  const meta = new MetaWriter();
  meta.u(lines);
  const nK = meta.u(n);
  const innerK = meta.u(inner);
  const sK = meta.i(x.strides[axis]!);
  const revK = meta.u(reverse ? 1 : 0);
  const { ob, ib } = aroundAxisOffsets(meta, x, axis);
  // acc = base (completed blocks) + run (current block).
  const add = `run = run + v; cnt = cnt + 1u; acc = base + run;
    if (cnt == 32u) { base = acc; run = ${zero}; cnt = 0u; }`;
  const decl = `${metaDecl(meta.words.length)}
${storageDecl(1, 'dst', t, true)}
${storageDecl(2, 'src', t, false)}
fn at(k: u32) -> u32 { return select(k, mu(${nK}u) - 1u - k, mu(${revK}u) == 1u); }`;
  const lineSetup = `let j = line % mu(${innerK}u);
  let o = line / mu(${innerK}u);
  ${ob}
  ${ib}
  let inBase = ob + ib;
  let outBase = o * mu(${nK}u) * mu(${innerK}u) + j;`;
  if (n <= 1024 || lines >= 512) {
    const code = `${decl}
${mainHeader(WG)}
  let line = gi;
  if (line >= mu(0u)) { return; }
  ${lineSetup}
  var acc: ${t} = ${zero};
  var base: ${t} = ${zero};
  var run: ${t} = ${zero};
  var cnt = 0u;
  for (var s = 0u; s < mu(${nK}u); s++) {
    let k = at(s);
    let v = src[u32(inBase + i32(k) * mi(${sK}u))];
    ${add}
    dst[outBase + k * mu(${innerK}u)] = acc;
  }
}`;
    ctx.rt.dispatch(code, 'wr', meta.words, [out, x.buffer], Runtime.grid(Math.ceil(lines / WG)));
    return out;
  }
  const code = `${decl}
var<workgroup> part: array<${t}, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let line = wid.x + wid.y * nwg.x;
  if (line >= mu(0u)) { return; }
  ${lineSetup}
  let seg = (mu(${nK}u) + ${WG - 1}u) / ${WG}u;
  let lo = min(lid * seg, mu(${nK}u));
  let hi = min(lo + seg, mu(${nK}u));
  var acc: ${t} = ${zero};
  var base: ${t} = ${zero};
  var run: ${t} = ${zero};
  var cnt = 0u;
  for (var s = lo; s < hi; s++) {
    let v = src[u32(inBase + i32(at(s)) * mi(${sK}u))];
    ${add}
  }
  // Inclusive Hillis-Steele scan of the segment totals, then shift to exclusive.
  part[lid] = acc;
  workgroupBarrier();
  for (var d = 1u; d < ${WG}u; d = d << 1u) {
    var v: ${t} = ${zero};
    if (lid >= d) { v = part[lid - d]; }
    workgroupBarrier();
    part[lid] = part[lid] + v;
    workgroupBarrier();
  }
  var prefix: ${t} = ${zero};
  if (lid > 0u) { prefix = part[lid - 1u]; }
  base = prefix;
  run = ${zero};
  cnt = 0u;
  for (var s = lo; s < hi; s++) {
    let k = at(s);
    let v = src[u32(inBase + i32(k) * mi(${sK}u))];
    ${add}
    dst[outBase + k * mu(${innerK}u)] = acc;
  }
}`;
  ctx.rt.dispatch(code, 'wr', meta.words, [out, x.buffer], Runtime.grid(lines));
  return out;
}
