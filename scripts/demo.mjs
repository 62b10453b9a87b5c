#!/usr/bin/env node
// `npm run demo`: bootstrap (pnpm, frozen install, build), then run the guided tour in
// examples/tour (`pnpm --filter ./examples/tour start`). Until that example exists this
// prints which workspace examples are available and how to run them, and runs nothing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, bootstrap, log } from './bootstrap.mjs';

const pnpm = bootstrap();
const examplesDir = path.join(ROOT, 'examples');

if (existsSync(path.join(examplesDir, 'tour', 'package.json'))) {
  log('running the tour (pnpm --filter ./examples/tour start)');
  process.exit(pnpm(['--filter', './examples/tour', 'start', ...process.argv.slice(2)]));
}

const examples = existsSync(examplesDir)
  ? readdirSync(examplesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(examplesDir, entry.name, 'package.json')))
      .map((entry) => {
        const manifest = JSON.parse(readFileSync(path.join(examplesDir, entry.name, 'package.json'), 'utf8'));
        return {
          dir: `examples/${entry.name}`,
          name: manifest.name ?? entry.name,
          hasStart: Boolean(manifest.scripts?.start),
        };
      })
  : [];

const lines = [
  '',
  'No demo tour yet: examples/tour does not exist, so nothing was run.',
  '(The tour and the workspace examples are planned; see README.md.)',
  '',
];
if (examples.length === 0) {
  lines.push('No workspace examples are available yet (examples/ has no packages).');
} else {
  lines.push('Available workspace examples:');
  for (const ex of examples) {
    lines.push(
      ex.hasStart
        ? `  ${ex.dir.padEnd(28)} pnpm --filter ./${ex.dir} start`
        : `  ${ex.dir.padEnd(28)} (${ex.name}: no "start" script)`,
    );
  }
}
lines.push('', 'What you can run now:', '  npm test                              build and test every package');
const benchManifest = path.join(ROOT, 'bench', 'package.json');
if (existsSync(benchManifest) && JSON.parse(readFileSync(benchManifest, 'utf8')).scripts?.bench) {
  lines.push('  pnpm --filter @difflab/bench bench    side-by-side CPU benchmarks (see bench/README.md)');
}
lines.push('', 'All workspace packages are installed and built.');
console.log(lines.join('\n'));
