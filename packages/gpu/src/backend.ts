import {
  DeviceError,
  type ArgReduceOp,
  type Backend,
  type BinaryOp,
  type DType,
  type ReduceOp,
  type Storage,
  type TypedArray,
  type UnaryOp,
  type View,
} from '@difflab/tensor';
import { GpuData, type Expr } from './data.js';
import { assertGpuDType, fromDeviceBytes, toDeviceArray } from './dtype.js';
import { ELEMENTWISE_WG, compileElementwise, exprCost } from './fusion/codegen.js';
import { isContiguous, sizeOf } from './layout.js';
import { Runtime } from './runtime.js';
import type { DeviceView, KernelContext } from './kernels/context.js';
import { reduceKernel } from './kernels/reduce.js';
import { argReduceKernel } from './kernels/argreduce.js';
import { matmulKernel, type MatmulVariant } from './kernels/matmul.js';
import { gatherKernel, scatterAddKernel } from './kernels/gather.js';
import { assignRegionKernel } from './kernels/region.js';
import { cumsumKernel } from './kernels/cumsum.js';
import { sortKernel } from './kernels/sort.js';
import { foldKernel, unfoldKernel } from './kernels/im2col.js';
import type { Im2colGeometry } from './kernels/im2col.js';
import { fftKernel, type FFTKind, type FFTOptions } from './kernels/fft.js';

/**
 * Elementwise-fusion settings of a {@link WebGPUBackend} (`backend.fusion`), mutable at run time.
 *
 * @example
 * ```ts
 * import { initWebGPU, type FusionOptions } from '@difflab/gpu';
 * const { backend } = await initWebGPU();
 * const fusion: FusionOptions = backend.fusion;
 * fusion.enabled = false; // one kernel per op, e.g. to time ops separately
 * ```
 */
export interface FusionOptions {
  /** Fuse chains of elementwise ops into one kernel (default true). */
  enabled: boolean;
  /** Most operations one fused kernel evaluates per element (default 48). */
  maxNodes: number;
}

/**
 * The `webgpu` device. Elementwise kernels (unary, binary, where, copy/cast, fill) return lazy
 * arrays that record what to compute; the first consumer that needs memory (a reduction, matmul,
 * a read, a non-trivial view) compiles the whole pending chain into one WGSL kernel. Every other
 * kernel runs immediately (recorded into the current command buffer; nothing waits for the GPU
 * until data is read).
 *
 * {@link initWebGPU} creates and registers the instance; tensors reach it through
 * `device: 'webgpu'` or `t.to('webgpu')`, not by calling its methods.
 *
 * @example
 * ```ts
 * import { initWebGPU, webgpuBackend } from '@difflab/gpu';
 * import { tensor, exp, mul, sum } from '@difflab/tensor';
 * await initWebGPU();
 * const backend = webgpuBackend();
 * backend.matmulVariant = 'register'; // force the CPU-adapter matmul
 * const x = tensor([0, 1, 2], { device: 'webgpu' });
 * const y = sum(mul(exp(x), 2)); // exp and mul fuse into one kernel before the reduction
 * console.log((await y.data())[0]); // ≈ 22.21 = 2(1 + e + e²)
 * ```
 */
export class WebGPUBackend implements Backend {
  /** Device name under which this backend is registered with @difflab/tensor. */
  readonly name = 'webgpu';
  /** Elementwise-fusion settings; may be changed between ops (e.g. disabled to time single kernels). */
  readonly fusion: FusionOptions = { enabled: true, maxNodes: 48 };
  /** Matmul kernel: shared-memory tiles on GPUs; register blocking on CPU adapters such as lavapipe. */
  matmulVariant: MatmulVariant = 'shared';
  /** Extra kernels (im2col, col2im, FFT) that @difflab/tensor's nn and fft ops look up by name. */
  readonly kernels: Record<string, (...args: never[]) => unknown>;
  private readonly maxInputs: number;
  private readonly ctx: KernelContext;

