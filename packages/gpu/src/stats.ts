import { webgpuBackend } from './init.js';
import type { PoolStats } from './pool.js';

export interface WebGPUMemory extends PoolStats {
  /** Kernels recorded, command buffers submitted, pipelines compiled and read-backs so far. */
  dispatches: number;
  submits: number;
  pipelines: number;
  reads: number;
}

/** Device memory and activity counters of the webgpu backend (for leak tests and benchmarks). */
export function webgpuMemory(): WebGPUMemory {
  const rt = webgpuBackend().rt;
  return { ...rt.pool.stats, ...rt.counters };
}

/** Submits pending kernels and resolves when the GPU has finished them (for timing). */
export function syncWebGPU(): Promise<void> {
  return webgpuBackend().sync();
}

/** Releases idle pooled buffers back to the driver. */
export function trimWebGPUPool(): void {
  webgpuBackend().rt.pool.trim();
}
