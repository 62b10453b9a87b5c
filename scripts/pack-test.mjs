#!/usr/bin/env node
// Pack-and-import test: what a user gets from `npm install @difflab/<pkg>`.
//
//   1. checks every publishable package.json (packages/*, not private) for the fields a published
//      package needs: exports (types + import), types, files (dist, README.md, LICENSE),
//      sideEffects: false, license MIT, repository (the canonical git URL with this package's
//      directory), homepage, bugs, 5-10 keywords, description, type: module; any problem fails;
//   2. `pnpm pack`s each package (pnpm rewrites `workspace:*` to the real versions), after checking
//      that dist/ exists (run the build first; `npm test` does);
//   3. installs all tarballs together with npm into a scratch project in a temp dir, so our packages
//      resolve to each other's tarballs and only third-party dependencies come from the registry;
//   4. imports each package in Node and runs a one-liner with a known answer, and type-checks a
//      TypeScript file importing every package against the installed .d.ts files.
//
//   Step 2 also checks the packed package.json again (what npm users get) and that the tarball holds
//   README.md, LICENSE and every file that exports/types point at.
//
// Usage: node scripts/pack-test.mjs [--keep]
//   --keep             keep the scratch directory and print its path
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const IS_WINDOWS = process.platform === 'win32';
const log = (m) => console.log(`[pack-test] ${m}`);

