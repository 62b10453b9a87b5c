import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the current tensor and optim sources, so neither needs a build first.
export default defineConfig({
  resolve: {
    alias: {
      '@difflab/tensor': fileURLToPath(new URL('../tensor/src/index.ts', import.meta.url)),
      '@difflab/optim': fileURLToPath(new URL('../optim/src/index.ts', import.meta.url)),
    },
  },
  test: { include: ['test/**/*.test.ts'], testTimeout: 60000 },
});
