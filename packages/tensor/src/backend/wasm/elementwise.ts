import type { BinaryOp, UnaryOp, View } from '../types.js';
import { isContiguous, viewSize } from '../cpu/strided.js';
import { kernelInstance, runParallel, tuning, useWasm } from './runtime.js';
import { stageView, unstage } from './staging.js';
import { P, TASK_BINARY_F32, TASK_UNARY_F32 } from './task.js';

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

const BINARY_IDS: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };

function isScalarView(v: View): boolean {
  return v.strides.every((s, i) => s === 0 || v.shape[i] === 1);
}

/**
 * float32 add / sub / mul / div where both operands are contiguous, or one is contiguous and the
 * other a broadcast scalar (see binary.ts); false, leaving `out` untouched, otherwise.
 */
export function wasmBinary(op: BinaryOp, a: View, b: View, out: Float32Array): boolean {
  const id = BINARY_IDS[op];
  if (id === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return false;
  const n = viewSize(a);
  if (n === 0 || !useWasm(n, tuning.binaryMinElements)) return false;
  const ca = isContiguous(a);
  const cb = isContiguous(b);
  const mode = ca && cb ? 0 : ca && isScalarView(b) ? 1 : cb && isScalarView(a) ? 2 : -1;
  if (mode < 0) return false;
  const inst = kernelInstance();
  if (!inst) return false;
  inst.reset();
  const stage = (v: View, scalar: boolean) => {
    if (!scalar) return stageView(inst, v)?.ptr ?? null;
    const p = inst.alloc(4);
    if (p !== null) new Float32Array(inst.buffer, p, 1)[0] = (v.storage.data as Float32Array)[v.offset]!;
    return p;
  };
  const pa = stage(a, mode === 2);
  const pb = pa === null ? null : stage(b, mode === 1);
  const dst = pb === null ? null : inst.alloc(Math.ceil(n / 4) * 16);
  if (pa === null || pb === null || dst === null) return false;
  const w = new Int32Array(inst.buffer, 0, 1024);
  w[4] = TASK_BINARY_F32;
  w[P] = id;
  w[P + 1] = pa;
  w[P + 2] = pb;
  w[P + 3] = dst;
  w[P + 4] = Math.ceil(n / 4) * 4;
  w[P + 5] = mode;
  runParallel(inst, n * tuning.binaryMacsPerElement);
  unstage(inst, dst, out, n);
  return true;
}
