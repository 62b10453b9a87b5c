import type { UnaryOp, View } from '../types.js';
import { isContiguous, viewSize } from '../cpu/strided.js';
import { kernelInstance, runParallel, tuning, useWasm } from './runtime.js';
import { stageView, unstage } from './staging.js';
import { P, TASK_UNARY_F32 } from './task.js';

const UNARY_IDS: Partial<Record<UnaryOp, number>> = { exp: 0, sigmoid: 1, tanh: 2 };

/**
 * float32 exp / sigmoid / tanh of a contiguous view on the SIMD kernels (see unary.ts); false,
 * leaving `out` untouched, for other ops, dtypes, strided views or sizes below the threshold.
 */
export function wasmUnary(op: UnaryOp, x: View, out: Float32Array): boolean {
  const id = UNARY_IDS[op];
  if (id === undefined || x.dtype !== 'float32' || !isContiguous(x)) return false;
  const n = viewSize(x);
  if (n === 0 || !useWasm(n, tuning.unaryMinElements)) return false;
  const inst = kernelInstance();
  if (!inst) return false;
  inst.reset();
  const n4 = Math.ceil(n / 4) * 4;
  const src = stageView(inst, x);
  const dst = src && inst.alloc(n4 * 4);
  // The kernels process whole 4-lane groups; the arena's 64-byte rounding covers the source tail.
  if (!src || dst === null || dst === undefined) return false;
  const w = new Int32Array(inst.buffer, 0, 1024);
  w[4] = TASK_UNARY_F32;
  w[P] = id;
  w[P + 1] = src.ptr;
  w[P + 2] = dst;
  w[P + 3] = n4;
  runParallel(inst, n * tuning.unaryMacsPerElement);
  unstage(inst, dst, out, n);
  return true;
}
