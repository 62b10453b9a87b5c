import type { DType, View } from '@difflab/tensor';
import { wgslType } from '../dtype.js';
import { MetaWriter, metaDecl, storageDecl } from '../wgsl/prelude.js';
import type { KernelContext } from './context.js';

/** Tile shape: BM x BN outputs per workgroup, BK deep, TM x TN outputs per thread (256 threads). */
export interface Tiling {
  BM: number;
  BN: number;
  BK: number;
  TM: number;
  TN: number;
}

const SMALL: Tiling = { BM: 32, BN: 32, BK: 16, TM: 2, TN: 2 };
const MEDIUM: Tiling = { BM: 64, BN: 64, BK: 16, TM: 4, TN: 4 };
const LARGE: Tiling = { BM: 128, BN: 128, BK: 8, TM: 8, TN: 8 };

/** Overrides the size-based choice (benchmarks and tests of every tile shape). */
export const tilingOverride: { tiling: Tiling | null } = { tiling: null };

/** Register-only blocking: 8x8 outputs per thread (a CPU's caches stand in for workgroup memory). */
const REG_MEDIUM: Tiling = { BM: 64, BN: 64, BK: 8, TM: 8, TN: 8 };
const REG_SMALL: Tiling = { BM: 16, BN: 16, BK: 8, TM: 4, TN: 4 };

function pickTiling(m: number, n: number, variant: MatmulVariant): Tiling {
  if (tilingOverride.tiling) return tilingOverride.tiling;
  if (variant === 'register') return m >= 512 && n >= 512 ? LARGE : m >= 48 && n >= 48 ? REG_MEDIUM : REG_SMALL;
  if (m >= 512 && n >= 512) return LARGE;
  if (m >= 48 && n >= 48) return MEDIUM;
  return SMALL;
}

const MAX_Z = 65535;

function matmulCode(t: 'f32' | 'i32', c: Tiling): string {
  const tx = c.BN / c.TN;
  const ty = c.BM / c.TM;
  const threads = tx * ty;
  const perA = (c.BM * c.BK) / threads;
  const perB = (c.BK * c.BN) / threads;
  const zero = t === 'f32' ? '0.0' : '0';
  const lines: string[] = [];
  for (let e = 0; e < perA; e++)
    lines.push(`{
      let idx = tid + ${e * threads}u;
      let m = idx / ${c.BK}u; let kk = idx % ${c.BK}u;
      let gm = row0 + m; let gk = k0 + kk;
      var v: ${t} = ${zero};
      if (gm < M && gk < K) { v = A[u32(aBase + i32(gm) * mi(5u) + i32(gk) * mi(6u))]; }
      As[kk * ${c.BM}u + m] = v;
    }`);
  for (let e = 0; e < perB; e++)
    lines.push(`{
      let idx = tid + ${e * threads}u;
      let kk = idx / ${c.BN}u; let n = idx % ${c.BN}u;
      let gk = k0 + kk; let gn = col0 + n;
      var v: ${t} = ${zero};
      if (gk < K && gn < N) { v = B[u32(bBase + i32(gk) * mi(9u) + i32(gn) * mi(10u))]; }
      Bs[kk * ${c.BN}u + n] = v;
    }`);
  const decl: string[] = [];
  const inner: string[] = [];
  const store: string[] = [];
  for (let i = 0; i < c.TM; i++) inner.push(`let a${i} = As[kk * ${c.BM}u + ty * ${c.TM}u + ${i}u];`);
  for (let j = 0; j < c.TN; j++) inner.push(`let b${j} = Bs[kk * ${c.BN}u + tx + ${j * tx}u];`);
  for (let i = 0; i < c.TM; i++)
    for (let j = 0; j < c.TN; j++) {
      decl.push(`var c${i}_${j}: ${t} = ${zero};`);
      inner.push(
        t === 'f32' ? `c${i}_${j} = fma(a${i}, b${j}, c${i}_${j});` : `c${i}_${j} = c${i}_${j} + a${i} * b${j};`,
      );
      store.push(`{ let gm = row0 + ty * ${c.TM}u + ${i}u; let gn = col0 + tx + ${j * tx}u;
    if (gm < M && gn < N) { C[outBase + gm * N + gn] = c${i}_${j}; } }`);
    }
  return `${metaDecl(16)}
${storageDecl(1, 'C', t, true)}
${storageDecl(2, 'A', t, false)}
${storageDecl(3, 'B', t, false)}
var<workgroup> As: array<${t}, ${c.BM * c.BK}>;
var<workgroup> Bs: array<${t}, ${c.BK * c.BN}>;
@compute @workgroup_size(${tx}, ${ty})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = mu(0u); let N = mu(1u); let K = mu(2u);
  let batch = wid.z + mu(11u);
  let row0 = mu(12u) + wid.y * ${c.BM}u;
  let col0 = mu(13u) + wid.x * ${c.BN}u;
  let tx = lid.x; let ty = lid.y;
  let tid = ty * ${tx}u + tx;
  let aBase = mi(3u) + i32(batch) * mi(4u);
  let bBase = mi(7u) + i32(batch) * mi(8u);
  let outBase = batch * M * N;
  ${decl.join('\n  ')}
  for (var k0 = 0u; k0 < K; k0 += ${c.BK}u) {
    ${lines.join('\n    ')}
    workgroupBarrier();
    for (var kk = 0u; kk < ${c.BK}u; kk++) {
      ${inner.join('\n      ')}
    }
    workgroupBarrier();
  }
  ${store.join('\n  ')}
}`;
}

