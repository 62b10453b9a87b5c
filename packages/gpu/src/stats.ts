import { webgpuBackend } from './init.js';
import type { PoolStats } from './pool.js';

/**
 * Buffer-pool statistics plus activity counters of the webgpu backend, as returned by
 * {@link webgpuMemory}. All counters are cumulative since {@link initWebGPU}.
 *
 * @example
 * ```ts
 * import { initWebGPU, webgpuMemory, type WebGPUMemory } from '@difflab/gpu';
 * await initWebGPU();
 * const m: WebGPUMemory = webgpuMemory();
 * console.log(m.liveBytes, m.dispatches);
 * ```
 */
export interface WebGPUMemory extends PoolStats {
  /** Kernels recorded so far. */
  dispatches: number;
  /** Command buffers submitted so far. */
  submits: number;
  /** Compute pipelines compiled so far (one per distinct WGSL source). */
  pipelines: number;
  /** Read-backs to the host so far. */
  reads: number;
}

/**
 * Device memory and activity counters of the webgpu backend (for leak tests and benchmarks).
 *
 * `liveBytes` that stays flat across training-loop iterations is the check that GPU memory
 * does not grow.
 *
 * @returns A snapshot of {@link WebGPUMemory}.
 * @throws {DeviceError} before {@link initWebGPU} has resolved.
 *
 * @example
 * ```ts
 * import { initWebGPU, webgpuMemory, syncWebGPU } from '@difflab/gpu';
 * import { tidy, ones, sum } from '@difflab/tensor';
 * await initWebGPU();
 * const before = webgpuMemory().liveBuffers;
 * tidy(() => {
 *   sum(ones([64], { device: 'webgpu' }));
 * });
 * await syncWebGPU(); // frees wait for the next submit
 * console.log(webgpuMemory().liveBuffers - before); // 0: tidy released every intermediate
 * ```
 */
export function webgpuMemory(): WebGPUMemory {
  const rt = webgpuBackend().rt;
  return { ...rt.pool.stats, ...rt.counters };
}

/**
 * Submits pending kernels and resolves when the GPU has finished them (for timing).
 *
 * Kernels are only recorded until something reads data, so a timer around GPU work must await
 * this before it stops.
 *
 * @returns A promise that resolves once the device is idle.
 * @throws {DeviceError} before {@link initWebGPU} has resolved.
 *
 * @example
 * ```ts
 * import { initWebGPU, syncWebGPU } from '@difflab/gpu';
 * import { matmul, random } from '@difflab/tensor';
 * await initWebGPU();
 * const a = random.normal(random.key(0), [256, 256]).to('webgpu');
 * const t0 = performance.now();
 * matmul(a, a);
 * await syncWebGPU();
 * console.log(`${performance.now() - t0} ms`);
 * ```
 */
export function syncWebGPU(): Promise<void> {
  return webgpuBackend().sync();
}

/**
 * Releases idle pooled buffers back to the driver.
 *
 * Live tensors are unaffected; only buffers the pool kept for reuse are destroyed.
 *
 * @throws {DeviceError} before {@link initWebGPU} has resolved.
 *
 * @example
 * ```ts
 * import { initWebGPU, trimWebGPUPool, webgpuMemory } from '@difflab/gpu';
 * await initWebGPU();
 * trimWebGPUPool();
 * console.log(webgpuMemory().pooledBytes); // 0
 * ```
 */
export function trimWebGPUPool(): void {
  webgpuBackend().rt.pool.trim();
}
