#!/usr/bin/env node
// End-to-end test of the browser demo (examples/browser): build it with Vite, serve the build on
// a local port, open it in Debian's Chromium driven by playwright-core, let it train, and check
// that training converged and the plots rendered. It does so twice: once without a GPU process,
// where the page must fall back to the CPU backend (screenshot out/browser-demo.png), and once
// with WebGPU enabled, where it must train on the webgpu device (out/browser-demo-webgpu.png).
//
// Runs as examples/browser's `test` script (so `npm test` includes it). Chromium comes from
// DIFFLAB_CHROMIUM or /usr/bin/chromium; when it is missing and this runs as root on a machine with
// apt-get (CI), `apt-get install -y chromium` is run first, otherwise the test fails and says how
// to install it. DIFFLAB_SKIP_BROWSER_TEST=1 skips the test explicitly (it prints that it did).
/* global window, document -- the page.evaluate callbacks run in the browser */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP = path.join(ROOT, 'examples', 'browser');
const OUT = path.join(ROOT, 'out');
const CHROMIUM = process.env.DIFFLAB_CHROMIUM || '/usr/bin/chromium';
const EPOCHS = 6;
const TRAIN_TIMEOUT_MS = 240_000;
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const log = (m) => console.log(`[browser-test] ${m}`);
/** Thrown for a failed check, so that the browser and the server are closed before exiting. */
function fail(message) {
  throw new Error(message);
}

