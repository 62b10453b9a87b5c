import { ValueError } from '../../errors.js';
import { GEMM_F32, GEMM_F64, gemmScratchBytes } from './gemm.js';
import { KernelInstance, moduleBytes, sharedMemorySupported, simdSupported } from './module.js';
import { ThreadPool, canBlock } from './threads.js';
import { runTask } from './task.js';

/** Which CPU kernels run: `'auto'` picks WebAssembly SIMD where it pays off, `'wasm'` forces it
 * for every size it supports (used to run the test suite against it), `'ts'` the TypeScript
 * reference kernels only.
 *
 * @example
 * ```ts
 * import { setCpuKernels, type CpuKernelMode } from '@difflab/tensor';
 * const mode: CpuKernelMode = 'ts';
 * setCpuKernels(mode);
 * setCpuKernels('auto'); // back to the default
 * ```
 */
export type CpuKernelMode = 'auto' | 'wasm' | 'ts';

/**
 * What the CPU backend is using, as reported by {@link cpuKernels}.
 *
 * @example
 * ```ts
 * import { cpuKernels, type CpuKernelInfo } from '@difflab/tensor';
 * const info: CpuKernelInfo = cpuKernels();
 * console.log(info.mode, info.numThreads); // 'auto' and the thread count, unless changed
 * ```
 */
export interface CpuKernelInfo {
  /** The selected mode. */
  mode: CpuKernelMode;
  /** True when WebAssembly SIMD kernels are available and enabled (mode is not `'ts'`). */
  wasm: boolean;
  /** True when the engine validated the SIMD kernel module. */
  simd: boolean;
  /** True when the kernel memory is shared, so worker threads can be used. */
  threads: boolean;
  /** The thread count kernels may use (see {@link setNumThreads}). */
  numThreads: number;
  /** Workers started and ready, plus the calling thread. */
  readyThreads: number;
}

/**
 * Size thresholds, in multiply-adds, below which the TypeScript kernels (no copy into wasm
 * memory) or a single thread are faster; measured on a 2-core x64 VM, see DESIGN.md.
 */
export const tuning = {
  matmulMinMacs: 2048,
  threadMinMacs: 1 << 21,
  /** float32 exp / sigmoid / tanh: WebAssembly from this many elements. */
  unaryMinElements: 128,
  /** float32 relu: WebAssembly from this many elements (measured 1.3x faster at 1024, 3x at 32k). */
  reluMinElements: 1024,
  /** Work of one transcendental element in multiply-add equivalents, for the thread threshold. */
  unaryMacsPerElement: 16,
  /** float32 add / sub / mul / div / maximum / minimum: WebAssembly from this many elements. */
  binaryMinElements: 4096,
  /** The same with a row vector or a per-row column operand ([m, n] + [n], [m, n] * [m, 1]). */
  binaryRowsMinElements: 1024,
  /** Work of one arithmetic element in multiply-add equivalents, for the thread threshold. */
  binaryMacsPerElement: 2,
  /** float32 / float64 sum / max / min over trailing axes: WebAssembly from this many elements. */
  reduceMinElements: 256,
  /** im2col (nn.unfold, conv2d): WebAssembly from this many output elements. */
  unfoldMinElements: 4096,
};

function envMode(): CpuKernelMode {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.DIFFLAB_CPU_KERNELS;
  return v === 'ts' || v === 'wasm' ? v : 'auto';
}

function defaultThreadCount(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, Math.min(nav?.hardwareConcurrency ?? 2, 4));
}

/** Scratch is reserved per thread up front, so the count is capped. */
const MAX_THREADS = 8;

let mode: CpuKernelMode = envMode();
let threadsSetByUser = false;
let numThreads = defaultThreadCount();
let simd: boolean | null = null;
let instance: KernelInstance | null = null;
let pool: ThreadPool | null = null;

/** The selected mode (tests restore it). */
export function getKernelMode(): CpuKernelMode {
  return mode;
}

/**
 * Selects the CPU kernels; `'ts'` is the reference implementation.
 *
 * @param m - `'auto'` (default, or `DIFFLAB_CPU_KERNELS`), `'wasm'` or `'ts'`.
 * @throws {ValueError} for any other value.
 *
 * @example
 * ```ts
 * import { setCpuKernels, matmul, tensor } from '@difflab/tensor';
 * setCpuKernels('ts');
 * const y = matmul(tensor([[1, 2]]), tensor([[3], [4]])); // tensor([[11]])
 * setCpuKernels('auto');
 * ```
 */
export function setCpuKernels(m: CpuKernelMode): void {
  if (m !== 'auto' && m !== 'wasm' && m !== 'ts') {
    throw new ValueError(`setCpuKernels: expected 'auto', 'wasm' or 'ts', got ${String(m)}`);
  }
  mode = m;
}