function run(cmd, args, cwd, { quiet = false } = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    shell: IS_WINDOWS,
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' },
  });
  if (r.status !== 0 || r.error) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${cwd}:\n${r.error?.message ?? ''}${r.stdout ?? ''}${r.stderr ?? ''}`,
    );
  }
  if (!quiet && r.stderr?.trim()) process.stderr.write(r.stderr.replace(/^npm warn Unknown user config.*\n/gm, ''));
  return r.stdout;
}

const REPO_URL = 'git+https://github.com/difflab/difflab.git';

/**
 * The fields a publishable manifest must have; returns human-readable problems. `dir` is the
 * package's directory name (packages/<dir>), which the repository field must point at.
 */
function manifestProblems(m, dir) {
  const problems = [];
  const exp = m.exports?.['.'] ?? m.exports;
  if (!m.exports) problems.push('exports missing');
  else if (typeof exp !== 'object' || !exp.types || !(exp.import || exp.default))
    problems.push('exports["."] needs "types" and "import"');
  if (!m.types) problems.push('types missing');
  if (!Array.isArray(m.files) || !m.files.includes('dist')) problems.push('files must list "dist"');
  else if (!m.files.includes('LICENSE') || !m.files.includes('README.md'))
    problems.push('files must list "README.md" and "LICENSE"');
  if (m.sideEffects !== false) problems.push('sideEffects must be false');
  if (m.license !== 'MIT') problems.push(`license must be "MIT" (the root LICENSE), got ${JSON.stringify(m.license)}`);
  const repo = m.repository;
  if (!repo) problems.push('repository missing');
  else if (repo.type !== 'git' || repo.url !== REPO_URL || repo.directory !== `packages/${dir}`)
    problems.push(`repository must be { type: "git", url: "${REPO_URL}", directory: "packages/${dir}" }`);
  if (typeof m.homepage !== 'string' || !m.homepage.startsWith('https://')) problems.push('homepage missing');
  if (typeof m.bugs?.url !== 'string' || !m.bugs.url.startsWith('https://')) problems.push('bugs.url missing');
  if (!Array.isArray(m.keywords) || m.keywords.length < 5 || m.keywords.length > 10)
    problems.push('keywords must list 5 to 10 terms');
  if (!m.description) problems.push('description missing');
  if (m.type !== 'module') problems.push('type must be "module" (ESM)');
  return problems;
}

/** One-liners with known answers, run against the installed tarballs. */
const SMOKE = String.raw`
import assert from 'node:assert/strict';
const results = [];
async function check(pkg, fn) {
  const mod = await import(pkg);
  const out = await fn(mod);
  results.push([pkg, out]);
}
await check('@difflab/tensor', ({ tensor, grad }) => {
  const g = grad((x) => x.mul(x).sum())(tensor([1, 2, 3])).toArray();
  assert.deepEqual(g, [2, 4, 6]);
  return 'grad(sum x^2)([1,2,3]) = ' + JSON.stringify(g);
});
await check('@difflab/losses', async ({ crossEntropy }) => {
  const { tensor } = await import('@difflab/tensor');
  // log(1 + e^-3 + e^-1.7): the cross-entropy of class 0 for logits [2, -1, 0.3]
  const v = crossEntropy(tensor([[2, -1, 0.3]]), tensor([0], { dtype: 'int32' })).item();
  assert.ok(Math.abs(v - Math.log(1 + Math.exp(-3) + Math.exp(-1.7))) < 1e-6, String(v));
  return 'crossEntropy = ' + v.toFixed(6);
});
await check('@difflab/optim', async ({ sgd }) => {
  const { tensor } = await import('@difflab/tensor');
  const opt = sgd({ lr: 0.1 });
  const params = { w: tensor([1]) };
  const { params: next } = opt.update({ w: tensor([2]) }, opt.init(params), params);
  assert.ok(Math.abs(next.w.item() - 0.8) < 1e-6);
  return 'sgd step: 1 - 0.1*2 = ' + next.w.item().toFixed(4);
});
await check('@difflab/pde', ({ burgersColeHopf }) => {
  const u = burgersColeHopf([[0.5, 0]]).dataSync()[0];
  assert.ok(Math.abs(u + 1) < 1e-6);
  return 'burgersColeHopf(x=0.5, t=0) = ' + u;
});
await check('@difflab/bayes', ({ branin }) => {
  const v = branin([Math.PI, 2.275]);
  assert.ok(Math.abs(v - 5 / (4 * Math.PI)) < 1e-5);
  return 'branin(pi, 2.275) = ' + v.toFixed(6);
});
await check('@difflab/attacks', async ({ fgsm }) => {
  const { tensor } = await import('@difflab/tensor');
  const W = tensor([[1, -1], [-1, 1]]);
  const x = tensor([[0.6, 0.4]]);
  const adv = fgsm((z) => z.matmul(W), x, tensor([0], { dtype: 'int32' }), { eps: 0.1 }).toArray()[0];
  assert.ok(Math.abs(adv[0] - 0.5) < 1e-6 && Math.abs(adv[1] - 0.5) < 1e-6, JSON.stringify(adv));
  return 'fgsm moves [0.6, 0.4] to ' + JSON.stringify(adv.map((v) => +v.toFixed(4)));
});
await check('@difflab/gpu', async ({ initWebGPU }) => {
  assert.equal(typeof initWebGPU, 'function');
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 30000).unref());
  const r = await Promise.race([initWebGPU(), timeout]).then((info) => 'adapter: ' + (info.adapter.description || info.adapter.vendor), (e) => 'no adapter here (' + e.name + ')');
  return 'initWebGPU -> ' + r;
});
for (const [pkg, out] of results) console.log('  ' + pkg.padEnd(18) + ' ' + out);
process.exit(0);
`;

const TYPES = (names) => `${names.map((n, i) => `import * as p${i} from '${n}';`).join('\n')}
import { tensor, grad, type Tensor } from '@difflab/tensor';
const f = (x: Tensor): Tensor => x.mul(x).sum();
export const g: Tensor = grad(f)(tensor([1, 2, 3])) as Tensor;
export const all = [${names.map((_, i) => `p${i}`).join(', ')}];
`;

function main() {
  const dirs = readdirSync(path.join(ROOT, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(ROOT, 'packages', d.name, 'package.json')))
    .map((d) => path.join(ROOT, 'packages', d.name));
  const pkgs = dirs
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) }))
    .filter((p) => !p.manifest.private);
  if (pkgs.length === 0) throw new Error('no publishable packages under packages/');

  let manifestFailures = 0;
  log(`checking ${pkgs.length} package.json files`);
  for (const { dir, manifest } of pkgs) {
    const problems = manifestProblems(manifest, path.basename(dir));
    if (problems.length) {
      manifestFailures++;
      console.log(`  ${manifest.name.padEnd(18)} ERROR: ${problems.join('; ')}`);
    } else console.log(`  ${manifest.name.padEnd(18)} ok`);
  }
  if (manifestFailures)
    throw new Error(`${manifestFailures} package.json file(s) are missing publishing fields (see above)`);
  // npm only ships a LICENSE from the package's own directory, so each package keeps a copy.
  const license = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
  for (const { dir, manifest } of pkgs) {
    const own = path.join(dir, 'LICENSE');
    if (!existsSync(own) || readFileSync(own, 'utf8') !== license)
      throw new Error(`${manifest.name}: ${path.relative(ROOT, own)} must be a copy of the root LICENSE`);
  }

  const scratch = mkdtempSync(path.join(os.tmpdir(), 'difflab-pack-'));
  try {
    const tarballs = [];
    for (const { dir, manifest } of pkgs) {
      const entry = manifest.exports?.['.']?.import ?? manifest.main;
      if (!entry || !existsSync(path.join(dir, entry)))
        throw new Error(`${manifest.name}: ${entry ?? 'the entry point'} does not exist; build first (pnpm build)`);
      const out = run('pnpm', ['pack', '--pack-destination', scratch], dir, { quiet: true });
      const tgz = out
        .trim()
        .split(/\r?\n/)
        .reverse()
        .find((l) => l.trim().endsWith('.tgz'))
        ?.trim();
      if (!tgz) throw new Error(`pnpm pack printed no tarball for ${manifest.name}:\n${out}`);
      const file = path.isAbsolute(tgz) ? tgz : path.join(scratch, path.basename(tgz));
      const listing = run('tar', ['-tzf', file], scratch, { quiet: true }).trim().split('\n');
      const stray = listing.filter((f) => /^package\/(src|test)\//.test(f));
      if (stray.length)
        throw new Error(`${manifest.name}: the tarball contains sources or tests (${stray.slice(0, 3).join(', ')})`);
      const packed = JSON.parse(run('tar', ['-xzOf', file, 'package/package.json'], scratch, { quiet: true }));
      const packedProblems = manifestProblems(packed, path.basename(dir));
      if (packedProblems.length)
        throw new Error(`${manifest.name}: the packed package.json: ${packedProblems.join('; ')}`);
      const exp = packed.exports['.'];
      const needed = ['README.md', 'LICENSE', packed.types, exp.types, exp.import ?? exp.default]
        .filter(Boolean)
        .map((f) => `package/${f.replace(/^\.\//, '')}`);
      const missing = [...new Set(needed)].filter((f) => !listing.includes(f));
      if (missing.length) throw new Error(`${manifest.name}: the tarball lacks ${missing.join(', ')}`);
      const ws = Object.entries({
        ...packed.dependencies,
        ...packed.peerDependencies,
        ...packed.optionalDependencies,
      }).filter(([, v]) => String(v).startsWith('workspace:'));
      if (ws.length)
        throw new Error(
          `${manifest.name}: the packed manifest still has workspace: ranges (${ws.map(([k]) => k).join(', ')})`,
        );
      console.log(`  packed ${path.basename(file)} (${listing.length} files)`);
      tarballs.push({ name: manifest.name, file });
    }

    writeFileSync(
      path.join(scratch, 'package.json'),
      JSON.stringify({ name: 'difflab-pack-test', private: true, type: 'module' }, null, 2),
    );
    log(`installing ${tarballs.length} tarballs with npm into ${scratch}`);
    // All tarballs in one install: each package's dependency on another resolves to its tarball.
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.map((t) => `./${path.basename(t.file)}`)],
      scratch,
    );
    for (const t of tarballs) {
      const installed = path.join(scratch, 'node_modules', ...t.name.split('/'), 'package.json');
      if (!existsSync(installed)) throw new Error(`${t.name} is not in node_modules after npm install`);
    }

    log('importing every package in Node');
    writeFileSync(path.join(scratch, 'smoke.mjs'), SMOKE);
    process.stdout.write(run(process.execPath, ['smoke.mjs'], scratch));

    log('type-checking an import of every package against the installed .d.ts files');
    writeFileSync(path.join(scratch, 'types.ts'), TYPES(tarballs.map((t) => t.name)));
    writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: [],
          },
          files: ['types.ts'],
        },
        null,
        2,
      ),
    );
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    run(process.execPath, [tsc, '-p', 'tsconfig.json'], scratch);
    console.log('  types.ts compiles');
  } finally {
    if (keep) log(`scratch project kept at ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }

  log('passed');
}

try {
  main();
} catch (err) {
  console.error(`[pack-test] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
