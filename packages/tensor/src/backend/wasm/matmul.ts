import type { View } from '../types.js';
import { GEMM_F32, GEMM_F64 } from './gemm.js';
import { kernelInstance, runParallel, tuning, useWasm } from './runtime.js';
import { stageView, unstage } from './staging.js';
import { P, TASK_GEMM_F32, TASK_GEMM_F64 } from './task.js';

/**
 * Batched matmul on the SIMD kernels: a [B, m, k] @ b [B, k, n] -> out [B, m, n] (dense). Returns
 * false, leaving `out` untouched, when the call should run on the TypeScript kernels instead
 * (not float, mixed dtypes, too small for the copy to pay off, or memory exhausted).
 */
export function wasmMatmul(a: View, b: View, out: Float32Array | Float64Array): boolean {
  const dt = a.dtype;
  if ((dt !== 'float32' && dt !== 'float64') || b.dtype !== dt) return false;
  if ((dt === 'float64') !== out instanceof Float64Array) return false;
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const macs = batch * m * n * k;
  if (macs === 0 || !useWasm(macs, tuning.matmulMinMacs)) return false;
  return gemmViews(a, b, out);
}

/** The GEMM call itself, for views already known to be float, same-dtype and non-empty. */
function gemmViews(a: View, b: View, out: Float32Array | Float64Array): boolean {
  const dt = a.dtype;
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const macs = batch * m * n * k;
  const inst = kernelInstance();
  if (!inst) return false;
  inst.reset();
  const A = stageView(inst, a);
  const B = A && stageView(inst, b);
  const d = dt === 'float64' ? GEMM_F64 : GEMM_F32;
  const C = B && inst.alloc(batch * m * n * d.es);
  if (!A || !B || C === null || C === undefined) return false;
  const w = new Int32Array(inst.buffer, 0, 1024);
  w[4] = dt === 'float64' ? TASK_GEMM_F64 : TASK_GEMM_F32;
  const params = [
    A.ptr,
    A.strides[0]!,
    A.strides[1]!,
    A.strides[2]!,
    B.ptr,
    B.strides[0]!,
    B.strides[1]!,
    B.strides[2]!,
    C,
    batch,
    m,
    k,
    n,
    d.es,
    d.nr,
    inst.scratch(0),
    inst.scratchPerThread,
    Math.ceil(d.mc / d.mr) * d.mr * d.kc * d.es,
    Math.ceil(d.nc / d.nr) * d.nr * d.kc * d.es,
    d.mr,
  ];
  for (let i = 0; i < params.length; i++) w[P + i] = params[i]!;
  runParallel(inst, macs);
  unstage(inst, C, out, batch * m * n);
  return true;
}

/**
 * out[0 : m*n] = A @ B in float64 for raw row-major-addressed operands (element offset and
 * strides), for the blocked linalg kernels; false when the SIMD kernels are unavailable or off.
 */
export function gemmF64(
  A: Float64Array,
  aOff: number,
  am: number,
  ak: number,
  B: Float64Array,
  bOff: number,
  bk: number,
  bn: number,
  m: number,
  k: number,
  n: number,
  out: Float64Array,
): boolean {
  if (m === 0 || n === 0 || k === 0) return false;
  const view = (data: Float64Array, offset: number, rows: number, cols: number, rs: number, cs: number): View =>
    ({
      storage: { data } as View['storage'],
      dtype: 'float64',
      shape: [1, rows, cols],
      strides: [0, rs, cs],
      offset,
    }) as View;
  return gemmViews(view(A, aOff, m, k, am, ak), view(B, bOff, k, n, bk, bn), out);
}