/**
 * Sets how many threads (the calling one included) the WebAssembly kernels may use. Results are
 * bitwise identical for every count; workers start in the background on first use.
 *
 * @param n - A positive integer; counts above 8 are capped at 8.
 * @throws {ValueError} when `n` is not a positive integer.
 *
 * @example
 * ```ts
 * import { setNumThreads, cpuThreadsReady } from '@difflab/tensor';
 * setNumThreads(2);
 * console.log(await cpuThreadsReady()); // 2 where shared memory allows workers, else 1
 * ```
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`setNumThreads: expected a positive integer, got ${n}`);
  numThreads = Math.min(n, MAX_THREADS);
  threadsSetByUser = true;
}

/**
 * Which CPU kernels are in use and with how many threads.
 *
 * @returns A snapshot of {@link CpuKernelInfo}.
 *
 * @example
 * ```ts
 * import { cpuKernels } from '@difflab/tensor';
 * const { mode, simd } = cpuKernels();
 * console.log(mode, simd); // 'auto' true on engines with WebAssembly SIMD
 * ```
 */
export function cpuKernels(): CpuKernelInfo {
  const inst = mode === 'ts' ? null : kernelInstance();
  return {
    mode,
    wasm: inst !== null,
    simd: simdAvailable(),
    threads: inst?.shared === true && pool !== null,
    numThreads: inst?.shared && pool ? numThreads : 1,
    readyThreads: pool ? 1 + Math.min(pool.readyCount(), numThreads - 1) : 1,
  };
}

/**
 * Starts the worker threads now (they otherwise start on the first large kernel call) and
 * resolves with the number of threads ready, the calling thread included.
 *
 * @returns 1 when the kernels run single-threaded (no WebAssembly or no shared memory).
 *
 * @example
 * ```ts
 * import { cpuThreadsReady } from '@difflab/tensor';
 * const threads = await cpuThreadsReady(); // e.g. 2 on a 2-core machine
 * ```
 */
export async function cpuThreadsReady(): Promise<number> {
  const inst = kernelInstance();
  if (!inst || !pool) return 1;
  await pool.ensure(numThreads);
  return 1 + Math.min(pool.readyCount(), numThreads - 1);
}

function simdAvailable(): boolean {
  if (simd === null) simd = simdSupported();
  return simd;
}

/** The kernel instance when the WebAssembly kernels are enabled and available, else null. */
export function kernelInstance(): KernelInstance | null {
  if (mode === 'ts') return null;
  if (instance) return instance;
  if (!simdAvailable()) return null;
  const shared = sharedMemorySupported() && canBlock();
  const maxThreads = MAX_THREADS;
  const scratch = Math.max(gemmScratchBytes(GEMM_F32), gemmScratchBytes(GEMM_F64));
  const memory = shared
    ? new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true })
    : new WebAssembly.Memory({ initial: 1, maximum: 32768 });
  const module = new WebAssembly.Module(moduleBytes(shared));
  instance = new KernelInstance(module, memory, shared, scratch, maxThreads);
  if (shared) pool = new ThreadPool(module, memory, instance.exports);
  if (shared && isNodeRuntime()) void nodeParallelism();
  return instance;
}

function isNodeRuntime(): boolean {
  return !!(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
}

/** Node 20 has no `navigator`; ask the os module (loaded lazily, so bundles never see it). */
async function nodeParallelism(): Promise<void> {
  const name = 'node:os';
  const os = (await import(/* @vite-ignore */ name)) as { availableParallelism?: () => number; cpus: () => unknown[] };
  const n = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  if (!threadsSetByUser) numThreads = Math.max(1, Math.min(n, 4));
}

/** True when the current mode sends a kernel of `macs` multiply-adds to WebAssembly. */
export function useWasm(macs: number, minMacs: number): boolean {
  return mode === 'wasm' || (mode === 'auto' && macs >= minMacs);
}

/**
 * Runs the task in the control block on as many threads as `macs` justifies, starting workers
 * in the background when more could be used.
 */
export function runParallel(inst: KernelInstance, macs: number): number {
  const want = macs >= tuning.threadMinMacs ? numThreads : 1;
  if (pool && want > 1) {
    void pool.ensure(want);
    return pool.run(want);
  }
  const w = new Int32Array(inst.buffer, 0, 1024);
  w[3] = 1;
  runTask(inst.exports as unknown as Record<string, (...a: number[]) => unknown>, w, 0);
  return 1;
}

/** Stops the worker threads (tests); they restart on demand. */
export async function stopCpuThreads(): Promise<void> {
  await pool?.terminate();
}
