#!/usr/bin/env node
// `npm test`: bootstrap (pnpm, frozen install, build), then run every package's `test` script
// through turbo, one package at a time (this machine class has 2 cores; vitest already uses both).
// `--continue=dependencies-successful` lets the other packages' tests still run after a failure,
// and turbo exits non-zero when any task failed, so a single failing package fails `npm test`.
// Turbo only runs package scripts; the root "test" script (this file) is never a turbo task.
// The workspace examples' tests run there too (examples/tour: every example with small budgets;
// examples/browser: the browser demo end to end in Chromium).
//
// After the package tests come the repository-wide checks:
//   - the tests of the repository scripts themselves (scripts/test/, Node's built-in runner);
//   - the pack-and-import test (scripts/pack-test.mjs): packs every publishable package, installs
//     the tarballs into a scratch project and imports them;
//   - the API-docs check (typedoc with the root typedoc.json, HTML to a temp dir): the reference that
//     `pnpm docs` generates must build with zero warnings (validation includes notDocumented), so
//     a new undocumented export or a broken link fails the tests instead of the next docs build;
//   - the doc-comment example check (scripts/check-doc-examples.mjs --run): every export has a
//     doc comment with a ts `@example`, every example type-checks against the source and runs
//     without throwing against the built packages (about a minute for ~1,000 examples).
// They are skipped when arguments select a subset, e.g. `npm test -- --filter=@difflab/tensor`
// (extra arguments are passed to turbo).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, bootstrap, log, run } from './bootstrap.mjs';

const pnpm = bootstrap();
const extra = process.argv.slice(2);
log('running tests (turbo run test)');
const status = pnpm([
  'exec',
  'turbo',
  'run',
  'test',
  '--concurrency=1',
  '--continue=dependencies-successful',
  ...extra,
]);

// Some typedoc warnings (links rewritten to a parent) only appear while rendering, so the check
// renders the HTML, into a directory that is removed afterwards.
const apiScratch = mkdtempSync(path.join(os.tmpdir(), 'difflab-api-'));
const checks = [
  ['tests of the repository scripts (node --test scripts/test/)', [process.execPath, ['--test', 'scripts/test/']]],
  ['pack-and-import test', [process.execPath, ['scripts/pack-test.mjs']]],
  [
    'API docs (typedoc, HTML into a temporary directory)',
    [
      process.execPath,
      [path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', apiScratch, '--logLevel', 'Warn'],
    ],
  ],
  [
    'doc-comment examples (scripts/check-doc-examples.mjs --run)',
    [process.execPath, ['scripts/check-doc-examples.mjs', '--run', '--quiet']],
  ],
];
const failedChecks = [];
const repoChecks = extra.length === 0;
if (repoChecks) {
  for (const [name, [cmd, args]] of checks) {
    log(`running the ${name}`);
    if (run(cmd, args, { cwd: ROOT }) !== 0) failedChecks.push(name);
  }
} else {
  log(`repository-wide checks skipped (arguments select a subset of packages): ${checks.map(([n]) => n).join('; ')}`);
}

rmSync(apiScratch, { recursive: true, force: true });

const failed = status !== 0 || failedChecks.length > 0;
log(
  failed
    ? `tests FAILED (${[status !== 0 && `package tests: exit status ${status}`, ...failedChecks].filter(Boolean).join(', ')})`
    : `all package tests${repoChecks ? ' and the repository-wide checks' : ''} passed`,
);
process.exit(status !== 0 ? status : failedChecks.length ? 1 : 0);
