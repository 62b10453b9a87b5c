import { encodeModule, type FuncDef } from './emit.js';
import { GEMM_F32, GEMM_F64, gemmFunctions } from './gemm.js';
import { unaryFunctions } from './unary.js';
import { binaryFunctions } from './binary.js';
import { reduceFunctions } from './reduce.js';
import { im2colFunctions } from './im2col.js';

/*
 * The one kernel module: generated at first use, instantiated over an imported memory so worker
 * threads can instantiate the same module over the same (shared) memory.
 *
 * Memory layout: the first CONTROL_BYTES hold the thread pool's control words and task
 * parameters; after that a per-thread scratch area (packing panels), then a bump arena that each
 * kernel call resets, where operands are copied in and results written.
 */

export const PAGE = 65536;
/** Control block: Int32 words used by the thread pool (see threads.ts). */
export const CONTROL_BYTES = 4096;
/** Upper bound of the memory (a shared memory needs one); i32 addressing stays below 2 GiB. */
export const MAX_PAGES = 32768;

/** Exports of the kernel module (all addresses are byte offsets into the memory). */
export interface KernelExports {
  gemm_f32(...args: number[]): void;
  gemm_f64(...args: number[]): void;
  [name: string]: (...args: number[]) => number | void;
}

function functions(): FuncDef[] {
  return [...gemmFunctions(GEMM_F32, 0), ...gemmFunctions(GEMM_F64, 4), ...unaryFunctions(), ...binaryFunctions(), ...reduceFunctions(), ...im2colFunctions()];
}

let bytesCache: Map<boolean, Uint8Array<ArrayBuffer>> = new Map();

/** The encoded module, importing a shared memory when `shared`. */
export function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  let b = bytesCache.get(shared);
  if (!b) {
    b = encodeModule(functions(), { minPages: 1, maxPages: MAX_PAGES, shared });
    bytesCache.set(shared, b);
  }
  return b;
}

/** Drops cached module bytes (tests regenerate with other parameters). */
export function resetModuleCache(): void {
  bytesCache = new Map();
}

/** True when this engine validates a module that uses 128-bit SIMD. */
export function simdSupported(): boolean {
  if (typeof WebAssembly === 'undefined' || typeof WebAssembly.validate !== 'function') return false;
  try {
    return WebAssembly.validate(moduleBytes(false));
  } catch {
    return false;
  }
}

/** True when a shared WebAssembly.Memory can be created (Node; cross-origin isolated browsers). */
export function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return WebAssembly.validate(moduleBytes(true));
  } catch {
    return false;
  }
}

/** A live instance with its memory and the arena allocator over it. */
export class KernelInstance {
  readonly exports: KernelExports;
  private top = 0;
  private base: number;

  constructor(
    readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    readonly shared: boolean,
    /** Bytes reserved per thread for packing scratch, after the control block. */
    readonly scratchPerThread: number,
    readonly maxThreads: number,
  ) {
    this.exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
    this.base = align(CONTROL_BYTES + scratchPerThread * maxThreads, 64);
    this.ensure(this.base);
    this.top = this.base;
  }

  /** Scratch area of thread `t`. */
  scratch(t: number): number {
    return CONTROL_BYTES + this.scratchPerThread * t;
  }

  /** Frees every arena allocation (kernel calls are not reentrant). */
  reset(): void {
    this.top = this.base;
  }

  /** Reserves `bytes` (64-byte aligned) in the arena; null when the memory cannot hold them. */
  alloc(bytes: number): number | null {
    const p = this.top;
    const end = align(p + bytes, 64);
    if (!this.ensure(end)) return null;
    this.top = end;
    return p;
  }

  private ensure(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return true;
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MAX_PAGES) return false;
    try {
      this.memory.grow(pages);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The memory's current buffer (a new object after growth). Typed as ArrayBuffer because the
   * typed-array constructors are declared for it; a SharedArrayBuffer works the same at run time.
   */
  get buffer(): ArrayBuffer {
    return this.memory.buffer as ArrayBuffer;
  }
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
