import { DeviceError } from '@difflab/tensor';
import { BufferPool, Usage } from './pool.js';

/**
 * Binding kinds of a kernel, in binding order after the metadata uniform at binding 0:
 * `w` read-write storage (outputs, atomics), `r` read-only storage (inputs).
 */
export type LayoutSpec = string;

/**
 * Settings of a {@link Runtime}: buffer-pool size, submit batching and the grid-stride
 * workgroup cap.
 *
 * @example
 * ```ts
 * import type { RuntimeOptions } from '@difflab/gpu';
 * const opts: RuntimeOptions = { poolLimitBytes: 128 << 20, maxBatch: 32, maxStrideGroups: 64 };
 * ```
 */
export interface RuntimeOptions {
  /** Idle bytes the buffer pool keeps (default 256 MiB). */
  poolLimitBytes?: number;
  /** Dispatches recorded before an automatic submit (default 64). */
  maxBatch?: number;
  /**
   * Most workgroups a grid-stride kernel launches (default 16384). A CPU implementation such as
   * lavapipe pays per workgroup, so {@link initWebGPU} lowers this for software adapters.
   */
  maxStrideGroups?: number;
}

const ARENA_BYTES = 64 * 1024;
const WORKGROUPS_PER_DIM = 65535;

/**
 * Everything between kernels and the WebGPU device: one command encoder per batch of dispatches,
 * a per-batch arena for the small uniform each dispatch needs (shapes, strides, scalars), the
 * pipeline cache keyed by WGSL source, the buffer pool, and read-back through staging buffers.
 *
 * Reached as `backend.rt`; useful for its counters, limits and pool in benchmarks and leak tests.
 *
 * @example
 * ```ts
 * import { initWebGPU, type Runtime } from '@difflab/gpu';
 * const { backend } = await initWebGPU();
 * const rt: Runtime = backend.rt;
 * console.log(rt.counters.dispatches, rt.limits.maxStorageBufferBindingSize);
 * await rt.sync();
 * ```
 */
export class Runtime {
  /** Pool every storage buffer of this device comes from. */
  readonly pool: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layouts = new Map<string, GPUPipelineLayout>();
  private readonly bindLayouts = new Map<string, GPUBindGroupLayout>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private batch = 0;
  private readonly arena: GPUBuffer;
  private readonly arenaHost = new Uint32Array(ARENA_BYTES / 4);
  private arenaUsed = 0;
  private readonly align: number;
  private readonly maxBatch: number;
  /** Cap on workgroups of a grid-stride kernel (see {@link RuntimeOptions.maxStrideGroups}). */
  readonly maxStrideGroups: number;
  private readonly staging: GPUBuffer[] = [];
  private errors: string[] = [];
  /** Counters for tests and benchmarks. */
  readonly counters: {
    /** Kernels recorded. */
    dispatches: number;
    /** Command buffers submitted. */
    submits: number;
    /** Pipelines compiled. */
    pipelines: number;
    /** Read-backs to the host. */
    reads: number;
  } = { dispatches: 0, submits: 0, pipelines: 0, reads: 0 };

  /**
   * Binds a runtime to a device created by the caller; {@link initWebGPU} does this for you.
   *
   * @param device - the WebGPU device every buffer and pipeline belongs to.
   * @param opts - pool size, batching and workgroup limits.
   */
  constructor(
    readonly device: GPUDevice,
    opts: RuntimeOptions = {},
  ) {
    this.pool = new BufferPool(device, opts.poolLimitBytes ?? 256 * 1024 * 1024);
    this.maxBatch = opts.maxBatch ?? 64;
    this.maxStrideGroups = opts.maxStrideGroups ?? 16384;
    this.align = device.limits.minUniformBufferOffsetAlignment;
    this.arena = device.createBuffer({ size: ARENA_BYTES, usage: Usage.UNIFORM | Usage.COPY_DST });
    device.addEventListener?.('uncapturederror', (ev) => {
      this.errors.push((ev as GPUUncapturedErrorEvent).error.message);
    });
  }

  /** The device's limits. */
  get limits(): GPUSupportedLimits {
    return this.device.limits;
  }

  /** Whether commands are being recorded that have not been submitted yet. */
  get recording(): boolean {
    return this.encoder !== null;
  }

