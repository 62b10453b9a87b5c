import type { View } from '../types.js';

type Arr = Float32Array | Float64Array | Int32Array;

/*
 * Packed GEMM in the GotoBLAS layout, written for what V8 does well: no SIMD, 16 XMM
 * registers, cheap float64 loads. The operands are copied ("packed") block by block into
 * float64 scratch panels straight from their strided views, so transposed or broadcast
 * inputs (matmul gradients) cost no extra gather, and the inner loop reads two unit-stride
 * panels only. A 3x4 micro-kernel keeps 12 accumulators in registers: every 7 loaded values
 * feed 12 multiply-adds, and C is touched once per K block instead of once per k. (4x4 has more
 * reuse on paper but its 16 accumulators plus operands exceed the registers TurboFan can
 * allocate; on V8/x64 it measured ~30% slower than 3x4, as did 2x6 and 4x3.)
 * Accumulating in float64 also makes float32 results more accurate than a float32 loop.
 */
const MR = 3;
const NR = 4;
/** K block: a KC x NR panel of B (8 KiB) stays in L1 across the sweep over A panels. */
const KC = 256;
/** M block (a multiple of MR): an MC x KC block of packed A (126 KiB) stays in L2. */
const MC = 63;
/** N block: bounds the packed-B scratch (KC x NC float64 = 2 MiB). */
const NC = 1024;

/** Scratch panels reused across calls (kernels never run concurrently in one JS thread). */
let packedA: Float64Array = new Float64Array(0);
let packedB: Float64Array = new Float64Array(0);

function scratch(buf: Float64Array, n: number): Float64Array {
  return buf.length >= n ? buf : new Float64Array(n);
}

/** Packs B[p0:p0+kc, j0:j0+nc] into NR-column panels, p-major within a panel; pads with zeros. */
function packB(
  B: Arr,
  bo: number,
  sk: number,
  sn: number,
  p0: number,
  kc: number,
  j0: number,
  nc: number,
  bp: Float64Array,
): void {
  for (let jp = 0, d = 0; jp < nc; jp += NR) {
    const w = Math.min(NR, nc - jp);
    let row = bo + p0 * sk + (j0 + jp) * sn;
    if (w === NR && sn === 1) {
      for (let p = 0; p < kc; p++, row += sk, d += NR) {
        bp[d] = B[row]!;
        bp[d + 1] = B[row + 1]!;
        bp[d + 2] = B[row + 2]!;
        bp[d + 3] = B[row + 3]!;
      }
    } else {
      for (let p = 0; p < kc; p++, row += sk, d += NR) {
        let jj = 0;
        for (let s = row; jj < w; jj++, s += sn) bp[d + jj] = B[s]!;
        for (; jj < NR; jj++) bp[d + jj] = 0;
      }
    }
  }
}

/** Packs A[i0:i0+mc, p0:p0+kc] into MR-row panels, p-major within a panel; pads with zeros. */
function packA(
  A: Arr,
  ao: number,
  sm: number,
  sk: number,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
  ap: Float64Array,
): void {
  for (let ip = 0, base = 0; ip < mc; ip += MR, base += MR * kc) {
    const h = Math.min(MR, mc - ip);
    const first = ao + (i0 + ip) * sm + p0 * sk;
    if (h === MR && Math.abs(sm) < Math.abs(sk)) {
      // Column-major-like source (a transposed view): read the MR rows of one column together.
      for (let p = 0, s = first, d = base; p < kc; p++, s += sk, d += MR) {
        ap[d] = A[s]!;
        ap[d + 1] = A[s + sm]!;
        ap[d + 2] = A[s + 2 * sm]!;
      }
      continue;
    }
    for (let ii = 0; ii < MR; ii++) {
      if (ii < h) for (let p = 0, s = first + ii * sm, d = base + ii; p < kc; p++, s += sk, d += MR) ap[d] = A[s]!;
      else for (let p = 0, d = base + ii; p < kc; p++, d += MR) ap[d] = 0;
    }
  }
}

/** Output of the micro-kernel; always float64 so the kernel stays monomorphic. */
const tile = new Float64Array(MR * NR);

/**
 * tile = Apanel · Bpanel over kc steps (3x4, row-major). The kernel only stores its
 * accumulators: accumulating into C in the same function (`C[c] += acc`) measured ~30% slower
 * in V8, so merging into C is left to {@link flushTile}.
 */
function micro3x4(ap: Float64Array, pa: number, bp: Float64Array, pb: number, kc: number, t: Float64Array): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  // Literal strides (3, 4) rather than MR/NR: module constants are not always folded.
  for (let p = 0; p < kc; p++, pa += 3, pb += 4) {
    const a0 = ap[pa]!,
      a1 = ap[pa + 1]!,
      a2 = ap[pa + 2]!;
    const b0 = bp[pb]!,
      b1 = bp[pb + 1]!,
      b2 = bp[pb + 2]!,
      b3 = bp[pb + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
  }
  t[0] = c00;
  t[1] = c01;
  t[2] = c02;
  t[3] = c03;
  t[4] = c10;
  t[5] = c11;
  t[6] = c12;
  t[7] = c13;
  t[8] = c20;
  t[9] = c21;
  t[10] = c22;
  t[11] = c23;
}

