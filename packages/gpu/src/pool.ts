/** GPUBufferUsage bits (numeric, so Node needs no WebGPU globals). */
export const Usage = {
  MAP_READ: 0x1,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
} as const;

const TENSOR_USAGE = Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST;
const MIN_BYTES = 16;

/**
 * Size class of a request: powers of two up to 4 KiB, then quarter steps between powers of two, so
 * a pooled buffer wastes at most 25% while a training loop's recurring sizes hit the same class.
 */
export function bucketBytes(bytes: number): number {
  const b = Math.max(MIN_BYTES, Math.ceil(bytes / 4) * 4);
  if (b <= 4096) return 2 ** Math.ceil(Math.log2(b));
  const p = 2 ** Math.floor(Math.log2(b));
  const step = p / 4;
  return Math.ceil(b / step) * step;
}

/**
 * Counters of a {@link BufferPool}; {@link webgpuMemory} returns them with the runtime's counters.
 *
 * @example
 * ```ts
 * import { initWebGPU, webgpuMemory, type PoolStats } from '@difflab/gpu';
 * await initWebGPU();
 * const { liveBytes, pooledBytes }: PoolStats = webgpuMemory();
 * ```
 */
export interface PoolStats {
  /** Buffers handed out and not yet returned (live tensors plus frees waiting for a submit). */
  liveBuffers: number;
  /** Bytes of those buffers (bucketed sizes, so at least the requested bytes). */
  liveBytes: number;
  /** Idle buffers kept for reuse. */
  pooledBuffers: number;
  /** Bytes of the idle buffers; bounded by the pool's `limitBytes`. */
  pooledBytes: number;
  /** Buffers ever created on the device (a pool hit creates none). */
  created: number;
}

/**
 * Size-bucketed free lists of storage buffers. A buffer returned while commands that use it are
 * still being recorded is parked until the next submit: reusing it earlier would let a
 * `queue.writeBuffer` (which runs before the open command buffer) overwrite data a recorded
 * dispatch has yet to read.
 *
 * Reached as `backend.rt.pool`; {@link trimWebGPUPool} and {@link webgpuMemory} cover the usual needs.
 *
 * @example
 * ```ts
 * import { initWebGPU } from '@difflab/gpu';
 * const { backend } = await initWebGPU();
 * const pool = backend.rt.pool;
 * pool.limitBytes = 32 << 20; // keep at most 32 MiB of idle buffers
 * console.log(pool.stats.created, pool.parkedCount);
 * ```
 */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private parked: GPUBuffer[] = [];
  private readonly sizes = new WeakMap<GPUBuffer, number>();
  /** Live, pooled and created counters, updated in place. */
  readonly stats: PoolStats = { liveBuffers: 0, liveBytes: 0, pooledBuffers: 0, pooledBytes: 0, created: 0 };

  constructor(
    private readonly device: GPUDevice,
    /** Idle bytes kept at most; buffers returned beyond this are destroyed. */
    public limitBytes: number,
  ) {}

  /** A storage buffer of at least `bytes` from the pool, or a new one when its size class is empty. */
  acquire(bytes: number): GPUBuffer {
    const size = bucketBytes(bytes);
    const list = this.free.get(size);
    let buf = list?.pop();
    if (buf) {
      this.stats.pooledBuffers--;
      this.stats.pooledBytes -= size;
    } else {
      buf = this.device.createBuffer({ size, usage: TENSOR_USAGE });
      this.sizes.set(buf, size);
      this.stats.created++;
    }
    this.stats.liveBuffers++;
    this.stats.liveBytes += size;
    return buf;
  }

  /** Returns a buffer; `recording` says whether an unsubmitted command buffer may still use it. */
  release(buf: GPUBuffer, recording: boolean): void {
    if (recording) this.parked.push(buf);
    else this.recycle(buf);
  }

  /** Called after a submit: parked buffers become reusable. */
  submitted(): void {
    const p = this.parked;
    this.parked = [];
    for (const b of p) this.recycle(b);
  }

  /** Buffers returned while recording and waiting for the next submit. */
  get parkedCount(): number {
    return this.parked.length;
  }

  private recycle(buf: GPUBuffer): void {
    const size = this.sizes.get(buf)!;
    this.stats.liveBuffers--;
    this.stats.liveBytes -= size;
    if (this.stats.pooledBytes + size > this.limitBytes) {
      buf.destroy();
      return;
    }
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(buf);
    this.stats.pooledBuffers++;
    this.stats.pooledBytes += size;
  }

  /** Destroys every idle buffer (e.g. before measuring or when memory is tight). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.stats.pooledBuffers = 0;
    this.stats.pooledBytes = 0;
  }

  /** The bucketed byte size a pooled buffer was created with. */
  sizeOf(buf: GPUBuffer): number {
    return this.sizes.get(buf)!;
  }
}