if (process.env.DIFFLAB_SKIP_BROWSER_TEST === '1') {
  log('skipped because DIFFLAB_SKIP_BROWSER_TEST=1');
  process.exit(0);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (CHROMIUM === '/usr/bin/chromium' && isRoot && hasApt) {
    log('Chromium is missing: running apt-get install -y chromium (root, apt available)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    }
    if (r.status === 0 && existsSync(CHROMIUM)) return;
  }
  fail(
    `no Chromium at ${CHROMIUM}. Install it (Debian/Ubuntu: sudo apt-get install -y chromium), point ` +
      'DIFFLAB_CHROMIUM at a Chromium/Chrome binary, or set DIFFLAB_SKIP_BROWSER_TEST=1 to skip this test.',
  );
}

function build() {
  const vite = path.join(APP, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) fail(`vite is not installed in ${APP} (run pnpm install)`);
  log('building the page (vite build)');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: APP, stdio: 'inherit' });
  if (r.status !== 0) fail('vite build failed');
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** A static file server for dist/ on a free port. */
function serve(dir) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = path.join(dir, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Chromium flags under which the page gets a WebGPU adapter (SwiftShader's Vulkan, on the CPU). */
const WEBGPU_FLAGS = [
  ...FLAGS.filter((f) => f !== '--disable-gpu'),
  '--enable-unsafe-webgpu',
  '--ignore-gpu-blocklist',
];

/**
 * The two ways the page can train: `cpu-fallback` opens `?device=auto` in a Chromium without a
 * GPU process, so the page must notice that WebGPU is missing and train on the CPU backend;
 * `webgpu` opens `?device=webgpu` (no fallback) in a Chromium that offers an adapter, so every op
 * runs through @difflab/gpu's WGSL kernels.
 */
const CASES = [
  { name: 'cpu-fallback', flags: FLAGS, device: 'auto', expect: 'cpu', shot: 'browser-demo.png' },
  { name: 'webgpu', flags: WEBGPU_FLAGS, device: 'webgpu', expect: 'webgpu', shot: 'browser-demo-webgpu.png' },
];

async function withPage(chromium, flags, fn) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'difflab-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: flags,
      viewport: { width: 1360, height: 1100 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return await fn(page);
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** What `navigator.gpu.requestAdapter()` gives a blank page under these flags. */
async function probeAdapter(chromium, flags, origin) {
  return withPage(chromium, flags, async (page) => {
    await page.goto(`${origin}/missing-page-for-the-probe`);
    return page.evaluate(async () => {
      if (!navigator.gpu) return { ok: false, why: 'navigator.gpu is undefined' };
      const adapter = await navigator.gpu.requestAdapter();
      if (!adapter) return { ok: false, why: 'requestAdapter() returned null' };
      const i = adapter.info ?? {};
      return { ok: true, name: [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') };
    });
  });
}

async function runCase(chromium, origin, c) {
  const url = `${origin}/?autostart&device=${c.device}&epochs=${EPOCHS}`;
  log(`[${c.name}] opening ${url} (flags: ${c.flags.join(' ')})`);
  await withPage(chromium, c.flags, async (page) => {
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(window.difflabDemo?.state), null, {
      timeout: TRAIN_TIMEOUT_MS,
      polling: 500,
    });
    const demo = await page.evaluate(() => window.difflabDemo);
    log(
      `[${c.name}] training ${demo.state} on ${demo.device}${demo.adapter ? ` (adapter: ${demo.adapter})` : ''} in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
        (demo.fallbackReason ? ` (WebGPU not used: ${demo.fallbackReason})` : ''),
    );
    mkdirSync(OUT, { recursive: true });
    const shot = path.join(OUT, c.shot);
    await page.screenshot({ path: shot, fullPage: true });
    log(`[${c.name}] screenshot: ${path.relative(process.cwd(), shot) || shot}`);

    if (demo.state !== 'done') fail(`training ended in state '${demo.state}'${demo.error ? `: ${demo.error}` : ''}`);
    // The device the case is about was really used: no silent fallback in the WebGPU case, and in
    // the fallback case the page says why it did not use WebGPU.
    if (demo.device !== c.expect) fail(`[${c.name}] trained on '${demo.device}', expected '${c.expect}'`);
    if (c.expect === 'webgpu') {
      if (!demo.adapter) fail(`[${c.name}] the page did not report its WebGPU adapter`);
      // Every training step runs many kernels (matmuls, activations, Adam), all on the device.
      const steps = demo.losses.length;
      if (!(demo.gpu?.dispatches > 10 * steps && demo.gpu.pipelines > 0))
        fail(`[${c.name}] too little GPU work for ${steps} steps: ${JSON.stringify(demo.gpu)}`);
      log(`[${c.name}] ${demo.gpu.dispatches} kernels dispatched, ${demo.gpu.pipelines} pipelines compiled`);
    }
    if (c.expect === 'cpu' && c.device === 'auto' && !demo.fallbackReason)
      fail(`[${c.name}] fell back to the CPU without saying why`);
    // On the CPU the bundle must have selected the WebAssembly SIMD kernels (Chromium has SIMD; the
    // page is not cross-origin isolated and runs on the main thread, so single-threaded).
    if (c.expect === 'cpu') {
      const k = demo.cpuKernels;
      if (!(k?.wasm && k.simd)) fail(`[${c.name}] the CPU backend did not use the WebAssembly SIMD kernels: ${JSON.stringify(k)}`);
      log(`[${c.name}] CPU kernels: ${JSON.stringify(k)}`);
    }

    // Training converged: it finished, the test accuracy is high, and the loss fell by far.
    if (demo.accuracy.length !== EPOCHS) fail(`expected ${EPOCHS} accuracy values, got ${demo.accuracy.length}`);
    const acc = demo.accuracy.at(-1);
    const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
    const first = mean(demo.losses.slice(0, 5));
    const last = mean(demo.losses.slice(-21));
    log(
      `[${c.name}] final test accuracy ${(100 * acc).toFixed(1)}%, loss ${first.toFixed(3)} -> ${last.toFixed(3)} over ${demo.losses.length} steps`,
    );
    if (!(acc >= 0.9)) fail(`[${c.name}] test accuracy ${acc} is below 0.9`);
    if (!(last < 0.2 * first)) fail(`[${c.name}] loss did not fall enough: first steps ${first}, last steps ${last}`);

    // The plots rendered: polylines through every step / epoch with a real on-screen extent.
    const plot = await page.evaluate(() => {
      const lines = [...document.querySelectorAll('#loss-plot polyline')];
      const acc = document.querySelector('#accuracy-plot polyline');
      const box = lines[1]?.getBoundingClientRect();
      return {
        lossLines: lines.map((l) => l.getAttribute('points').trim().split(/\s+/).length),
        accuracyPoints: acc ? acc.getAttribute('points').trim().split(/\s+/).length : 0,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        sampleCells: document.querySelectorAll('#samples rect').length,
        status: document.getElementById('status').textContent,
      };
    });
    log(
      `[${c.name}] plots: loss lines ${plot.lossLines.join('/')} points, accuracy ${plot.accuracyPoints} points, curve ${plot.width.toFixed(0)}x${plot.height.toFixed(0)} px; status "${plot.status}"`,
    );
    if (plot.lossLines.length !== 2 || plot.lossLines.some((n) => n !== demo.losses.length))
      fail(`[${c.name}] the loss plot does not show every step`);
    if (plot.accuracyPoints !== EPOCHS) fail(`[${c.name}] the accuracy plot does not show every epoch`);
    if (!(plot.width > 300 && plot.height > 50)) fail(`[${c.name}] the loss curve has no visible extent`);
    // 16 images of 8x8 pixels plus a frame each, plus the background.
    if (plot.sampleCells < 16 * 64) fail(`[${c.name}] the prediction grid has ${plot.sampleCells} cells`);
    if (problems.length) fail(`[${c.name}] the page reported errors:\n  ${problems.join('\n  ')}`);
    log(`[${c.name}] passed`);
  });
}

async function main() {
  ensureChromium();
  build();
  const server = await serve(path.join(APP, 'dist'));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = createRequire(path.join(APP, 'package.json'))('playwright-core');
  try {
    log(`using ${CHROMIUM}`);
    for (const c of CASES) {
      if (c.expect === 'webgpu') {
        if (process.env.DIFFLAB_BROWSER_WEBGPU === 'skip') {
          log(`[${c.name}] skipped because DIFFLAB_BROWSER_WEBGPU=skip`);
          continue;
        }
        const probe = await probeAdapter(chromium, c.flags, origin);
        if (!probe.ok)
          fail(
            `[${c.name}] this Chromium offers no WebGPU adapter under ${c.flags.join(' ')} (${probe.why}); ` +
              'set DIFFLAB_BROWSER_WEBGPU=skip to test only the CPU fallback (see examples/browser/README.md)',
          );
        log(`[${c.name}] adapter: ${probe.name || 'unnamed'}`);
      }
      await runCase(chromium, origin, c);
    }
    log('passed');
  } finally {
    server.close();
  }
}

main().catch((err) => {
  console.error(`[browser-test] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