/**
 * Writes (`first`) or adds the valid h x w part of the tile into C at c with row stride ldc.
 * Overwriting on the first K block means C is never zero-filled and re-read.
 */
function flushTile(t: Float64Array, C: Arr, c: number, ldc: number, first: boolean, h: number, w: number): void {
  if (h === MR && w === NR) {
    const r1 = c + ldc,
      r2 = r1 + ldc;
    if (first) {
      C[c] = t[0]!;
      C[c + 1] = t[1]!;
      C[c + 2] = t[2]!;
      C[c + 3] = t[3]!;
      C[r1] = t[4]!;
      C[r1 + 1] = t[5]!;
      C[r1 + 2] = t[6]!;
      C[r1 + 3] = t[7]!;
      C[r2] = t[8]!;
      C[r2 + 1] = t[9]!;
      C[r2 + 2] = t[10]!;
      C[r2 + 3] = t[11]!;
    } else {
      C[c] += t[0]!;
      C[c + 1] += t[1]!;
      C[c + 2] += t[2]!;
      C[c + 3] += t[3]!;
      C[r1] += t[4]!;
      C[r1 + 1] += t[5]!;
      C[r1 + 2] += t[6]!;
      C[r1 + 3] += t[7]!;
      C[r2] += t[8]!;
      C[r2 + 1] += t[9]!;
      C[r2 + 2] += t[10]!;
      C[r2 + 3] += t[11]!;
    }
    return;
  }
  // Ragged edge: the panels were zero-padded, so only the valid part is kept.
  for (let ii = 0; ii < h; ii++) {
    for (let jj = 0; jj < w; jj++) {
      const o = c + ii * ldc + jj;
      C[o] = first ? t[ii * NR + jj]! : C[o]! + t[ii * NR + jj]!;
    }
  }
}

/** C[co..] = A @ B for one [m, k] x [k, n] pair given by offsets and strides; C is dense row-major. */
function gemm(
  A: Arr,
  ao: number,
  am: number,
  ak: number,
  B: Arr,
  bo: number,
  bk: number,
  bn: number,
  C: Arr,
  co: number,
  m: number,
  k: number,
  n: number,
): void {
  const kcMax = Math.min(KC, k);
  packedA = scratch(packedA, Math.ceil(Math.min(MC, m) / MR) * MR * kcMax);
  packedB = scratch(packedB, Math.ceil(Math.min(NC, n) / NR) * NR * kcMax);
  const ap = packedA;
  const bp = packedB;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      const first = p0 === 0;
      packB(B, bo, bk, bn, p0, kc, j0, nc, bp);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packA(A, ao, am, ak, i0, mc, p0, kc, ap);
        for (let jp = 0; jp < nc; jp += NR) {
          const w = Math.min(NR, nc - jp);
          const pb = jp * kc;
          for (let ip = 0; ip < mc; ip += MR) {
            const h = Math.min(MR, mc - ip);
            const c = co + (i0 + ip) * n + j0 + jp;
            micro3x4(ap, ip * kc, bp, pb, kc, tile);
            flushTile(tile, C, c, n, first, h, w);
          }
        }
      }
    }
  }
}

/** Few rows (vector @ matrix): stream rows of B into a float64 row accumulator. */
function rowsTimesMatrix(
  A: Arr,
  ao: number,
  am: number,
  ak: number,
  B: Arr,
  bo: number,
  bk: number,
  bn: number,
  C: Arr,
  co: number,
  m: number,
  k: number,
  n: number,
): void {
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const a = A[ao + i * am + p * ak]!;
      for (let j = 0, s = bo + p * bk; j < n; j++, s += bn) acc[j] += a * B[s]!;
    }
    for (let j = 0; j < n; j++) C[co + i * n + j] = acc[j]!;
  }
}

/** Few columns (matrix @ vector): one strided dot product per output. */
function dots(
  A: Arr,
  ao: number,
  am: number,
  ak: number,
  B: Arr,
  bo: number,
  bk: number,
  bn: number,
  C: Arr,
  co: number,
  m: number,
  k: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0, pa = ao + i * am, pb = bo + j * bn; p < k; p++, pa += ak, pb += bk) s += A[pa]! * B[pb]!;
      C[co + i * n + j] = s;
    }
  }
}

/** a: [batch, m, k], b: [batch, k, n] views with any strides (0 for broadcast) -> out [batch, m, n] dense. */
export function matmulKernel(a: View, b: View, out: Arr): void {
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const A = a.storage.data as Arr;
  const B = b.storage.data as Arr;
  const [as0, am, ak] = a.strides as [number, number, number];
  const [bs0, bk, bn] = b.strides as [number, number, number];
  if (m === 0 || n === 0) return;
  if (k === 0) {
    out.fill(0);
    return;
  }
  const kernel = m < MR ? rowsTimesMatrix : n < NR ? dots : gemm;
  for (let t = 0; t < batch; t++) {
    kernel(A, a.offset + t * as0, am, ak, B, b.offset + t * bs0, bk, bn, out, t * m * n, m, k, n);
  }
}
