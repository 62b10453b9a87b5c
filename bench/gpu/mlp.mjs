// One SGD training step of an MLP classifier on WebGPU (forward, backward, update, loss read back).
// Usage: node bench/gpu/mlp.mjs [--sizes 784,1024,1024,10] [--batch 512] [--warmup 2] [--reps 10]
import { arg, difflab, installNavigatorGpu, optional, printTable, time, values } from './common.mjs';

const sizes = arg('sizes', '784,1024,1024,10').split(',').map(Number);
const batch = Number(arg('batch', '512'));
const warmup = Number(arg('warmup', '2'));
const reps = Number(arg('reps', '10'));
const lr = 0.01;
const { dl, gpu, info } = await difflab();
console.log(`adapter: ${info.adapter.description || info.adapter.vendor}; sizes ${sizes.join('-')}, batch ${batch}`);
const layers = sizes.length - 1;
const flop = 6 * batch * sizes.slice(1).reduce((acc, s, i) => acc + s * sizes[i], 0);
const xData = values(batch * sizes[0], 3);
const labels = Int32Array.from({ length: batch }, (_, i) => (i * 7) % sizes[layers]);
const init = (l) => ({
  w: values(sizes[l] * sizes[l + 1], 10 + l).map((v) => v / Math.sqrt(sizes[l])),
  b: new Float32Array(sizes[l + 1]),
});
const rows = [];

{
  const dev = { device: 'webgpu' };
  let params = Array.from({ length: layers }, (_, l) => {
    const p = init(l);
    return { w: dl.fromTypedArray(p.w, [sizes[l], sizes[l + 1]], dev), b: dl.fromTypedArray(p.b, [sizes[l + 1]], dev) };
  });
  const x = dl.fromTypedArray(xData, [batch, sizes[0]], dev);
  const y = dl.oneHot(dl.fromTypedArray(labels, [batch], { dtype: 'int32', ...dev }), sizes[layers]);
  const loss = (p) => {
    let h = x;
    for (let l = 0; l < layers; l++) {
      h = dl.add(dl.matmul(h, p[l].w), p[l].b);
      if (l + 1 < layers) h = dl.relu(h);
    }
    return dl.mul(dl.sum(dl.mul(dl.logSoftmax(h, -1), y)), -1 / batch);
  };
  const vg = dl.valueAndGrad(loss);
  for (const fused of [true, false]) {
    gpu.webgpuBackend().fusion.enabled = fused;
    const ms = await time(
      async () => {
        const { l, next } = dl.tidy(() => {
          const [l, g] = vg(params);
          return { l, next: dl.tree.map((w, gw) => dl.sub(w, dl.mul(gw, lr)), params, g) };
        });
        dl.dispose(params);
        params = next;
        await l.data();
        l.dispose();
      },
      { warmup, reps },
    );
    rows.push({
      library: `difflab ${fused ? 'fused' : 'unfused'}`,
      'ms/step': +ms.toFixed(1),
      'GFLOP/s': +(flop / ms / 1e6).toFixed(1),
    });
  }
  gpu.webgpuBackend().fusion.enabled = true;
  dl.dispose([params, x, y]);
}

await installNavigatorGpu();
const jax = await optional('@jax-js/jax');
if (jax) {
  await jax.init('webgpu');
  const np = jax.numpy;
  const opt = { device: 'webgpu' };
  let params = {
    w: Array.from({ length: layers }, (_, l) => np.array(init(l).w, opt).reshape([sizes[l], sizes[l + 1]])),
    b: Array.from({ length: layers }, (_, l) => np.array(init(l).b, opt)),
  };
  const x = np.array(xData, opt).reshape([batch, sizes[0]]);
  const oneHot = new Float32Array(batch * sizes[layers]);
  labels.forEach((c, i) => (oneHot[i * sizes[layers] + c] = 1));
  const y = np.array(oneHot, opt).reshape([batch, sizes[layers]]);
  const lossFn = (p, xa, ya) => {
    let h = xa;
    for (let l = 0; l < layers; l++) {
      h = np.matmul(h, p.w[l]).add(p.b[l]);
      if (l + 1 < layers) h = jax.nn.relu(h);
    }
    return jax.nn
      .logSoftmax(h, -1)
      .mul(ya)
      .sum()
      .mul(-1 / batch);
  };
  const vg = jax.valueAndGrad(lossFn);
  const step = jax.jit((p, xa, ya) => {
    const [l, g] = vg(jax.tree.ref(p), xa, ya);
    return [l, jax.tree.map((pi, gi) => pi.sub(gi.mul(lr)), p, g)];
  });
  const ms = await time(
    async () => {
      const [l, next] = step(params, x.ref, y.ref);
      params = next;
      await l.data();
    },
    { warmup, reps },
  );
  rows.push({ library: 'jax-js jit', 'ms/step': +ms.toFixed(1), 'GFLOP/s': +(flop / ms / 1e6).toFixed(1) });
}
printTable(`MLP SGD step ${sizes.join('-')}, batch ${batch} (median ms per step)`, rows);
process.exit(0);