  /**
   * Wraps a {@link Runtime}; {@link initWebGPU} builds and registers one, so users rarely call this.
   *
   * @param rt - the runtime all kernels record into (command batching, pipelines, buffer pool).
   */
  constructor(readonly rt: Runtime) {
    // One binding is the output; the rest may be inputs of a fused kernel.
    this.maxInputs = Math.min(rt.limits.maxStorageBuffersPerShaderStage, 16) - 1;
    this.ctx = {
      rt,
      input: (v) => this.deviceView(v),
      output: (n) => rt.buffer(Math.max(n, 1) * 4),
      scratch: (b) => rt.pool.release(b, rt.recording),
    };
    const ctx = this.ctx;
    this.kernels = {
      'nn.unfold': ((x: View, g: Im2colGeometry) => this.wrap(x.dtype, unfoldKernel(ctx, x, g))) as never,
      'nn.fold': ((cols: View, g: Im2colGeometry) => this.wrap(cols.dtype, foldKernel(ctx, cols, g))) as never,
    };
    for (const kind of ['c2c', 'r2c', 'c2r'] as FFTKind[])
      this.kernels[`fft.${kind}`] = ((x: View, o: FFTOptions) => {
        assertGpuDType(kind === 'c2c' ? (o.inverse ? 'ifft' : 'fft') : kind === 'r2c' ? 'rfft' : 'irfft', x.dtype);
        return this.wrap(x.dtype, fftKernel(ctx, kind, x, o));
      }) as never;
  }

  // ---- storage -------------------------------------------------------------------------------

  /**
   * Safety net for tensors dropped without dispose(): when the garbage collector reclaims a
   * storage object its device array is released too. dispose()/tidy remain the way to free memory
   * promptly; this only stops forgotten tensors from holding GPU memory until the process ends.
   */
  private readonly collected = new FinalizationRegistry<GpuData>((h) => this.ownerGone(h));

  private storage(h: GpuData): Storage {
    const s: Storage = { backend: this, dtype: h.dtype, size: h.size, data: h, refs: 0 };
    this.collected.register(s, h, s);
    return s;
  }

  private ownerGone(h: GpuData): void {
    if (h.released) return;
    h.released = true;
    this.release(h);
  }

  /** Wraps a freshly written buffer of `size(shape)` elements. */
  private wrap(dtype: DType, r: { buffer: GPUBuffer; size: number }): Storage {
    const h = new GpuData(dtype, r.size);
    h.buffer = r.buffer;
    return this.storage(h);
  }

  private bufferStorage(dtype: DType, size: number, buffer: GPUBuffer): Storage {
    return this.wrap(dtype, { buffer, size });
  }

  /** Uploads host data as a new device array. */
  fromHost(data: TypedArray, dtype: DType): Storage {
    assertGpuDType('webgpu upload', dtype, ` (${data.length} elements)`);
    const buf = this.rt.buffer(Math.max(data.length, 1) * 4);
    this.rt.write(buf, toDeviceArray(data, dtype));
    return this.bufferStorage(dtype, data.length, buf);
  }

  /** Submits pending work and copies the view back to the host. */
  async read(x: View): Promise<TypedArray> {
    assertGpuDType('read', x.dtype);
    const n = sizeOf(x.shape);
    if (n === 0) return fromDeviceBytes(new ArrayBuffer(0), 0, x.dtype);
    const h = x.storage.data as GpuData;
    let src: GPUBuffer;
    let offset = 0;
    let temp: GpuData | null = null;
    if (h.buffer && isContiguous(x.shape, x.strides)) {
      src = h.buffer;
      offset = x.offset;
    } else {
      temp = this.lazyData(this.leaf(x), n);
      src = this.materialize(temp);
    }
    const pending = this.rt.read(src, offset * 4, n * 4);
    if (temp) this.release(temp);
    return fromDeviceBytes(await pending, n, x.dtype);
  }

  /** Drops this storage's reference; the buffer returns to the pool once no lazy consumer needs it. */
  free(s: Storage): void {
    const h = s.data as GpuData | null;
    this.collected.unregister(s);
    if (h) this.ownerGone(h);
    s.data = null;
  }

  private release(h: GpuData): void {
    if (--h.owners > 0) return;
    if (h.buffer) {
      this.rt.pool.release(h.buffer, this.rt.recording);
      h.buffer = null;
    } else if (h.expr) {
      const e = h.expr;
      h.expr = null;
      this.releaseExpr(e);
    }
  }

  private releaseExpr(e: Expr): void {
    switch (e.k) {
      case 'leaf':
        return this.release(e.h);
      case 'const':
        return;
      case 'unary':
      case 'cast':
        return this.releaseExpr(e.x);
      case 'binary':
        this.releaseExpr(e.a);
        return this.releaseExpr(e.b);
      case 'where':
        this.releaseExpr(e.c);
        this.releaseExpr(e.a);
        return this.releaseExpr(e.b);
    }
  }

  // ---- fusion --------------------------------------------------------------------------------

