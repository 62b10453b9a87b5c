import type { View } from '../types.js';

type Arr = Float32Array | Float64Array | Int32Array;

/*
 * Packed GEMM in the GotoBLAS layout, written for what V8 does well: no SIMD, 16 XMM
 * registers, cheap float64 loads. The operands are copied ("packed") block by block into
 * float64 scratch panels straight from their strided views, so transposed or broadcast
 * inputs (matmul gradients) cost no extra gather, and the inner loop reads two unit-stride
 * panels only. A 4x4 micro-kernel keeps 16 accumulators in registers: every pair of loaded
 * values feeds 16 multiply-adds, and C is touched once per K block instead of once per k.
 * Accumulating in float64 also makes float32 results more accurate than a float32 loop.
 */
const MR = 4;
const NR = 4;
/** K block: a KC x NR panel of B (8 KiB) stays in L1 across the sweep over A panels. */
const KC = 256;
/** M block: an MC x KC block of packed A (128 KiB) stays in L2. */
const MC = 64;
/** N block: bounds the packed-B scratch (KC x NC float64 = 2 MiB). */
const NC = 1024;

/** Scratch panels reused across calls (kernels never run concurrently in one JS thread). */
let packedA: Float64Array = new Float64Array(0);
let packedB: Float64Array = new Float64Array(0);
const edge = new Float64Array(MR * NR);

function scratch(buf: Float64Array, n: number): Float64Array {
  return buf.length >= n ? buf : new Float64Array(n);
}

/** Packs B[p0:p0+kc, j0:j0+nc] into NR-column panels, p-major within a panel; pads with zeros. */
function packB(B: Arr, bo: number, sk: number, sn: number, p0: number, kc: number, j0: number, nc: number, bp: Float64Array): void {
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
function packA(A: Arr, ao: number, sm: number, sk: number, i0: number, mc: number, p0: number, kc: number, ap: Float64Array): void {
  for (let ip = 0, base = 0; ip < mc; ip += MR, base += MR * kc) {
    const h = Math.min(MR, mc - ip);
    const first = ao + (i0 + ip) * sm + p0 * sk;
    if (h === MR && Math.abs(sm) < Math.abs(sk)) {
      // Column-major-like source (a transposed view): read the MR rows of one column together.
      for (let p = 0, s = first, d = base; p < kc; p++, s += sk, d += MR) {
        ap[d] = A[s]!;
        ap[d + 1] = A[s + sm]!;
        ap[d + 2] = A[s + 2 * sm]!;
        ap[d + 3] = A[s + 3 * sm]!;
      }
      continue;
    }
    for (let ii = 0; ii < MR; ii++) {
      if (ii < h) for (let p = 0, s = first + ii * sm, d = base + ii; p < kc; p++, s += sk, d += MR) ap[d] = A[s]!;
      else for (let p = 0, d = base + ii; p < kc; p++, d += MR) ap[d] = 0;
    }
  }
}

/**
 * C[c.., 4x4 tile with row stride ldc] (+)= Apanel · Bpanel over kc steps. `first` overwrites
 * instead of accumulating, so C never needs zero-filling and re-reading.
 */
function micro4x4(ap: Float64Array, pa: number, bp: Float64Array, pb: number, kc: number, C: Arr | Float64Array, c: number, ldc: number, first: boolean): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, pa += MR, pb += NR) {
    const a0 = ap[pa]!, a1 = ap[pa + 1]!, a2 = ap[pa + 2]!, a3 = ap[pa + 3]!;
    const b0 = bp[pb]!, b1 = bp[pb + 1]!, b2 = bp[pb + 2]!, b3 = bp[pb + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  const r1 = c + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
  if (!first) {
    c00 += C[c]!; c01 += C[c + 1]!; c02 += C[c + 2]!; c03 += C[c + 3]!;
    c10 += C[r1]!; c11 += C[r1 + 1]!; c12 += C[r1 + 2]!; c13 += C[r1 + 3]!;
    c20 += C[r2]!; c21 += C[r2 + 1]!; c22 += C[r2 + 2]!; c23 += C[r2 + 3]!;
    c30 += C[r3]!; c31 += C[r3 + 1]!; c32 += C[r3 + 2]!; c33 += C[r3 + 3]!;
  }
  C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03;
  C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
  C[r2] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
  C[r3] = c30; C[r3 + 1] = c31; C[r3 + 2] = c32; C[r3 + 3] = c33;
}

/** C[co..] = A @ B for one [m, k] x [k, n] pair given by offsets and strides; C is dense row-major. */
function gemm(
  A: Arr, ao: number, am: number, ak: number,
  B: Arr, bo: number, bk: number, bn: number,
  C: Arr, co: number, m: number, k: number, n: number,
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
            if (h === MR && w === NR) {
              micro4x4(ap, ip * kc, bp, pb, kc, C, c, n, first);
              continue;
            }
            // Ragged edge: compute the padded tile aside and copy the valid part.
            micro4x4(ap, ip * kc, bp, pb, kc, edge, 0, NR, true);
            for (let ii = 0; ii < h; ii++)
              for (let jj = 0; jj < w; jj++) {
                const o = c + ii * n + jj;
                C[o] = (first ? 0 : C[o]!) + edge[ii * NR + jj]!;
              }
          }
        }
      }
    }
  }
}

/** Few rows (vector @ matrix): stream rows of B into a float64 row accumulator. */
function rowsTimesMatrix(
  A: Arr, ao: number, am: number, ak: number,
  B: Arr, bo: number, bk: number, bn: number,
  C: Arr, co: number, m: number, k: number, n: number,
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
  A: Arr, ao: number, am: number, ak: number,
  B: Arr, bo: number, bk: number, bn: number,
  C: Arr, co: number, m: number, k: number, n: number,
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
