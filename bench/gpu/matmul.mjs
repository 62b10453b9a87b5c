// Square float32 matmul on WebGPU: difflab vs jax-js (webgpu) and tfjs-backend-webgpu when installed.
// Usage: node bench/gpu/matmul.mjs [--sizes 1024,2048,4096] [--warmup 2] [--reps 5]
// Each timed run computes C = A @ B and reads one element of C back, so every library has finished.
import { arg, difflab, installNavigatorGpu, optional, printTable, time, values } from './common.mjs';

const sizes = arg('sizes', '1024,2048,4096').split(',').map(Number);
const warmup = Number(arg('warmup', '2'));
const reps = Number(arg('reps', '5'));
const { dl, info } = await difflab();
console.log(`adapter: ${info.adapter.description || info.adapter.vendor}`);
await installNavigatorGpu();
const jax = await optional('@jax-js/jax');
if (jax) await jax.init('webgpu');
const tf = await optional('@tensorflow/tfjs');
const tfgpu = tf ? await optional('@tensorflow/tfjs-backend-webgpu') : null;
if (tfgpu) await tf.setBackend('webgpu');

const rows = [];
for (const n of sizes) {
  const flop = 2 * n ** 3;
  const a = values(n * n, 1);
  const b = values(n * n, 2);
  const row = { n };
  {
    const A = dl.fromTypedArray(a, [n, n], { device: 'webgpu' });
    const B = dl.fromTypedArray(b, [n, n], { device: 'webgpu' });
    const ms = await time(
      async () => {
        const C = dl.matmul(A, B);
        const corner = C.slice('0:1', '0:1');
        await corner.data();
        dl.dispose([C, corner]);
      },
      { warmup, reps },
    );
    row['difflab ms'] = +ms.toFixed(1);
    row['difflab GFLOP/s'] = +(flop / ms / 1e6).toFixed(1);
    dl.dispose([A, B]);
  }
  if (jax) {
    const np = jax.numpy;
    const A = np.array(a, { device: 'webgpu' }).reshape([n, n]);
    const B = np.array(b, { device: 'webgpu' }).reshape([n, n]);
    const mm = jax.jit((p, q) => np.matmul(p, q));
    const ms = await time(
      async () => {
        const C = mm(A.ref, B.ref);
        await C.slice([0, 1], [0, 1]).data();
      },
      { warmup, reps },
    );
    row['jax-js ms'] = +ms.toFixed(1);
    row['jax-js GFLOP/s'] = +(flop / ms / 1e6).toFixed(1);
    row['difflab / jax-js'] = +(row['jax-js ms'] / row['difflab ms']).toFixed(2);
    A.dispose();
    B.dispose();
  }
  if (tfgpu) {
    const A = tf.tensor2d(a, [n, n]);
    const B = tf.tensor2d(b, [n, n]);
    const ms = await time(
      async () => {
        const C = tf.matMul(A, B);
        const corner = tf.slice(C, [0, 0], [1, 1]);
        await corner.data();
        tf.dispose([C, corner]);
      },
      { warmup, reps },
    );
    row['tfjs ms'] = +ms.toFixed(1);
    row['tfjs GFLOP/s'] = +(flop / ms / 1e6).toFixed(1);
    row['difflab / tfjs'] = +(row['tfjs ms'] / row['difflab ms']).toFixed(2);
    tf.dispose([A, B]);
  }
  rows.push(row);
  console.log(row);
}
printTable('matmul float32 (median of timed runs; ratio > 1 means difflab is faster)', rows);
process.exit(0);
