import { defineConfig } from 'vitest/config';

// The default 5 s per-test limit is too tight for the n = 500 linalg and KS tests when the
// 2-core CI machine is busy; these are correctness tests, not timings.
//
// The suite runs twice: once with the WebAssembly SIMD kernels forced for every size they
// support (`wasm`; in normal use small ops stay on the TypeScript kernels), once on the
// TypeScript reference kernels alone (`ts`). Select one with `vitest run --project wasm`.
export default defineConfig({
  test: {
    testTimeout: 30000,
    projects: [
      { extends: true, test: { name: 'wasm', include: ['test/**/*.test.ts'], env: { DIFFLAB_CPU_KERNELS: 'wasm' } } },
      { extends: true, test: { name: 'ts', include: ['test/**/*.test.ts'], env: { DIFFLAB_CPU_KERNELS: 'ts' } } },
    ],
  },
});
