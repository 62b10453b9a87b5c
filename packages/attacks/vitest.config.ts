import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the current sources of the workspace dependencies, so none needs a build first.
const src = (pkg: string) => fileURLToPath(new URL(`../${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@difflab/tensor': src('tensor'),
      '@difflab/losses': src('losses'),
      '@difflab/optim': src('optim'),
    },
  },
  test: { include: ['test/**/*.test.ts'], testTimeout: 30000 },
});