/**
 * The same blocking without workgroup memory: each thread reads its TM rows of A and TN columns of B
 * straight from the buffers (through the cache). A CPU implementation (lavapipe) runs this much
 * faster, since every workgroup barrier of the shared-memory kernel costs it a context switch per
 * SIMD group; GPUs use the shared-memory kernel.
 */
function registerCode(t: 'f32' | 'i32', c: Tiling): string {
  const tx = c.BN / c.TN;
  const ty = c.BM / c.TM;
  const zero = t === 'f32' ? '0.0' : '0';
  const decl: string[] = [];
  const inner: string[] = [];
  const store: string[] = [];
  for (let i = 0; i < c.TM; i++) {
    decl.push(`let r${i} = min(row0 + ty * ${c.TM}u + ${i}u, M - 1u);`);
    inner.push(`let a${i} = A[u32(aBase + i32(r${i}) * mi(5u) + i32(k) * mi(6u))];`);
  }
  for (let j = 0; j < c.TN; j++) {
    decl.push(`let q${j} = min(col0 + tx + ${j * tx}u, N - 1u);`);
    inner.push(`let b${j} = B[u32(bBase + i32(k) * mi(9u) + i32(q${j}) * mi(10u))];`);
  }
  for (let i = 0; i < c.TM; i++)
    for (let j = 0; j < c.TN; j++) {
      decl.push(`var c${i}_${j}: ${t} = ${zero};`);
      inner.push(
        t === 'f32' ? `c${i}_${j} = fma(a${i}, b${j}, c${i}_${j});` : `c${i}_${j} = c${i}_${j} + a${i} * b${j};`,
      );
      store.push(`{ let gm = row0 + ty * ${c.TM}u + ${i}u; let gn = col0 + tx + ${j * tx}u;
    if (gm < M && gn < N) { C[outBase + gm * N + gn] = c${i}_${j}; } }`);
    }
  return `${metaDecl(16)}
${storageDecl(1, 'C', t, true)}
${storageDecl(2, 'A', t, false)}
${storageDecl(3, 'B', t, false)}
@compute @workgroup_size(${tx}, ${ty})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = mu(0u); let N = mu(1u); let K = mu(2u);
  let batch = wid.z + mu(11u);
  let row0 = mu(12u) + wid.y * ${c.BM}u;
  let col0 = mu(13u) + wid.x * ${c.BN}u;
  let tx = lid.x; let ty = lid.y;
  let aBase = mi(3u) + i32(batch) * mi(4u);
  let bBase = mi(7u) + i32(batch) * mi(8u);
  let outBase = batch * M * N;
  ${decl.join('\n  ')}
  for (var k = 0u; k < K; k++) {
    ${inner.join('\n    ')}
  }
  ${store.join('\n  ')}
}`;
}

/**
 * Which matmul kernel to use: shared-memory tiles (GPUs) or register blocking only (CPU adapters).
 *
 * {@link initWebGPU} picks `'register'` for software adapters; set
 * {@link WebGPUBackend.matmulVariant} to override.
 *
 * @example
 * ```ts
 * import { initWebGPU, type MatmulVariant } from '@difflab/gpu';
 * const { backend } = await initWebGPU();
 * const variant: MatmulVariant = 'shared';
 * backend.matmulVariant = variant;
 * ```
 */
export type MatmulVariant = 'shared' | 'register';

/**
 * Batched matmul [B, m, k] @ [B, k, n] over strided views (transposed and batch-broadcast operands
 * are read in place). Shared-memory tiles of A and B, each thread accumulating a TM x TN block in
 * registers with fused multiply-adds; the tile size follows the problem size.
 */
export function matmulKernel(
  ctx: KernelContext,
  av: View,
  bv: View,
  outDtype: DType,
  variant: MatmulVariant = 'shared',
): GPUBuffer {
  const a = ctx.input(av);
  const b = ctx.input(bv);
  const [B, M, K] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  const out = ctx.output(B * M * N);
  if (B * M * N === 0) return out;
  const t = wgslType(outDtype) === 'i32' ? 'i32' : 'f32';
  if (K === 0) {
    ctx.rt.clear(out, B * M * N * 4);
    return out;
  }
  const c = pickTiling(M, N, variant);
  const code = variant === 'shared' ? matmulCode(t, c) : registerCode(t, c);
  // Each grid dimension holds at most 65535 workgroups: huge batches, row or column counts are
  // covered by several dispatches with offsets in the meta.
  const rowsPer = MAX_Z * c.BM;
  const colsPer = MAX_Z * c.BN;
  for (let z0 = 0; z0 < B; z0 += MAX_Z)
    for (let r0 = 0; r0 < M; r0 += rowsPer)
      for (let c0 = 0; c0 < N; c0 += colsPer) {
        const meta = new MetaWriter();
        meta.u(M);
        meta.u(N);
        meta.u(K);
        meta.i(a.offset);
        meta.i(a.strides[0]!);
        meta.i(a.strides[1]!);
        meta.i(a.strides[2]!);
        meta.i(b.offset);
        meta.i(b.strides[0]!);
        meta.i(b.strides[1]!);
        meta.i(b.strides[2]!);
        meta.u(z0);
        meta.u(r0);
        meta.u(c0);
        ctx.rt.dispatch(
          code,
          'wrr',
          meta.words,
          [out, a.buffer, b.buffer],
          [
            Math.ceil(Math.min(N - c0, colsPer) / c.BN),
            Math.ceil(Math.min(M - r0, rowsPer) / c.BM),
            Math.min(B - z0, MAX_Z),
          ],
        );
      }
  return out;
}
