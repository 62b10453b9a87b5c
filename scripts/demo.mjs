#!/usr/bin/env node
// `npm run demo`: bootstrap (pnpm, frozen install, build), then run the guided tour in
// examples/tour (`pnpm --filter ./examples/tour start`), which runs every workspace example with
// progress bars, prints a summary table and writes its plots to out/ at the repository root.
// Extra arguments go to the tour: `npm run demo -- --quick` (small budgets), `-- --no-gpu`.
import path from 'node:path';
import { ROOT, bootstrap, log } from './bootstrap.mjs';

const t0 = performance.now();
const pnpm = bootstrap();
const setup = (performance.now() - t0) / 1000;

log(`setup took ${setup.toFixed(0)} s; running the tour (pnpm --filter ./examples/tour start)`);
const status = pnpm([
  '--filter',
  './examples/tour',
  'start',
  '--out',
  path.join(ROOT, 'out'),
  ...process.argv.slice(2),
]);
const total = (performance.now() - t0) / 1000;
log(
  `demo ${status === 0 ? 'finished' : `FAILED (exit status ${status})`} in ${total.toFixed(0)} s (setup ${setup.toFixed(0)} s)`,
);
process.exit(status);
