// Shared setup for the WebGPU benchmarks: difflab from the built packages, optional peers
// (jax-js and TensorFlow.js WebGPU backends, when installed) on the same Dawn adapter in Node.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const GPU_PKG = new URL('../../packages/gpu/', import.meta.url);
const requireFromGpu = createRequire(new URL('package.json', GPU_PKG));

/** @difflab/tensor and @difflab/gpu as built (`pnpm turbo run build --filter @difflab/gpu...`). */
export async function difflab() {
  const gpu = await import(new URL('dist/index.js', GPU_PKG).href);
  // The gpu package's own @difflab/tensor is a workspace link to this file (Node resolves links to
  // real paths), so both share one module instance and device registry.
  const dl = await import(new URL('../../packages/tensor/dist/index.js', import.meta.url).href);
  const info = await gpu.initWebGPU();
  return { dl, gpu, info };
}

/** Installs `navigator.gpu` and the WebGPU globals from the `webgpu` package for browser-style peers. */
export async function installNavigatorGpu() {
  if (globalThis.navigator?.gpu) return;
  const { create, globals } = await import(pathToFileURL(requireFromGpu.resolve('webgpu')).href);
  Object.assign(globalThis, globals);
  const gpu = create([]);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: 'Node.js' }, configurable: true });
}

/** An optional peer library, or null (with a note) when it is not installed. */
export async function optional(name) {
  try {
    return await import(name);
  } catch (e) {
    console.log(`  (skipping ${name}: ${e.code === 'ERR_MODULE_NOT_FOUND' ? 'not installed' : e.message})`);
    return null;
  }
}

/** Median wall time in ms of `run` (async, must wait for the GPU) after `warmup` runs. */
export async function time(run, { warmup = 2, reps = 5 } = {}) {
  for (let i = 0; i < warmup; i++) await run();
  const ts = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await run();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

/** Deterministic values in [-1, 1). */
export function values(n, seed = 1) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** `--name value` from argv, else the default. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

export function printTable(title, rows) {
  console.log(`\n${title}`);
  console.table(rows);
}
