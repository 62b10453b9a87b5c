#!/usr/bin/env node
// `npm test`: bootstrap (pnpm, frozen install, build), then run every package's `test` script
// through turbo, one package at a time (this machine class has 2 cores; vitest already uses both).
// `--continue=dependencies-successful` lets the other packages' tests still run after a failure,
// and turbo exits non-zero when any task failed, so a single failing package fails `npm test`.
// Turbo only runs package scripts; the root "test" script (this file) is never a turbo task.
// The workspace examples' tests run there too (examples/tour: every example with small budgets;
// examples/browser: the browser demo end to end in Chromium).
//
// After the package tests, the pack-and-import test (scripts/pack-test.mjs) packs every
// publishable package, installs the tarballs into a scratch project and imports them. It needs
// every package built, so it is skipped when arguments select a subset, e.g.
// `npm test -- --filter=@difflab/tensor` (extra arguments are passed to turbo).
import { ROOT, bootstrap, log, run } from './bootstrap.mjs';

const pnpm = bootstrap();
const extra = process.argv.slice(2);
log('running tests (turbo run test)');
const status = pnpm(['exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue=dependencies-successful', ...extra]);

let packStatus = 0;
const packRan = extra.length === 0;
if (packRan) {
  log('running the pack-and-import test (scripts/pack-test.mjs)');
  packStatus = run(process.execPath, ['scripts/pack-test.mjs'], { cwd: ROOT });
} else {
  log('pack-and-import test skipped (arguments select a subset of packages)');
}

const failed = status !== 0 || packStatus !== 0;
log(
  failed
    ? `tests FAILED (${[status !== 0 && `package tests: exit status ${status}`, packStatus !== 0 && 'pack-and-import test'].filter(Boolean).join(', ')})`
    : `all package tests${packRan ? ' and the pack-and-import test' : ''} passed`,
);
process.exit(status !== 0 ? status : packStatus);
