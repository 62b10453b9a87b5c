import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispose, fromTypedArray, tidy, type Tensor } from '@difflab/tensor';
import { webgpuBackend, webgpuMemory } from '../src/index.js';
import { expectClose } from './helpers/compare.js';
import { gpu } from './helpers/setup.js';

beforeAll(gpu);
afterEach(() => {
  webgpuBackend().fusion.enabled = true;
});

const input = (n: number, device: string, seed = 1) =>
  fromTypedArray(
    Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 0.1 + i * 0.37)),
    [n],
    { device },
  );

/** An elementwise chain of six ops over two inputs and a scalar. */
const chain = (x: Tensor, y: Tensor, s: number) => x.mul(s).add(y).exp().tanh().sub(y.square()).mul(0.5);

/** Dispatches recorded while `f` runs (awaiting any reads it does). */
async function dispatches(f: () => Promise<unknown>): Promise<number> {
  const before = webgpuMemory().dispatches;
  await f();
  return webgpuMemory().dispatches - before;
}

describe('elementwise fusion', () => {
  it('a chain of elementwise ops runs as one kernel, with the unfused values', async () => {
    const x = input(1000, 'webgpu');
    const y = input(1000, 'webgpu', 2);
    let fused: Float32Array | null = null;
    expect(
      await dispatches(async () => {
        const z = chain(x, y, 1.5);
        fused = (await z.data()) as Float32Array;
        z.dispose();
      }),
    ).toBe(1);
    webgpuBackend().fusion.enabled = false;
    let unfused: Float32Array | null = null;
    expect(
      await dispatches(async () => {
        const z = tidy(() => chain(x, y, 1.5));
        unfused = (await z.data()) as Float32Array;
        z.dispose();
      }),
    ).toBe(7);
    const cpu = chain(input(1000, 'cpu'), input(1000, 'cpu', 2), 1.5).dataSync();
    expectClose(fused!, cpu, 'fused');
    expectClose(unfused!, cpu, 'unfused');
    dispose([x, y]);
  });

  it('pipelines are reused across sizes and scalar values; unused lazy results cost nothing', async () => {
    const run = async (n: number, s: number) => {
      const [x, y] = [input(n, 'webgpu'), input(n, 'webgpu', 3)];
      const z = tidy(() => chain(x, y, s));
      await z.data();
      dispose([x, y, z]);
    };
    await run(10, 2);
    const p = webgpuMemory().pipelines;
    await run(5000, -0.25);
    await run(77, 3.5);
    expect(webgpuMemory().pipelines).toBe(p);
    const x = input(100, 'webgpu');
    expect(
      await dispatches(async () => {
        const dead = x.exp().add(1).sqrt();
        dead.dispose();
      }),
    ).toBe(0);
    x.dispose();
  });

  it('a lazy value shared by two consumers is computed once', async () => {
    const x = input(64, 'webgpu');
    const n = await dispatches(async () => {
      const z = tidy(() => x.exp().mul(2).add(1).tanh());
      const a = z.add(1);
      const b = z.mul(2);
      const [da, db] = [await a.data(), await b.data()];
      const zc = tidy(() => input(64, 'cpu').exp().mul(2).add(1).tanh());
      expectClose(da, zc.add(1).dataSync(), 'a', 1e-6);
      expectClose(db, zc.mul(2).dataSync(), 'b', 1e-6);
      dispose([z, a, b, zc]);
    });
    expect(n).toBe(3);
    x.dispose();
  });

  it('long chains and many inputs split into kernels within the device limits', async () => {
    const check = async (f: (d: string) => Tensor) => {
      const want = tidy(() => f('cpu').dataSync());
      const got = tidy(() => f('webgpu'));
      expectClose(await got.data(), want, 'result', 1e-5);
      got.dispose();
    };
    await check((d) => {
      let z = input(300, d);
      for (let i = 0; i < 200; i++) z = z.mul(0.999).add(Math.sin(i) * 1e-3);
      return z;
    });
    await check((d) => {
      let z = input(50, d);
      for (let i = 0; i < 40; i++) z = z.add(input(50, d, i + 2).mul(i));
      return z;
    });
  });

  it('materialises lazy values read through a transposed or broadcast view', async () => {
    const x = fromTypedArray(
      Float32Array.from({ length: 12 }, (_, i) => i),
      [3, 4],
      { device: 'webgpu' },
    );
    const lazy = x.mul(2).add(1);
    const out = tidy(() => lazy.T.add(lazy.slice(0).reshape([4, 1])).sum(0));
    const cpuX = fromTypedArray(
      Float32Array.from({ length: 12 }, (_, i) => i),
      [3, 4],
    );
    const l = cpuX.mul(2).add(1);
    expect(Array.from(await out.data())).toEqual(
      Array.from(
        l.T.add(l.slice(0).reshape([4, 1]))
          .sum(0)
          .dataSync(),
      ),
    );
    dispose([x, lazy, out]);
  });
});
