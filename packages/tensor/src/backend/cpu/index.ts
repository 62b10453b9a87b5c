import { typedArrayFor, castScalar, type DType, type TypedArray } from '../../dtype.js';
import type { ArgReduceOp, Backend, BinaryOp, ReduceOp, Storage, UnaryOp, View } from '../types.js';
import { binaryKernel, unaryKernel, whereKernel } from './elementwise.js';
import { argReduceKernel, reduceKernel } from './reduce.js';
import { matmulKernel } from './matmul.js';
import { assignRegionKernel, cumsumKernel, gatherKernel, scatterAddKernel, sortKernel } from './indexing.js';
import { gatherView, viewSize } from './strided.js';
import { giveBuffer, takeBuffer } from './pool.js';
import { wasmMatmul } from '../wasm/matmul.js';
import { wasmBinary, wasmUnary } from '../wasm/elementwise.js';
import { wasmReduce } from '../wasm/reduction.js';

function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * The host-memory backend: storage is a TypedArray, kernels are plain TypeScript loops.
 *
 * It needs nothing but Node or a browser and is always registered as `'cpu'`; its single instance
 * is {@link cpuBackend}. Freed buffers go to a per-dtype pool for reuse. Beyond {@link Backend} it
 * offers `wrap` (adopt a TypedArray without copying) and `alloc`, for kernel authors.
 *
 * @example
 * ```ts
 * import { cpuBackend, type CpuBackend } from '@difflab/tensor';
 * const cpu: CpuBackend = cpuBackend;
 * const s = cpu.wrap(new Float64Array([1, 2, 3]), 'float64');
 * cpu.readSync({ storage: s, dtype: 'float64', shape: [3], strides: [-1], offset: 2 }); // => [3, 2, 1]
 * ```
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';

  /** Adopts `data` (no copy) as a storage of this backend. */
  wrap(data: TypedArray, dtype: DType): Storage {
    return { backend: this, dtype, size: data.length, data, refs: 0 };
  }

  /** A storage of `n` elements; `zeroed: false` when the caller overwrites every element. */
  alloc(n: number, dtype: DType, zeroed = true): Storage {
    return this.wrap(takeBuffer(dtype, n, zeroed), dtype);
  }

  fromHost(data: TypedArray, dtype: DType): Storage {
    const out = takeBuffer(dtype, data.length, false);
    out.set(data);
    return this.wrap(out, dtype);
  }

  readSync(x: View): TypedArray {
    const out = typedArrayFor(x.dtype, viewSize(x));
    gatherView(x, out);
    return out;
  }

  read(x: View): Promise<TypedArray> {
    return Promise.resolve(this.readSync(x));
  }

  free(s: Storage): void {
    if (s.data) giveBuffer(s.dtype, s.data as TypedArray);
    s.data = null;
  }

  fill(shape: readonly number[], value: number, dtype: DType): Storage {
    const s = this.alloc(sizeOfShape(shape), dtype);
    const v = castScalar(value, dtype);
    if (v !== 0) (s.data as TypedArray).fill(v);
    return s;
  }

  copy(x: View, dtype: DType = x.dtype): Storage {
    const s = this.alloc(viewSize(x), dtype, false);
    const conv =
      dtype === 'int32' ? (v: number) => Math.trunc(v) : dtype === 'bool' ? (v: number) => (v ? 1 : 0) : undefined;
    gatherView(x, s.data as TypedArray, x.dtype === dtype ? undefined : conv);
    return s;
  }

  unary(op: UnaryOp, x: View, outDtype: DType): Storage {
    const s = this.alloc(viewSize(x), outDtype, false);
    if (!(outDtype === 'float32' && wasmUnary(op, x, s.data as Float32Array))) unaryKernel(op, x, s.data as TypedArray);
    return s;
  }

  binary(op: BinaryOp, a: View, b: View, outDtype: DType): Storage {
    const s = this.alloc(viewSize(a), outDtype, false);
    if (!(outDtype === 'float32' && wasmBinary(op, a, b, s.data as Float32Array))) binaryKernel(op, a, b, s.data as TypedArray);
    if (outDtype === 'int32' && (op === 'div' || op === 'pow')) {
      const d = s.data as Int32Array;
      for (let i = 0; i < d.length; i++) d[i] = d[i]! | 0;
    }
    return s;
  }

  where(cond: View, a: View, b: View, outDtype: DType): Storage {
    const s = this.alloc(viewSize(a), outDtype, false);
    whereKernel(cond, a, b, s.data as TypedArray);
    return s;
  }

  reduce(op: ReduceOp, x: View, axes: readonly number[], outDtype: DType): Storage {
    const outShape = x.shape.filter((_, i) => !axes.includes(i));
    const s = this.alloc(sizeOfShape(outShape), outDtype, false);
    if (!(outDtype === x.dtype && wasmReduce(op, x, axes, s.data as Float32Array))) {
      reduceKernel(op, x, axes, s.data as TypedArray);
    }
    return s;
  }

  argReduce(op: ArgReduceOp, x: View, axis: number): Storage {
    const outShape = x.shape.filter((_, i) => i !== axis);
    const s = this.alloc(sizeOfShape(outShape), 'int32');
    argReduceKernel(op, x, axis, s.data as TypedArray);
    return s;
  }

  matmul(a: View, b: View, outDtype: DType): Storage {
    const s = this.alloc(a.shape[0]! * a.shape[1]! * b.shape[2]!, outDtype, false);
    if (!wasmMatmul(a, b, s.data as Float32Array)) matmulKernel(a, b, s.data as Float32Array);
    return s;
  }

  gather(x: View, indices: View, axis: number): Storage {
    const shape = x.shape.slice();
    shape[axis] = viewSize(indices);
    const s = this.alloc(sizeOfShape(shape), x.dtype, false);
    gatherKernel(x, indices, axis, s.data as TypedArray);
    return s;
  }

  scatterAdd(src: View, indices: View, axis: number, outShape: readonly number[]): Storage {
    const s = this.alloc(sizeOfShape(outShape), src.dtype);
    scatterAddKernel(src, indices, axis, outShape, s.data as TypedArray);
    return s;
  }

  assignRegion(base: View, src: View, region: { offset: number; strides: readonly number[] }): Storage {
    const s = this.alloc(viewSize(base), base.dtype);
    assignRegionKernel(base, src, region, s.data as TypedArray);
    return s;
  }

  cumsum(x: View, axis: number, reverse: boolean): Storage {
    const s = this.alloc(viewSize(x), x.dtype);
    cumsumKernel(x, axis, reverse, s.data as TypedArray);
    return s;
  }

  sort(x: View, descending: boolean): [Storage, Storage] {
    const n = viewSize(x);
    const v = this.alloc(n, x.dtype);
    const i = this.alloc(n, 'int32');
    sortKernel(x, descending, v.data as TypedArray, i.data as TypedArray);
    return [v, i];
  }
}

/**
 * The CPU backend instance, registered as `'cpu'` at load time.
 *
 * Pass it to {@link registerBackend} under another name, or call its kernels directly when writing
 * a device backend that falls back to the host.
 *
 * @example
 * ```ts
 * import { cpuBackend, getBackend } from '@difflab/tensor';
 * getBackend('cpu') === cpuBackend; // => true
 * ```
 */
export const cpuBackend = new CpuBackend();
