import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the current tensor sources, so no build of @difflab/tensor is needed first.
// One worker: lavapipe already spreads each kernel over every core, and one device per process is enough.
export default defineConfig({
  resolve: {
    alias: { '@difflab/tensor': fileURLToPath(new URL('../tensor/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60000,
    hookTimeout: 60000,
    fileParallelism: false,
  },
});
