import type { BinaryOp, UnaryOp, View } from '../types.js';
import { isContiguous, viewSize } from '../cpu/strided.js';
import { kernelInstance, runParallel, tuning, useWasm } from './runtime.js';
import { stageView, unstage } from './staging.js';
import { P, TASK_BINARY_F32, TASK_BINARY_ROWS_F32, TASK_UNARY_F32 } from './task.js';

const UNARY_IDS: Partial<Record<UnaryOp, number>> = { exp: 0, sigmoid: 1, tanh: 2, relu: 3 };

/**
 * float32 exp / sigmoid / tanh / relu of a contiguous view on the SIMD kernels (see unary.ts);
 * false, leaving `out` untouched, for other ops, dtypes, strided views or sizes below the threshold.
 */
export function wasmUnary(op: UnaryOp, x: View, out: Float32Array): boolean {
  const id = UNARY_IDS[op];
  if (id === undefined || x.dtype !== 'float32' || !isContiguous(x)) return false;
  const n = viewSize(x);
  // relu is one compare and select: memory-bound like the arithmetic ops.
  const cheap = op === 'relu';
  if (n === 0 || !useWasm(n, cheap ? tuning.reluMinElements : tuning.unaryMinElements)) return false;
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
  runParallel(inst, n * (cheap ? tuning.binaryMacsPerElement : tuning.unaryMacsPerElement));
  unstage(inst, dst, out, n);
  return true;
}

const BINARY_IDS: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 };

function isScalarView(v: { shape: readonly number[]; strides: readonly number[] }): boolean {
  return v.strides.every((s, i) => s === 0 || v.shape[i] === 1);
}

/**
 * float32 add / sub / mul / div / maximum / minimum where both operands are contiguous, or one is
 * contiguous and the other a broadcast scalar, or the output's rows take a row vector or one
 * value per row from an operand (see binary.ts); false, leaving `out` untouched, otherwise.
 */
export function wasmBinary(op: BinaryOp, a: View, b: View, out: Float32Array): boolean {
  const id = BINARY_IDS[op];
  if (id === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return false;
  const n = viewSize(a);
  if (n === 0) return false;
  const ca = isContiguous(a);
  const cb = isContiguous(b);
  const mode = ca && cb ? 0 : ca && isScalarView(b) ? 1 : cb && isScalarView(a) ? 2 : -1;
  // The TypeScript kernel's broadcast path walks strided runs, so the SIMD one wins earlier.
  if (mode < 0) return useWasm(n, tuning.binaryRowsMinElements) && wasmBinaryRows(id, a, b, out);
  if (!useWasm(n, tuning.binaryMinElements)) return false;
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

/** How an operand of a [rows, n] output supplies its rows. */
type RowKind = 'full' | 'row' | 'col' | null;

function rowKind(v: View): RowKind {
  const r = v.shape.length;
  if (r === 0) return null;
  const lead = { shape: v.shape.slice(0, r - 1), strides: v.strides.slice(0, r - 1) };
  const last = v.shape[r - 1] === 1 ? 1 : v.strides[r - 1];
  if (last === 1 && isContiguous(v)) return 'full';
  if (last === 1 && isScalarView(lead)) return 'row';
  if ((last === 0 || v.shape[r - 1] === 1) && isContiguous(lead)) return 'col';
  return null;
}

/** The row-broadcast kernel (binr_*): [m, n] with [n] or [m, 1] operands, in either order. */
function wasmBinaryRows(id: number, a: View, b: View, out: Float32Array): boolean {
  const ka = rowKind(a);
  const kb = rowKind(b);
  const kind = ka === 'full' && kb === 'full' ? -1 : (ka === 'full' || ka === 'row') && kb !== null ? (kb === 'col' ? 1 : 0) : ka === 'col' && (kb === 'full' || kb === 'row') ? 2 : -1;
  if (kind < 0) return false;
  const size = viewSize(a);
  const n = a.shape[a.shape.length - 1]!;
  const rows = size / n;
  const inst = kernelInstance();
  if (!inst) return false;
  inst.reset();
  const sa = stageView(inst, a);
  const sb = sa && stageView(inst, b);
  // 16 spare bytes: a row's last vector may read up to 12 bytes past the operands.
  const dst = sb && inst.alloc(size * 4 + 16);
  if (!sa || !sb || dst === null || dst === undefined) return false;
  // A gathered (not span-copied) operand would no longer be a row or column view.
  const same = (s: number[], v: View) => s.every((x, i) => x === v.strides[i]);
  if ((ka !== 'full' && !same(sa.strides, a)) || (kb !== 'full' && !same(sb.strides, b))) return false;
  const rowBytes = (k: RowKind) => (k === 'full' ? n * 4 : k === 'col' ? 4 : 0);
  const w = new Int32Array(inst.buffer, 0, 1024);
  w[4] = TASK_BINARY_ROWS_F32;
  w[P] = id;
  w[P + 1] = sa.ptr;
  w[P + 2] = sb.ptr;
  w[P + 3] = dst;
  w[P + 4] = rows;
  w[P + 5] = n;
  w[P + 6] = rowBytes(ka);
  w[P + 7] = rowBytes(kb);
  w[P + 8] = kind;
  runParallel(inst, size * tuning.binaryMacsPerElement);
  unstage(inst, dst, out, size);
  return true;
}
