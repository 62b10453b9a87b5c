// An elementwise chain on WebGPU: difflab with and without fusion, jax-js (jit) when installed.
// Usage: node bench/gpu/elementwise.mjs [--n 4194304] [--warmup 2] [--reps 10]
// chain(x, y) = sigmoid(tanh(x * y + 0.5) - y) * x + exp(-y * y) * 0.25  (10 ops, 2 inputs, 1 output)
import { arg, difflab, installNavigatorGpu, optional, printTable, time, values } from './common.mjs';

const n = Number(arg('n', String(1 << 22)));
const warmup = Number(arg('warmup', '2'));
const reps = Number(arg('reps', '10'));
const { dl, gpu, info } = await difflab();
console.log(`adapter: ${info.adapter.description || info.adapter.vendor}; n = ${n}`);
const xd = values(n, 1);
const yd = values(n, 2);
const chain = (x, y) =>
  dl.add(
    dl.mul(dl.sigmoid(dl.sub(dl.tanh(dl.add(dl.mul(x, y), 0.5)), y)), x),
    dl.mul(dl.exp(dl.neg(dl.mul(y, y))), 0.25),
  );

const rows = [];
const X = dl.fromTypedArray(xd, [n], { device: 'webgpu' });
const Y = dl.fromTypedArray(yd, [n], { device: 'webgpu' });
const backend = gpu.webgpuBackend();
for (const fused of [true, false]) {
  backend.fusion.enabled = fused;
  const before = gpu.webgpuMemory().dispatches;
  const ms = await time(
    async () => {
      const z = dl.tidy(() => chain(X, Y));
      // Materialise z (the lazy chain) and wait for the device, without reading 16 MB back.
      const first = z.slice('0:1');
      await first.data();
      dl.dispose([z, first]);
    },
    { warmup, reps },
  );
  const perRun = (gpu.webgpuMemory().dispatches - before) / (reps + 2);
  rows.push({
    library: `difflab ${fused ? 'fused' : 'unfused'}`,
    ms: +ms.toFixed(2),
    'kernels/run': +perRun.toFixed(1),
    'GB/s (3 arrays)': +((3 * 4 * n) / ms / 1e6).toFixed(1),
  });
}
backend.fusion.enabled = true;
dl.dispose([X, Y]);

await installNavigatorGpu();
const jax = await optional('@jax-js/jax');
if (jax) {
  await jax.init('webgpu');
  const np = jax.numpy;
  const x = np.array(xd, { device: 'webgpu' });
  const y = np.array(yd, { device: 'webgpu' });
  const f = jax.jit((a, b) =>
    jax.nn
      .sigmoid(np.tanh(a.ref.mul(b.ref).add(0.5)).sub(b.ref))
      .mul(a)
      .add(np.exp(b.ref.mul(b).mul(-1)).mul(0.25)),
  );
  const ms = await time(
    async () => {
      const z = f(x.ref, y.ref);
      await z.slice([0, 1]).data();
    },
    { warmup, reps },
  );
  rows.push({ library: 'jax-js jit', ms: +ms.toFixed(2), 'GB/s (3 arrays)': +((3 * 4 * n) / ms / 1e6).toFixed(1) });
}
printTable('elementwise chain (median ms per run)', rows);
const [f, u] = rows;
console.log(
  `fusion speed-up: ${(u.ms / f.ms).toFixed(2)}x (${u['kernels/run']} -> ${f['kernels/run']} kernels per run)`,
);
process.exit(0);