  /**
   * Runs the pending kernel of a lazy array (if any) and returns its buffer.
   * @internal
   */
  materialize(h: GpuData): GPUBuffer {
    if (h.buffer) return h.buffer;
    const e = h.expr!;
    const buf = this.rt.buffer(Math.max(h.size, 1) * 4);
    if (h.size > 0) {
      if (e.k === 'const' && Object.is(e.value, 0)) this.rt.clear(buf, h.size * 4);
      else if (e.k === 'leaf' && e.h.buffer && e.h.dtype === e.dtype && isContiguous(e.shape, e.strides))
        this.rt.copy(e.h.buffer, e.offset * 4, buf, 0, h.size * 4);
      else {
        const c = compileElementwise(e, h.size);
        this.rt.dispatch(c.code, c.layout, c.meta, [buf, ...c.inputs], this.rt.strideGrid(h.size, ELEMENTWISE_WG));
      }
    }
    h.buffer = buf;
    h.expr = null;
    this.releaseExpr(e);
    return buf;
  }

  /** A leaf reading view `v`; takes a reference on the array it reads. */
  private leaf(v: View): Expr {
    const h = v.storage.data as GpuData;
    if (!h) throw new DeviceError(`webgpu: a kernel input of shape [${v.shape.join(', ')}] was already freed`);
    if (h.expr?.k === 'const') return { k: 'const', value: h.expr.value, dtype: v.dtype };
    if (h.lazy) {
      const identity = v.offset === 0 && sizeOf(v.shape) === h.size && isContiguous(v.shape, v.strides);
      // A lazy array read through a real view (transpose, broadcast, slice) or shared by a second
      // consumer while it is not trivial to recompute gets its own buffer.
      if (!identity || !this.fusion.enabled || this.consumers(h) >= 1) this.materialize(h);
    }
    h.owners++;
    return { k: 'leaf', h, shape: v.shape, strides: v.strides, offset: v.offset, dtype: v.dtype };
  }

  /** Number of lazy consumers a nontrivial lazy array already has (owners beyond its tensor). */
  private consumers(h: GpuData): number {
    if (!h.expr || exprCost(h.expr).nodes <= 3) return 0;
    return h.owners - 1;
  }

  private lazyData(expr: Expr, size: number): GpuData {
    const h = new GpuData(expr.dtype, size);
    h.expr = expr;
    if (!this.fusion.enabled) {
      // Unfused, every op is its own kernel; constants stay inline uniforms as in any eager backend.
      if (expr.k !== 'const') this.materialize(h);
      return h;
    }
    const cost = exprCost(expr);
    if (cost.nodes > this.fusion.maxNodes || cost.buffers > this.maxInputs) {
      // Materialise the direct lazy inputs: the new kernel then reads at most three buffers.
      this.forEachLeaf(expr, (l) => this.materialize(l.h));
    }
    return h;
  }

  private forEachLeaf(e: Expr, f: (l: Extract<Expr, { k: 'leaf' }>) => void): void {
    switch (e.k) {
      case 'leaf':
        return f(e);
      case 'const':
        return;
      case 'unary':
      case 'cast':
        return this.forEachLeaf(e.x, f);
      case 'binary':
        this.forEachLeaf(e.a, f);
        return this.forEachLeaf(e.b, f);
      case 'where':
        this.forEachLeaf(e.c, f);
        this.forEachLeaf(e.a, f);
        return this.forEachLeaf(e.b, f);
    }
  }

  private lazy(expr: Expr, size: number): Storage {
    return this.storage(this.lazyData(expr, size));
  }

  /** Materialised buffer view of a kernel input. */
  private deviceView(v: View): DeviceView {
    assertGpuDType('webgpu kernel', v.dtype);
    const h = v.storage.data as GpuData;
    if (!h) throw new DeviceError(`webgpu: a kernel input of shape [${v.shape.join(', ')}] was already freed`);
    return { buffer: this.materialize(h), dtype: v.dtype, shape: v.shape, strides: v.strides, offset: v.offset };
  }

  // ---- elementwise ---------------------------------------------------------------------------

  /** A lazy array filled with `value`. */
  fill(shape: readonly number[], value: number, dtype: DType): Storage {
    assertGpuDType('webgpu fill', dtype, ` (shape [${shape.join(', ')}])`);
    const v = dtype === 'float32' ? Math.fround(value) : dtype === 'int32' ? value | 0 : value ? 1 : 0;
    return this.lazy({ k: 'const', value: v, dtype }, sizeOf(shape));
  }

