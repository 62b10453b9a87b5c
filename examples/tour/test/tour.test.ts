// Smoke test of every example through the tour with small budgets (`--quick`): each stop must
// finish and write well-formed SVG plots. The GPU stop is skipped here; @difflab/gpu has its own tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

test('the quick tour runs every example and writes their plots', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'difflab-tour-'));
  try {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(here, '..', 'src', 'main.ts'), '--quick', '--no-gpu', '--out', out],
      {
        encoding: 'utf8',
        env: { ...process.env, CI: '1' },
        timeout: 300_000,
      },
    );
    assert.equal(r.status, 0, `the tour failed:\n${r.stdout}\n${r.stderr}`);
    for (const name of ['digits: Poly-1 + SAM', 'attack + certify', 'Bayesian optimization', 'PINN: Burgers']) {
      assert.match(r.stdout, new RegExp(`^${name.replace(/[+:]/g, '\\$&')} +ok `, 'm'), `${name} did not succeed`);
    }
    assert.match(r.stdout, /^GPU: digits on WebGPU +skipped /m);
    const files = readdirSync(out).sort();
    assert.deepEqual(files, [
      'attack-certify-curves.svg',
      'attack-certify-examples.svg',
      'bayesopt-branin-convergence.svg',
      'bayesopt-branin-points.svg',
      'digits-sam-accuracy.svg',
      'digits-sam-loss.svg',
      'pinn-burgers-loss.svg',
      'pinn-burgers-solution.svg',
    ]);
    for (const f of files) {
      const svg = readFileSync(path.join(out, f), 'utf8');
      assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && svg.trimEnd().endsWith('</svg>'), f);
      assert.ok(!/NaN|undefined/.test(svg), `${f} contains NaN or undefined`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
