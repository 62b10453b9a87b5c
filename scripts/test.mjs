#!/usr/bin/env node
// `npm test`: bootstrap (pnpm, frozen install, build), then run every package's `test` script
// through turbo, one package at a time (this machine class has 2 cores; vitest already uses both).
// `--continue=dependencies-successful` lets the other packages' tests still run after a failure,
// and turbo exits non-zero when any task failed, so a single failing package fails `npm test`.
// Turbo only runs package scripts; the root "test" script (this file) is never a turbo task.
// Extra arguments are passed to turbo, e.g. `npm test -- --filter=@difflab/tensor`.
import { bootstrap, log } from './bootstrap.mjs';

const pnpm = bootstrap();
log('running tests (turbo run test)');
const status = pnpm([
  'exec',
  'turbo',
  'run',
  'test',
  '--concurrency=1',
  '--continue=dependencies-successful',
  ...process.argv.slice(2),
]);
log(status === 0 ? 'all package tests passed' : `tests FAILED (exit status ${status})`);
process.exit(status);