  /** A lazy contiguous copy of `x`, cast to `dtype`. */
  copy(x: View, dtype: DType = x.dtype): Storage {
    assertGpuDType('webgpu copy', dtype, ` (shape [${x.shape.join(', ')}])`);
    const l = this.leaf(x);
    return this.lazy(dtype === x.dtype ? l : { k: 'cast', x: l, dtype }, sizeOf(x.shape));
  }

  /** A lazy elementwise unary op. */
  unary(op: UnaryOp, x: View, outDtype: DType): Storage {
    assertGpuDType(op, outDtype);
    return this.lazy({ k: 'unary', op, x: this.leaf(x), dtype: outDtype }, sizeOf(x.shape));
  }

  /** A lazy elementwise binary op with broadcasting already encoded in the views. */
  binary(op: BinaryOp, a: View, b: View, outDtype: DType): Storage {
    assertGpuDType(op, outDtype);
    return this.lazy({ k: 'binary', op, a: this.leaf(a), b: this.leaf(b), dtype: outDtype }, sizeOf(a.shape));
  }

  /** A lazy elementwise select. */
  where(cond: View, a: View, b: View, outDtype: DType): Storage {
    assertGpuDType('where', outDtype);
    return this.lazy(
      { k: 'where', c: this.leaf(cond), a: this.leaf(a), b: this.leaf(b), dtype: outDtype },
      sizeOf(a.shape),
    );
  }

  // ---- other kernels -------------------------------------------------------------------------

  /** Reduces `x` over `axes`. */
  reduce(op: ReduceOp, x: View, axes: readonly number[], outDtype: DType): Storage {
    const n = sizeOf(x.shape.filter((_, i) => !axes.includes(i)));
    return this.bufferStorage(outDtype, n, reduceKernel(this.ctx, op, x, axes, outDtype));
  }

  /** Index of the max/min along `axis` (int32). */
  argReduce(op: ArgReduceOp, x: View, axis: number): Storage {
    const n = sizeOf(x.shape) / Math.max(x.shape[axis]!, 1);
    return this.bufferStorage('int32', x.shape[axis] === 0 ? 0 : n, argReduceKernel(this.ctx, op, x, axis));
  }

  /** Batched matmul with the kernel chosen by {@link WebGPUBackend.matmulVariant}. */
  matmul(a: View, b: View, outDtype: DType): Storage {
    const n = a.shape[0]! * a.shape[1]! * b.shape[2]!;
    return this.bufferStorage(outDtype, n, matmulKernel(this.ctx, a, b, outDtype, this.matmulVariant));
  }

  /** Gathers slices of `x` along `axis` at `indices`. */
  gather(x: View, indices: View, axis: number): Storage {
    const n = (sizeOf(x.shape) / Math.max(x.shape[axis]!, 1)) * sizeOf(indices.shape);
    return this.bufferStorage(x.dtype, x.shape[axis] === 0 ? 0 : n, gatherKernel(this.ctx, x, indices, axis));
  }

  /** Adds `src` into zeros of `outShape` at `indices` along `axis` (atomic float adds). */
  scatterAdd(src: View, indices: View, axis: number, outShape: readonly number[]): Storage {
    return this.bufferStorage(src.dtype, sizeOf(outShape), scatterAddKernel(this.ctx, src, indices, axis, outShape));
  }

  /** A copy of `base` with the strided region overwritten by `src`. */
  assignRegion(base: View, src: View, region: { offset: number; strides: readonly number[] }): Storage {
    // The output starts as a copy of base (a buffer clear when base is a fill of zeros).
    const h = this.lazyData(this.leaf(base), sizeOf(base.shape));
    assignRegionKernel(this.ctx, this.materialize(h), src, region);
    return this.storage(h);
  }

  /** Inclusive cumulative sum along `axis`, optionally from the end. */
  cumsum(x: View, axis: number, reverse: boolean): Storage {
    return this.bufferStorage(x.dtype, sizeOf(x.shape), cumsumKernel(this.ctx, x, axis, reverse));
  }

  /** Sorts the last axis; returns values and int32 indices. */
  sort(x: View, descending: boolean): [Storage, Storage] {
    const n = sizeOf(x.shape);
    const [v, i] = sortKernel(this.ctx, x, descending);
    return [this.bufferStorage(x.dtype, n, v), this.bufferStorage('int32', n, i)];
  }

  /** Submits recorded work and resolves when the device has finished it. */
  sync(): Promise<void> {
    return this.rt.sync();
  }
}
