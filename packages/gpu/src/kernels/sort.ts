import type { View } from '@difflab/tensor';
import { wgslType, type WgslType, wgslZero } from '../dtype.js';
import { sizeOf } from '../layout.js';
import { Runtime } from '../runtime.js';
import { libCode } from '../wgsl/lib.js';
import { MetaWriter, mainHeader, metaDecl, storageDecl } from '../wgsl/prelude.js';
import { viewOffset } from '../wgsl/index.js';
import type { DeviceView, KernelContext } from './context.js';

/** Elements one workgroup sorts in shared memory (two per thread). */
const BLOCK = 512;
const WG = BLOCK / 2;

/**
 * Strict "a goes before b" on (key, original position): padding after everything, NaN last
 * ascending and first descending (NumPy/PyTorch), equal keys by position. Comparing positions makes
 * the bitonic network (not stable by itself) produce exactly the stable order.
 */
function beforeFn(t: WgslType): string {
  const nan = t === 'f32';
  return `fn before(ka: ${t}, ia: u32, kb: ${t}, ib: u32) -> bool {
  let n = mu(1u);
  let pa = ia >= n; let pb = ib >= n;
  if (pa || pb) { return (pa == pb && ia < ib) || pb; }
  let desc = mu(2u) == 1u;
  ${
    nan
      ? `let na = m_isnan(ka); let nb = m_isnan(kb);
  if (na || nb) { if (na && nb) { return ia < ib; } return select(nb, na, desc); }`
      : ''
  }
  if (ka != kb) { return select((ka < kb), (ka > kb), desc); }
  return ia < ib;
}`;
}

function header(t: WgslType, words: number): string {
  return `${metaDecl(words)}
${storageDecl(1, 'keys', t, true)}
${storageDecl(2, 'pos', 'u32', true)}
${libCode(t === 'f32' ? ['m_isnan'] : [])}
${beforeFn(t)}`;
}

