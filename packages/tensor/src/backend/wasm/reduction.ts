import type { ReduceOp, View } from '../types.js';
import { isContiguous, viewSize } from '../cpu/strided.js';
import { kernelInstance, tuning, useWasm } from './runtime.js';
import { stageView, unstage } from './staging.js';

/**
 * sum / max / min of a contiguous float view over its trailing axes (the last axis, or all of
 * them) or its leading axes (a batch axis) on the SIMD kernels (see reduce.ts); false, leaving `out` untouched, for other ops,
 * dtypes, axis sets, strided views or sizes below the threshold. Single-threaded: a reduction
 * reads each element once, so it is bound by the copy into kernel memory, not by arithmetic.
 */
export function wasmReduce(op: ReduceOp, x: View, axes: readonly number[], out: Float32Array | Float64Array): boolean {
  if (op !== 'sum' && op !== 'max' && op !== 'min') return false;
  const f64 = x.dtype === 'float64';
  if ((!f64 && x.dtype !== 'float32') || f64 !== out instanceof Float64Array) return false;
  const rank = x.shape.length;
  const k = axes.length;
  if (k === 0) return false;
  const sorted = axes.slice().sort((p, q) => p - q);
  // Trailing axes: one output per row; leading axes: one output per column.
  let trailing = true;
  let leading = true;
  for (let j = 0; j < k; j++) {
    if (sorted[j] !== rank - k + j) trailing = false;
    if (sorted[j] !== j) leading = false;
  }
  if (!trailing && !leading) return false;
  const size = viewSize(x);
  if (size === 0 || !isContiguous(x) || !useWasm(size, tuning.reduceMinElements)) return false;
  let n = 1;
  for (let d = trailing ? rank - k : k; d < rank; d++) n *= x.shape[d]!;
  const rows = size / n;
  const outCount = trailing ? rows : n;
  const inst = kernelInstance();
  if (!inst) return false;
  inst.reset();
  const es = f64 ? 8 : 4;
  const src = stageView(inst, x);
  const dst = src && inst.alloc(outCount * es);
  if (!src || dst === null || dst === undefined) return false;
  const name = `${trailing ? 'red' : 'redc'}_${op}_${f64 ? 'f64' : 'f32'}`;
  (inst.exports[name] as (...a: number[]) => void)(src.ptr, rows, n, dst);
  unstage(inst, dst, out, outCount);
  return true;
}
