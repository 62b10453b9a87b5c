import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the current tensor sources, so no build of @difflab/tensor is needed first.
export default defineConfig({
  resolve: {
    alias: { '@difflab/tensor': fileURLToPath(new URL('../tensor/src/index.ts', import.meta.url)) },
  },
  test: { include: ['test/**/*.test.ts'], testTimeout: 30000 },
});
