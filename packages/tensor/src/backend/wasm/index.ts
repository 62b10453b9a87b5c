export { setCpuKernels, setNumThreads, cpuKernels, cpuThreadsReady } from './runtime.js';
export type { CpuKernelMode, CpuKernelInfo } from './runtime.js';
