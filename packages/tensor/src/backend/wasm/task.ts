/*
 * The part of a kernel call every thread runs: read the task parameters from the control block
 * and do this thread's share. It is also the body of the worker threads (threads.ts embeds its
 * source with `Function.prototype.toString`), so it must stay self-contained: no imports, no
 * references outside its parameters, constants written inline.
 *
 * Control block (Int32 words): 0 generation, 1 pending workers, 2 task generation (seqlock),
 * 3 thread count T, 4 kind, 5.. kind-specific parameters; ready flags of workers at 64 + id.
 *
 * Partitioning (whole matrices of a batch, else column or row ranges) is a pure function of the
 * parameters and T, and every output element is computed by exactly one thread with the same
 * operation order, so results do not depend on T at all.
 */

/** Task kinds. */
export const TASK_GEMM_F32 = 1;
export const TASK_GEMM_F64 = 2;
export const TASK_UNARY_F32 = 3;
export const TASK_BINARY_F32 = 4;
export const TASK_BINARY_ROWS_F32 = 5;

/** Index of the first parameter word. */
export const P = 5;

export function runTask(ex: Record<string, (...a: number[]) => unknown>, w: Int32Array, t: number): void {
  const kind = w[4]!;
  const T = w[3]!;
  const p = 5;
  if (kind === 1 || kind === 2) {
    const A = w[p]!,
      as0 = w[p + 1]!,
      am = w[p + 2]!,
      ak = w[p + 3]!;
    const B = w[p + 4]!,
      bs0 = w[p + 5]!,
      bk = w[p + 6]!,
      bn = w[p + 7]!;
    const C = w[p + 8]!,
      batch = w[p + 9]!,
      m = w[p + 10]!,
      k = w[p + 11]!,
      n = w[p + 12]!;
    const es = w[p + 13]!,
      nr = w[p + 14]!,
      scratch = w[p + 15]!,
      perThread = w[p + 16]!;
    const packABytes = w[p + 17]!,
      packBBytes = w[p + 18]!;
    const pa = scratch + t * perThread;
    const pb = pa + packABytes;
    const tile = pb + packBBytes;
    const gemm = kind === 1 ? ex.gemm_f32! : ex.gemm_f64!;
    // Whole matrices per thread when the batch covers the threads, else column ranges.
    if (batch >= T) {
      const b0 = Math.floor((batch * t) / T);
      const b1 = Math.floor((batch * (t + 1)) / T);
      for (let b = b0; b < b1; b++) {
        gemm(A + b * as0 * es, am, ak, B + b * bs0 * es, bk, bn, C + b * m * n * es, m, k, n, 0, n, pa, pb, tile);
      }
    } else if (n >= m) {
      // Column ranges (multiples of NR): each thread packs all of A and its share of B.
      const chunk = Math.ceil(n / T / nr) * nr;
      const j0 = Math.min(n, t * chunk);
      const j1 = Math.min(n, j0 + chunk);
      if (j0 < j1) {
        for (let b = 0; b < batch; b++) {
          gemm(A + b * as0 * es, am, ak, B + b * bs0 * es, bk, bn, C + b * m * n * es, m, k, n, j0, j1, pa, pb, tile);
        }
      }
    } else {
      // Row ranges (multiples of MR) for tall products such as a batch of activations times a
      // narrow weight matrix.
      const mr = w[p + 19]!;
      const chunk = Math.ceil(m / T / mr) * mr;
      const i0 = Math.min(m, t * chunk);
      const i1 = Math.min(m, i0 + chunk);
      if (i0 < i1) {
        for (let b = 0; b < batch; b++) {
          const a0 = A + (b * as0 + i0 * am) * es;
          gemm(a0, am, ak, B + b * bs0 * es, bk, bn, C + (b * m * n + i0 * n) * es, i1 - i0, k, n, 0, n, pa, pb, tile);
        }
      }
    }
  } else if (kind === 3) {
    // Elementwise: contiguous ranges of whole 4-lane groups.
    const names = ['exp_f32', 'sigmoid_f32', 'tanh_f32', 'relu_f32'];
    const f = ex[names[w[p]!]!]!;
    const src = w[p + 1]!,
      dst = w[p + 2]!,
      n = w[p + 3]!;
    const chunk = Math.ceil(n / T / 4) * 4;
    const i0 = Math.min(n, t * chunk);
    const i1 = Math.min(n, i0 + chunk);
    if (i0 < i1) f(src + i0 * 4, dst + i0 * 4, i1 - i0);
  } else if (kind === 4) {
    // Elementwise binary: like kind 3; a scalar operand (mode 1: b, 2: a) is not advanced.
    const names = ['bin_add_f32', 'bin_sub_f32', 'bin_mul_f32', 'bin_div_f32', 'bin_maximum_f32', 'bin_minimum_f32'];
    const f = ex[names[w[p]!]!]!;
    const a = w[p + 1]!,
      b = w[p + 2]!,
      dst = w[p + 3]!,
      n = w[p + 4]!,
      mode = w[p + 5]!;
    const chunk = Math.ceil(n / T / 4) * 4;
    const i0 = Math.min(n, t * chunk);
    const i1 = Math.min(n, i0 + chunk);
    if (i0 < i1) f(mode === 2 ? a : a + i0 * 4, mode === 1 ? b : b + i0 * 4, dst + i0 * 4, i1 - i0, mode);
  } else if (kind === 5) {
    // Row-broadcast binary: whole rows per thread.
    const names = ['binr_add_f32', 'binr_sub_f32', 'binr_mul_f32', 'binr_div_f32', 'binr_maximum_f32', 'binr_minimum_f32'];
    const f = ex[names[w[p]!]!]!;
    const a = w[p + 1]!,
      b = w[p + 2]!,
      dst = w[p + 3]!,
      rows = w[p + 4]!,
      n = w[p + 5]!,
      aRow = w[p + 6]!,
      bRow = w[p + 7]!,
      rk = w[p + 8]!;
    const r0 = Math.floor((rows * t) / T);
    const r1 = Math.floor((rows * (t + 1)) / T);
    if (r0 < r1) f(a + r0 * aRow, b + r0 * bRow, dst + r0 * n * 4, r1 - r0, n, aRow, bRow, rk);
  }
}
