import { defineConfig } from 'vitest/config';

// The default 5 s per-test limit is too tight for the n = 500 linalg and KS tests when the
// 2-core CI machine is busy; these are correctness tests, not timings.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30000 },
});
