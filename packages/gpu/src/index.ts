export { initWebGPU, requestWebGPUAdapter, webgpuBackend, type InitWebGPUOptions, type WebGPUInfo } from './init.js';
export { WebGPUBackend, type FusionOptions } from './backend.js';
export { webgpuMemory, syncWebGPU, trimWebGPUPool, type WebGPUMemory } from './stats.js';
export type { BufferPool, PoolStats } from './pool.js';
export type { Runtime, RuntimeOptions } from './runtime.js';
export type { MatmulVariant } from './kernels/matmul.js';
