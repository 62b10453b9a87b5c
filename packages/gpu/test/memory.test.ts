import { beforeAll, describe, expect, it } from 'vitest';
import { dispose, fromTypedArray, grad, liveStorage, mean, nn, square, tidy, tree, type Tensor } from '@difflab/tensor';
import { webgpuMemory } from '../src/index.js';
import { gpu } from './helpers/setup.js';

beforeAll(gpu);

type Params = { w: Tensor; b: Tensor }[];

function data(n: number, device: string): { X: Tensor; Y: Tensor } {
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < 4; j++) {
      x[i * 4 + j] = Math.sin(1.3 * i + 0.7 * j);
      s += (j + 1) * x[i * 4 + j]!;
    }
    y[i] = Math.tanh(0.3 * s);
  }
  return { X: fromTypedArray(x, [n, 4], { device }), Y: fromTypedArray(y, [n, 1], { device }) };
}

describe('memory on webgpu', () => {
  it('a 2,000-step MLP training loop inside tidy keeps live buffers and bytes flat', async () => {
    const net = nn.mlp([4, 32, 32, 1], { activation: 'tanh', key: 7, device: 'webgpu' });
    const { X, Y } = data(64, 'webgpu');
    const loss = (p: Params) => mean(square(net.apply(p, X).sub(Y)));
    const sgd = (p: Params): Params =>
      tidy(() => tree.map((w: Tensor, g: Tensor) => w.sub(g.mul(0.1)), p, grad(loss)(p)) as Params);
    let params = net.params;
    const run = (steps: number) => {
      for (let i = 0; i < steps; i++) {
        const next = sgd(params);
        dispose(params);
        params = next;
      }
    };
    const lossValue = async () => {
      const l = tidy(() => loss(params));
      const v = (await l.data())[0]!;
      l.dispose();
      return v;
    };
    const first = await lossValue();
    run(50);
    await lossValue();
    const base = { ...webgpuMemory(), tensors: { ...liveStorage } };
    run(1950);
    const last = await lossValue();
    const after = { ...webgpuMemory(), tensors: { ...liveStorage } };
    expect(after.tensors).toEqual(base.tensors);
    expect(after.liveBuffers).toBe(base.liveBuffers);
    expect(after.liveBytes).toBe(base.liveBytes);
    // Steady state: every buffer of a step comes from the pool.
    expect(after.created).toBe(base.created);
    expect(after.dispatches - base.dispatches).toBeGreaterThan(1950 * 10);
    expect(last).toBeLessThan(first * 0.5);
    dispose([params, X, Y]);
  }, 120_000);

  it('disposing every tensor returns every buffer to the pool', async () => {
    const before = webgpuMemory();
    const live0 = { ...liveStorage };
    const { X, Y } = data(16, 'webgpu');
    const r = tidy(() =>
      X.matmul(X.T)
        .exp()
        .sum(1)
        .add(Y.reshape([16])),
    );
    await r.data();
    dispose([r, X, Y]);
    expect(liveStorage).toEqual(live0);
    expect(webgpuMemory().liveBuffers).toBe(before.liveBuffers);
  });
});