/** Shared-memory stages: with `full`, the whole network for k <= BLOCK; else the j < BLOCK tail for stage k. */
function localCode(t: WgslType, full: boolean): string {
  return `${header(t, 8)}
var<workgroup> sk: array<${t}, ${BLOCK}>;
var<workgroup> sp: array<u32, ${BLOCK}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let P = mu(0u);
  let total = mu(3u);
  let b = (wid.x + wid.y * nwg.x) * ${BLOCK}u;
  if (b >= total) { return; }
  for (var e = 0u; e < 2u; e++) {
    let l = lid + e * ${WG}u;
    if (b + l < total) { sk[l] = keys[b + l]; sp[l] = pos[b + l]; } else { sp[l] = 0xffffffffu; }
  }
  workgroupBarrier();
  ${
    full
      ? `for (var k = 2u; k <= min(P, ${BLOCK}u); k = k << 1u) {
    for (var j = k >> 1u; j > 0u; j = j >> 1u) {`
      : `let k = mu(4u);
  {
    for (var j = ${BLOCK / 2}u; j > 0u; j = j >> 1u) {`
  }
      let i = 2u * lid - (lid & (j - 1u));
      let l = i + j;
      let up = (((b + i) % P) & k) == 0u;
      let ka = sk[i]; let kb = sk[l]; let pa = sp[i]; let pb = sp[l];
      if (select(before(ka, pa, kb, pb), before(kb, pb, ka, pa), up)) {
        sk[i] = kb; sk[l] = ka; sp[i] = pb; sp[l] = pa;
      }
      workgroupBarrier();
    }
  }
  for (var e = 0u; e < 2u; e++) {
    let l = lid + e * ${WG}u;
    if (b + l < total) { keys[b + l] = sk[l]; pos[b + l] = sp[l]; }
  }
}`;
}

/** One global compare-exchange stage (k, j) with j >= BLOCK. */
function globalCode(t: WgslType): string {
  return `${header(t, 8)}
${mainHeader(WG)}
  let P = mu(0u);
  let k = mu(4u);
  let j = mu(5u);
  if (gi >= mu(3u) / 2u) { return; }
  let i = 2u * gi - (gi & (j - 1u));
  let l = i + j;
  let up = ((i % P) & k) == 0u;
  let ka = keys[i]; let kb = keys[l]; let pa = pos[i]; let pb = pos[l];
  if (select(before(ka, pa, kb, pb), before(kb, pb, ka, pa), up)) {
    keys[i] = kb; keys[l] = ka; pos[i] = pb; pos[l] = pa;
  }
}`;
}

/**
 * Stable sort of every last-axis row of a strided view; returns contiguous [values, int32 positions].
 * Rows are padded to a power of two P and sorted by a bitonic network: stages that stay inside a
 * 512-element block run in shared memory, longer ones as one global pass each.
 */
export function sortBuffers(ctx: KernelContext, x: DeviceView, descending: boolean): [GPUBuffer, GPUBuffer] {
  const nd = x.shape.length;
  const n = nd === 0 ? 1 : x.shape[nd - 1]!;
  const rows = n === 0 ? 0 : sizeOf(x.shape) / n;
  const values = ctx.output(rows * n);
  const indices = ctx.output(rows * n);
  if (rows * n === 0) return [values, indices];
  const t = wgslType(x.dtype);
  const P = 2 ** Math.ceil(Math.log2(Math.max(n, 2)));
  const total = rows * P;
  const keys = ctx.output(total);
  const pos = ctx.output(total);
  const base = (): MetaWriter => {
    const m = new MetaWriter();
    m.u(P);
    m.u(n);
    m.u(descending ? 1 : 0);
    m.u(total);
    return m;
  };
  // The stage kernels declare 8 meta words; pad so the bound uniform is never shorter.
  const words = (m: MetaWriter): number[] => [
    ...m.words,
    ...new Array<number>(Math.max(0, 8 - m.words.length)).fill(0),
  ];

  // Fill the padded work arrays: key x[r, p] and position p (p >= n marks padding).
  const init = base();
  const ro = viewOffset(
    init,
    { shape: x.shape.slice(0, -1), strides: x.strides.slice(0, -1), offset: x.offset },
    'r',
    'ro',
  );
  const sLast = init.i(nd === 0 ? 0 : x.strides[nd - 1]!);
  const zero = wgslZero(t);
  ctx.rt.dispatch(
    `${metaDecl(init.words.length)}
${storageDecl(1, 'keys', t, true)}
${storageDecl(2, 'pos', 'u32', true)}
${storageDecl(3, 'src', t, false)}
${mainHeader(WG)}
  if (gi >= mu(3u)) { return; }
  let r = gi / mu(0u);
  let p = gi % mu(0u);
  pos[gi] = p;
  if (p >= mu(1u)) { keys[gi] = ${zero}; return; }
  ${ro}
  keys[gi] = src[u32(ro + i32(p) * mi(${sLast}u))];
}`,
    'wwr',
    init.words,
    [keys, pos, x.buffer],
    Runtime.grid(Math.ceil(total / WG)),
  );

  const blocks = Runtime.grid(Math.ceil(total / BLOCK));
  ctx.rt.dispatch(localCode(t, true), 'ww', words(base()), [keys, pos], blocks);
  for (let k = BLOCK * 2; k <= P; k *= 2) {
    for (let j = k / 2; j >= BLOCK; j /= 2) {
      const m = base();
      m.u(k);
      m.u(j);
      ctx.rt.dispatch(globalCode(t), 'ww', words(m), [keys, pos], Runtime.grid(Math.ceil(total / 2 / WG)));
    }
    const m = base();
    m.u(k);
    ctx.rt.dispatch(localCode(t, false), 'ww', words(m), [keys, pos], blocks);
  }

  // Drop the padding: row r's first n entries are its sorted values.
  ctx.rt.dispatch(
    `${metaDecl(4)}
${storageDecl(1, 'vals', t, true)}
${storageDecl(2, 'inds', 'i32', true)}
${storageDecl(3, 'keys', t, false)}
${storageDecl(4, 'pos', 'u32', false)}
${mainHeader(WG)}
  let total = mu(1u) * mu(2u);
  if (gi >= total) { return; }
  let r = gi / mu(1u);
  let p = gi % mu(1u);
  let s = r * mu(0u) + p;
  vals[gi] = keys[s];
  inds[gi] = i32(pos[s]);
}`,
    'wwrr',
    [P, n, rows],
    [values, indices, keys, pos],
    Runtime.grid(Math.ceil((rows * n) / WG)),
  );
  ctx.scratch(keys);
  ctx.scratch(pos);
  return [values, indices];
}

export function sortKernel(ctx: KernelContext, xv: View, descending: boolean): [GPUBuffer, GPUBuffer] {
  return sortBuffers(ctx, ctx.input(xv), descending);
}
