#!/usr/bin/env node
// `pnpm test` for @difflab/gpu: make sure Node has a WebGPU adapter, then run vitest.
//
// The tests need a real adapter; they never skip. On Linux without a GPU the adapter comes from
// Mesa lavapipe (Vulkan on the CPU) through Dawn, which needs a newer Mesa than Debian 12 ships:
// with CI=true and root this script runs scripts/setup-webgpu.sh to install it; otherwise it fails
// with instructions. Extra arguments go to vitest (`pnpm test -- test/fusion.test.ts`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SETUP = path.resolve(PKG, '../../scripts/setup-webgpu.sh');
const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR || '/tmp' };
const CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** Asks Dawn for an adapter in a child process (a driver problem must not take this script down). */
function probe() {
  const code = `import('webgpu').then(async ({ create }) => {
    const a = await create([]).requestAdapter();
    if (!a) process.exit(2);
    console.log((a.info && (a.info.description || a.info.vendor)) || 'adapter');
    process.exit(0);
  }, (e) => { console.error(e.message); process.exit(3); });`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: PKG,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { ok: r.status === 0, status: r.status, out: (r.stdout || '').trim(), err: (r.stderr || '').trim() };
}

function fail(message) {
  console.error(`\n[@difflab/gpu] ${message}\n`);
  process.exit(1);
}

let p = probe();
if (!p.ok && p.status === 3)
  fail(`the 'webgpu' package (Dawn for Node) could not be loaded: ${p.err}. Run pnpm install.`);
if (!p.ok) {
  const how = `sudo ${path.relative(process.cwd(), SETUP) || SETUP}`;
  if (process.platform !== 'linux') fail('no WebGPU adapter found; the GPU tests need one (they do not skip).');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!CI || !root)
    fail(
      `no WebGPU adapter found. Install Mesa lavapipe (a CPU Vulkan driver Dawn can use) with\n    ${how}\n` +
        `then run the tests again${CI ? ' (CI=true: this needs root to do it automatically)' : ''}.`,
    );
  console.log('[@difflab/gpu] no WebGPU adapter; CI=true: installing Mesa lavapipe with scripts/setup-webgpu.sh');
  const s = spawnSync('bash', [SETUP], { stdio: 'inherit', env });
  if (s.status !== 0) fail(`scripts/setup-webgpu.sh failed (exit ${s.status}); no WebGPU adapter for the tests.`);
  p = probe();
  if (!p.ok) fail(`still no WebGPU adapter after scripts/setup-webgpu.sh: ${p.err || `exit ${p.status}`}`);
}
console.log(`[@difflab/gpu] WebGPU adapter: ${p.out}`);
const local = path.join(PKG, 'node_modules', '.bin', process.platform === 'win32' ? 'vitest.cmd' : 'vitest');
const vitest = spawnSync(existsSync(local) ? local : 'vitest', ['run', ...process.argv.slice(2)], {
  cwd: PKG,
  env,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
process.exit(vitest.status ?? 1);