  /** The compute pipeline for a WGSL source, compiled once and cached by source text. */
  pipeline(code: string, layout: LayoutSpec): GPUComputePipeline {
    const key = layout + '\n' + code;
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code });
      p = this.device.createComputePipeline({
        layout: this.pipelineLayout(layout),
        compute: { module, entryPoint: 'main' },
      });
      this.pipelines.set(key, p);
      this.counters.pipelines++;
    }
    return p;
  }

  private bindLayout(spec: LayoutSpec): GPUBindGroupLayout {
    let l = this.bindLayouts.get(spec);
    if (!l) {
      const entries: GPUBindGroupLayoutEntry[] = [{ binding: 0, visibility: 4, buffer: { type: 'uniform' } }];
      for (let i = 0; i < spec.length; i++)
        entries.push({
          binding: i + 1,
          visibility: 4,
          buffer: { type: spec[i] === 'w' ? 'storage' : 'read-only-storage' },
        });
      l = this.device.createBindGroupLayout({ entries });
      this.bindLayouts.set(spec, l);
    }
    return l;
  }

  private pipelineLayout(spec: LayoutSpec): GPUPipelineLayout {
    let l = this.layouts.get(spec);
    if (!l) {
      l = this.device.createPipelineLayout({ bindGroupLayouts: [this.bindLayout(spec)] });
      this.layouts.set(spec, l);
    }
    return l;
  }

  /** Workgroup counts covering `groups` workgroups, folded into y beyond the per-dimension limit. */
  static grid(groups: number): [number, number, number] {
    if (groups <= WORKGROUPS_PER_DIM) return [Math.max(groups, 1), 1, 1];
    const y = Math.ceil(groups / WORKGROUPS_PER_DIM);
    return [Math.ceil(groups / y), y, 1];
  }

  /** A pooled buffer of `bytes`; a DeviceError when one binding could not hold it. */
  buffer(bytes: number): GPUBuffer {
    const max = this.device.limits.maxStorageBufferBindingSize;
    if (bytes > max)
      throw new DeviceError(
        `webgpu: an array of ${bytes / 4} elements (${(bytes / 2 ** 20).toFixed(1)} MiB) exceeds this device's ` +
          `maxStorageBufferBindingSize of ${(max / 2 ** 20).toFixed(1)} MiB`,
      );
    return this.pool.acquire(bytes);
  }

  /** Workgroups for a grid-stride kernel over `n` items with `wg` threads per group. */
  strideGrid(n: number, wg: number): [number, number, number] {
    return Runtime.grid(Math.min(Math.ceil(n / wg), this.maxStrideGroups));
  }

  /**
   * Records one dispatch. `meta` is the kernel's uniform (u32 words; i32 and f32 values bit-cast),
   * `buffers` the storage bindings in layout order.
   */
  dispatch(
    code: string,
    layout: LayoutSpec,
    meta: ArrayLike<number>,
    buffers: readonly GPUBuffer[],
    groups: readonly [number, number, number],
  ): void {
    const pipeline = this.pipeline(code, layout);
    const words = Math.max(4, Math.ceil(meta.length / 4) * 4);
    const bytes = words * 4;
    if (this.arenaUsed + bytes > ARENA_BYTES) this.flush();
    this.begin();
    const offset = this.arenaUsed;
    this.arenaHost.set(meta as ArrayLike<number>, offset / 4);
    this.arenaUsed = Math.ceil((offset + bytes) / this.align) * this.align;
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: this.arena, offset, size: bytes } }];
    buffers.forEach((b, i) => entries.push({ binding: i + 1, resource: { buffer: b } }));
    const bind = this.device.createBindGroup({ layout: this.bindLayout(layout), entries });
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.counters.dispatches++;
    if (++this.batch >= this.maxBatch || this.pool.parkedCount > 256) this.flush();
  }

  /** Zero-fills `bytes` of a buffer (a multiple of 4). */
  clear(buf: GPUBuffer, bytes: number): void {
    this.begin();
    this.endPass();
    this.encoder!.clearBuffer(buf, 0, Math.ceil(bytes / 4) * 4);
  }

  /** Records a buffer-to-buffer copy of `bytes` (multiples of 4). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.begin();
    this.endPass();
    this.encoder!.copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** Uploads host data; safe while recording because the target is never a parked buffer. */
  write(buf: GPUBuffer, data: ArrayBufferView): void {
    if (data.byteLength === 0) return;
    const bytes = data.byteLength - (data.byteLength % 4);
    this.device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, bytes);
  }

  /**
   * Copies `bytes` starting at byte `offset` of `buf` back to the host. The copy is recorded and
   * submitted before this returns its promise, so the caller may release `buf` right away.
   */
  async read(buf: GPUBuffer, offset: number, bytes: number): Promise<ArrayBuffer> {
    this.counters.reads++;
    const size = Math.ceil(bytes / 4) * 4;
    const stage = this.takeStaging(Math.max(size, 16));
    this.copy(buf, offset, stage, 0, size);
    this.flush();
    try {
      await stage.mapAsync(1, 0, Math.max(size, 16));
      const out = stage.getMappedRange(0, Math.max(size, 16)).slice(0, size);
      stage.unmap();
      this.staging.push(stage);
      return out;
    } catch (e) {
      stage.destroy();
      this.checkErrors('read');
      throw new DeviceError(`webgpu read: mapping the staging buffer failed (${(e as Error).message})`);
    }
  }

  private takeStaging(size: number): GPUBuffer {
    const i = this.staging.findIndex((b) => b.size >= size && b.size <= size * 4);
    if (i >= 0) return this.staging.splice(i, 1)[0]!;
    while (this.staging.length > 8) this.staging.shift()!.destroy();
    return this.device.createBuffer({ size, usage: Usage.MAP_READ | Usage.COPY_DST });
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.encoder) return;
    this.endPass();
    if (this.arenaUsed > 0) this.device.queue.writeBuffer(this.arena, 0, this.arenaHost.buffer, 0, this.arenaUsed);
    this.device.queue.submit([this.encoder.finish()]);
    this.counters.submits++;
    this.encoder = null;
    this.arenaUsed = 0;
    this.batch = 0;
    this.pool.submitted();
    this.checkErrors('submit');
  }

  /** Resolves when the device has finished all submitted work. */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.checkErrors('sync');
  }

  /** Turns WebGPU validation errors (reported asynchronously) into a thrown DeviceError. */
  checkErrors(where: string): void {
    if (this.errors.length === 0) return;
    const msg = this.errors.join('\n');
    this.errors = [];
    throw new DeviceError(`webgpu ${where}: the device reported an error: ${msg}`);
  }

  private begin(): void {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
  }

  private computePass(): GPUComputePassEncoder {
    if (!this.pass) this.pass = this.encoder!.beginComputePass();
    return this.pass;
  }

  private endPass(): void {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
  }

  /** Submits pending work and releases the arena, staging buffers and idle pooled buffers (the device itself stays). */
  destroy(): void {
    this.flush();
    this.pool.trim();
    for (const s of this.staging) s.destroy();
    this.arena.destroy();
  }
}
