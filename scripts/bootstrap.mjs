#!/usr/bin/env node
// Bootstrap a difflab checkout on a machine that has nothing but Node >= 20 and npm:
//
//   1. make sure pnpm (the exact version pinned in package.json "packageManager") can be run:
//      use `pnpm` from PATH if it is that version, otherwise `npm i -g pnpm@<version>`,
//      and if that is not possible (no permission, prefix not on PATH) fall back to `npx -y pnpm@<version>`;
//   2. `pnpm install --frozen-lockfile`;
//   3. `pnpm exec turbo run build`.
//
// Corepack is deliberately not used. `npm test` and `npm run demo` call this first
// (see scripts/test.mjs and scripts/demo.mjs); run it alone with `node scripts/bootstrap.mjs`
// (`--no-build` stops after the install).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IS_WINDOWS = process.platform === 'win32';
/** Upper bound for fetching pnpm itself (`npm i -g`, first `npx`), so a stuck npm cannot hang `npm test`. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;

const rootManifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
export const PNPM_VERSION = /^pnpm@(\d+\.\d+\.\d+)/.exec(rootManifest.packageManager ?? '')?.[1];
if (!PNPM_VERSION) throw new Error('package.json "packageManager" must pin pnpm, e.g. "pnpm@10.34.9"');

/** Environment for every child process: no turbo telemetry prompts or network calls. */
export const childEnv = { TURBO_TELEMETRY_DISABLED: '1', ...process.env };

function prependToPath(dir) {
  const key = Object.keys(childEnv).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  childEnv[key] = childEnv[key] ? `${dir}${path.delimiter}${childEnv[key]}` : dir;
}

export function log(message) {
  console.log(`\n[difflab] ${message}`);
}

/** Run a command with inherited stdio; returns its exit status (1 if it could not be started). */
export function run(cmd, args, { cwd = ROOT, env = childEnv, timeoutMs } = {}) {
  const result = spawnSync(cmd, args, { cwd, env, stdio: 'inherit', shell: IS_WINDOWS, timeout: timeoutMs });
  if (result.error) {
    console.error(`[difflab] ${cmd} ${args.join(' ')} failed: ${result.error.message}`);
    return 1;
  }
  if (result.signal) {
    console.error(`[difflab] ${cmd} was killed by ${result.signal}`);
    return 1;
  }
  return result.status ?? 1;
}

/** `<cmd> ... --version` trimmed, or null when the command is missing or fails. */
function versionOf(cmd, prefixArgs = [], timeoutMs = 60_000) {
  const result = spawnSync(cmd, [...prefixArgs, '--version'], {
    cwd: ROOT,
    env: childEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    shell: IS_WINDOWS,
    timeout: timeoutMs,
  });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim().split(/\r?\n/).pop()?.trim() ?? null;
}

/**
 * Find a way to run pnpm@PNPM_VERSION. Returns `{ cmd, prefixArgs, how }` where
 * `cmd ...prefixArgs <pnpm args>` runs pnpm.
 */
export function ensurePnpm() {
  const onPath = versionOf('pnpm');
  if (onPath === PNPM_VERSION) return { cmd: 'pnpm', prefixArgs: [], how: `pnpm ${PNPM_VERSION} from PATH` };

  log(
    `${onPath ? `pnpm ${onPath} is on PATH, this repository pins` : 'pnpm not found, this repository needs'} ` +
      `pnpm ${PNPM_VERSION}: running npm i -g pnpm@${PNPM_VERSION}`,
  );
  if (run('npm', ['i', '-g', `pnpm@${PNPM_VERSION}`], { timeoutMs: INSTALL_TIMEOUT_MS }) === 0) {
    if (versionOf('pnpm') === PNPM_VERSION) {
      return { cmd: 'pnpm', prefixArgs: [], how: `pnpm ${PNPM_VERSION} installed globally with npm` };
    }
    // Installed, but npm's global bin directory may not be on PATH.
    const prefix = spawnSync('npm', ['prefix', '-g'], {
      env: childEnv,
      encoding: 'utf8',
      shell: IS_WINDOWS,
    }).stdout?.trim();
    if (prefix) {
      const bin = IS_WINDOWS ? path.join(prefix, 'pnpm.cmd') : path.join(prefix, 'bin', 'pnpm');
      if (existsSync(bin) && versionOf(bin) === PNPM_VERSION) {
        // turbo runs package scripts with `pnpm run`, so pnpm must be on PATH for every child process.
        prependToPath(path.dirname(bin));
        return { cmd: 'pnpm', prefixArgs: [], how: `pnpm ${PNPM_VERSION} installed globally with npm (${bin})` };
      }
    }
    log(`npm installed pnpm but pnpm ${PNPM_VERSION} still cannot be run from PATH`);
  } else {
    log('npm i -g failed (no permission for the global prefix?)');
  }

  log(`falling back to npx -y pnpm@${PNPM_VERSION}`);
  const npxArgs = ['-y', `pnpm@${PNPM_VERSION}`];
  const viaNpx = versionOf('npx', npxArgs, INSTALL_TIMEOUT_MS);
  if (viaNpx === PNPM_VERSION) return { cmd: 'npx', prefixArgs: npxArgs, how: `npx -y pnpm@${PNPM_VERSION}` };

  throw new Error(
    `could not run pnpm ${PNPM_VERSION} (PATH: ${onPath ?? 'none'}, npx: ${viaNpx ?? 'failed'}). ` +
      `Install it with: npm i -g pnpm@${PNPM_VERSION}`,
  );
}

/**
 * Make the checkout ready: pnpm available, dependencies installed from the lockfile,
 * and (unless `build: false`) every package built. Exits the process on failure.
 * Returns `pnpm(args)`, which runs pnpm in the repository root and returns its exit status.
 */
export function bootstrap({ build = true } = {}) {
  let pnpmCmd;
  try {
    pnpmCmd = ensurePnpm();
  } catch (err) {
    console.error(`[difflab] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  log(`using ${pnpmCmd.how}`);
  const pnpm = (args) => run(pnpmCmd.cmd, [...pnpmCmd.prefixArgs, ...args]);

  log('installing dependencies (pnpm install --frozen-lockfile)');
  const installStatus = pnpm(['install', '--frozen-lockfile']);
  if (installStatus !== 0) {
    console.error('[difflab] pnpm install --frozen-lockfile failed (is pnpm-lock.yaml up to date?)');
    process.exit(installStatus);
  }

  if (build) {
    log('building all packages (turbo run build)');
    const buildStatus = pnpm(['exec', 'turbo', 'run', 'build', '--concurrency=2']);
    if (buildStatus !== 0) {
      console.error('[difflab] build failed');
      process.exit(buildStatus);
    }
  }
  return pnpm;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  bootstrap({ build: !process.argv.includes('--no-build') });
  log('bootstrap done');
}
