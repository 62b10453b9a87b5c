import { beforeAll, describe, expect, it } from 'vitest';
import * as dl from '@difflab/tensor';
import { dispose, fromTypedArray, tidy, type Tensor } from '@difflab/tensor';
import { expectClose, sameOnBothDevices } from './helpers/compare.js';
import { gpu } from './helpers/setup.js';
import { webgpuBackend } from '../src/index.js';
import { tilingOverride } from '../src/kernels/matmul.js';

beforeAll(gpu);

/** Deterministic values in [-1, 1) (with a few exact ties when `ties`). */
function values(n: number, seed = 1, ties = false): Float32Array {
  const d = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    d[i] = ties ? Math.floor((s / 2147483648) * 8) / 4 - 1 : (2 * s) / 2147483648 - 1;
  }
  return d;
}
const rand = (shape: number[], device: string, seed = 1, ties = false) =>
  fromTypedArray(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
      ties,
    ),
    shape,
    { device },
  );

describe('reductions (every kernel path) match the CPU', () => {
  it('long reductions over few outputs (chunked two-pass) and many short ones', () =>
    sameOnBothDevices((d) => {
      const x = rand([3, 70000], d);
      const y = rand([5000, 7], d, 2);
      return [dl.sum(x, 1), dl.max(x, 1), dl.min(x), dl.mean(x), dl.sum(y, 1), dl.prod(y.add(1.5), 1), dl.sum(y, 0)];
    }));
  it('non-adjacent axes of a transposed, sliced view; keepdims; int32 and bool inputs', () =>
    sameOnBothDevices((d) => {
      const x = rand([6, 5, 4, 3], d).transpose([2, 0, 3, 1]).slice(null, '1:6', null, '::2');
      const i = rand([40, 30], d, 3).mul(100).astype('int32');
      const b = rand([40, 30], d, 4).greater(0);
      return [dl.sum(x, [0, 2], true), dl.max(x, [1, 3]), dl.sum(i, 1), dl.max(i, 0), dl.sum(b, 0), dl.min(i)];
    }));
  it('max/min propagate NaN; argmax/argmin take the first NaN or the first tie, on short and long axes', async () => {
    for (const n of [7, 3000]) {
      const d = values(4 * n, 5, true);
      d[n + 3] = NaN;
      d[n + n - 2] = NaN;
      const cpu = fromTypedArray(d, [4, n]);
      const dev = cpu.to('webgpu');
      for (const f of [
        (t: Tensor) => dl.max(t, 1),
        (t: Tensor) => dl.min(t, 1),
        (t: Tensor) => dl.argmax(t, 1),
        (t: Tensor) => dl.argmin(t, 1),
        (t: Tensor) => dl.argmax(t, 0),
      ]) {
        const want = tidy(() => f(cpu).dataSync());
        const out = tidy(() => f(dev));
        expect(Array.from(await out.data())).toEqual(Array.from(want));
        out.dispose();
      }
      dispose([cpu, dev]);
    }
  });
  it('empty reductions give the identity', async () => {
    const e = dl.zeros([3, 0], { device: 'webgpu' });
    expect(Array.from(await dl.sum(e, 1).data())).toEqual([0, 0, 0]);
    expect(Array.from(await dl.prod(e, 1).data())).toEqual([1, 1, 1]);
    expect(Array.from(await dl.sum(e, 0).data())).toEqual([]);
  });
});

describe('matmul', () => {
  // GPUs run the shared-memory kernel, CPU adapters (this CI) the register-blocked one: test both.
  for (const variant of ['shared', 'register'] as const)
    it(`${variant} kernel: every tile size, ragged edges, transposed and batch-broadcast operands`, async () => {
      const backend = webgpuBackend();
      const saved = backend.matmulVariant;
      backend.matmulVariant = variant;
      try {
        await sameOnBothDevices((d) => {
          const out: Tensor[] = [];
          for (const [m, k, n] of [
            [1, 1, 1],
            [3, 5, 2],
            [33, 17, 65],
            [64, 64, 64],
            [70, 130, 50],
            [520, 40, 530],
          ] as const)
            out.push(dl.matmul(rand([m, k], d, m), rand([k, n], d, n)));
          const a = rand([2, 1, 9, 6], d, 7);
          const b = rand([3, 6, 11], d, 8);
          out.push(dl.matmul(a, b));
          out.push(dl.matmul(rand([6, 9], d, 9).T, rand([11, 6], d, 10).T));
          out.push(dl.matmul(rand([4, 7], d, 11), rand([7], d, 12)));
          return out;
        });
      } finally {
        backend.matmulVariant = saved;
      }
    });
  it('more row tiles than one grid dimension holds (split into several dispatches)', async () => {
    const backend = webgpuBackend();
    const saved = backend.matmulVariant;
    // Tiny tiles reach the 65535-workgroup limit with a few hundred thousand rows.
    tilingOverride.tiling = { BM: 4, BN: 4, BK: 4, TM: 1, TN: 1 };
    try {
      for (const [variant, m] of [
        ['register', 270_000],
        ['shared', 300_000],
      ] as const) {
        backend.matmulVariant = variant;
        const a = fromTypedArray(values(m * 2, 3), [m, 2]);
        const b = dl.tensor([
          [1, -2, 0.5],
          [0.25, 3, -1],
        ]);
        const want = dl.matmul(a, b).dataSync();
        const got = tidy(() => dl.matmul(a.to('webgpu'), b.to('webgpu')));
        const d = await got.data();
        for (const i of [0, 5, 3 * 262_139, 3 * 262_140 + 2, 3 * m - 1])
          expect(d[i], `${variant}[${i}]`).toBeCloseTo(want[i]!, 5);
        dispose([a, b, got]);
      }
    } finally {
      backend.matmulVariant = saved;
      tilingOverride.tiling = null;
    }
  });
  it('int32 operands and an empty inner dimension', async () => {
    const a = dl.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'int32', device: 'webgpu' },
    );
    const c = dl.matmul(a, a);
    expect(c.dtype).toBe('int32');
    expect(Array.from(await c.data())).toEqual([7, 10, 15, 22]);
    const z = dl.matmul(dl.zeros([2, 0], { device: 'webgpu' }), dl.zeros([0, 3], { device: 'webgpu' }));
    expect(Array.from(await z.data())).toEqual([0, 0, 0, 0, 0, 0]);
    dispose([a, c, z]);
  });
});

describe('indexing kernels', () => {
  it('gather with negative indices on every axis, and its scatterAdd gradient', () =>
    sameOnBothDevices((d) => {
      const x = rand([5, 6, 7], d);
      const idx = dl.tensor([4, -1, 0, 2, -3], { dtype: 'int32', device: d });
      return [
        dl.gather(x, idx, 0),
        dl.gather(x, idx, 1),
        dl.gather(x, idx, 2),
        dl.gather(x.transpose([2, 0, 1]), idx, 1),
      ];
    }));
  it('scatterAdd with many duplicate indices (sorted segments) sums in index order like the CPU', () =>
    sameOnBothDevices((d) => {
      const m = 2000;
      const idx = Int32Array.from({ length: m }, (_, i) => ((i * 7919) % 37) - (i % 3 === 0 ? 37 : 0));
      const id = fromTypedArray(idx, [m], { dtype: 'int32', device: d });
      const src = rand([3, m, 4], d);
      return [dl.scatterAdd(src, id, 1, [3, 37, 4]), dl.scatterAdd(src.transpose([1, 0, 2]), id, 0, [37, 3, 4])];
    }, 1e-6));
  it('takeAlongAxis, oneHot, pad, concat, slice gradients (assignRegion) on strided inputs', () =>
    sameOnBothDevices((d) => {
      const x = rand([4, 9], d);
      const i = dl.argsort(x, 1).slice(null, '0:3');
      const p = dl.pad(x.T, [
        [1, 2],
        [0, 3],
      ]);
      const c = dl.concat([x, x.flip(1), x.mul(2)], 0);
      const g = dl.grad((t: Tensor) => dl.sum(dl.mul(t.slice('1:3', '::-2'), 3)))(x) as Tensor;
      return [dl.takeAlongAxis(x, i, 1), dl.oneHot(i, 9), p, c, g];
    }));
});

describe('cumsum and sort', () => {
  it('cumsum forward and reverse on short lines, one long line and int32', () =>
    sameOnBothDevices(
      (d) => {
        const x = rand([7, 13], d);
        const long = rand([2, 5000], d, 3);
        const i = dl.tensor(
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
          { dtype: 'int32', device: d },
        );
        return [
          dl.cumsum(x, 1),
          dl.cumsum(x.T, 0, true),
          dl.cumsum(long, 1),
          dl.cumsum(long, 1, true),
          dl.cumsum(i, 0),
        ];
      },
      1e-5,
      1e-1,
    ));
  it('stable sorts of long rows (global bitonic stages), ties, NaN, descending, int32 and bool', async () => {
    for (const [shape, seed] of [
      [[3, 1500], 1],
      [[2, 5000], 2],
      [[40, 5], 3],
    ] as const) {
      const d = values(shape[0] * shape[1], seed, true);
      d[5] = NaN;
      d[17] = NaN;
      const cpu = fromTypedArray(d, [...shape]);
      const dev = cpu.to('webgpu');
      for (const desc of [false, true]) {
        const want = tidy(() => dl.sortWithIndices(cpu, -1, desc));
        const got = tidy(() => dl.sortWithIndices(dev, -1, desc));
        expect(Array.from(await got.values.data())).toEqual(Array.from(want.values.dataSync()));
        expect(Array.from(await got.indices.data())).toEqual(Array.from(want.indices.dataSync()));
        dispose([want, got]);
      }
      dispose([cpu, dev]);
    }
    const ints = dl.tensor([3, -1, 3, 7, 0, -1], { dtype: 'int32', device: 'webgpu' });
    expect(Array.from(await dl.argsort(ints).data())).toEqual([1, 5, 4, 0, 2, 3]);
    expect(Array.from(await dl.sort(ints.greater(0), 0, true).data())).toEqual([1, 1, 1, 0, 0, 0]);
    const tk = dl.topk(ints, 2);
    expect(Array.from(await tk.values.data())).toEqual([7, 3]);
    expect(Array.from(await tk.indices.data())).toEqual([3, 0]);
    dispose([ints, tk]);
  });
});

describe('elementwise kernels', () => {
  it('broadcast, flipped, transposed and offset views of every operand', () =>
    sameOnBothDevices((d) => {
      const x = rand([4, 5, 6], d);
      const y = rand([4, 1, 1], d, 2);
      const v = x.flip(2).transpose([1, 0, 2]).slice('1:', null, '::2');
      return [v.add(y.flip(0)), dl.where(v.greater(0), v, y.mul(2)), dl.atan2(v, x.slice(null, '2:3', '::2'))];
    }));
  it('dtype promotion and casts between float32, int32 and bool', async () => {
    const f = dl.tensor([-1.5, 0, 2.7, NaN], { device: 'webgpu' });
    const i = dl.tensor([3, 0, -2, 5], { dtype: 'int32', device: 'webgpu' });
    const b = dl.tensor([true, false, true, false], { dtype: 'bool', device: 'webgpu' });
    expect(Array.from(await dl.add(i, b).data())).toEqual([4, 0, -1, 5]);
    expect(dl.add(i, b).dtype).toBe('int32');
    expect(Array.from(await dl.div(i, 2).data())).toEqual([1.5, 0, -1, 2.5]);
    expect(Array.from(await f.astype('int32').data())).toEqual([-1, 0, 2, 0]);
    expect(Array.from(await f.astype('bool').data())).toEqual([1, 0, 1, 0]);
    expect(Array.from(await dl.logicalXor(f, b).data())).toEqual([0, 0, 0, 0]);
    expect(Array.from(await dl.isnan(f).data())).toEqual([0, 0, 0, 1]);
    expect(Array.from(await dl.logicalNot(b).data())).toEqual([0, 1, 0, 1]);
    expect(await f.toArrayAsync()).toEqual([-1.5, 0, Math.fround(2.7), NaN]);
    expect(await b.toArrayAsync()).toEqual([true, false, true, false]);
    dispose([f, i, b]);
  });
});

describe('nn kernels', () => {
  it('unfold/fold (im2col) on strided input with padding, stride and dilation; conv2d gradients', () =>
    sameOnBothDevices((d) => {
      const x = rand([2, 3, 9, 8], d).transpose([0, 1, 3, 2]);
      const opts = {
        padding: [2, 1] as [number, number],
        stride: [2, 1] as [number, number],
        dilation: [1, 2] as [number, number],
      };
      const cols = dl.nn.unfold(x, [3, 2], opts);
      const back = dl.nn.fold(cols, [8, 9], [3, 2], opts);
      const w = rand([4, 3, 3, 3], d, 2);
      const g = dl.grad((xx: Tensor, ww: Tensor) => dl.sum(dl.nn.conv2d(xx, ww, null, { padding: 1 }).square()), {
        argnums: [0, 1],
      })(x, w) as Tensor[];
      return [cols, back, ...g];
    }));
});

describe('random', () => {
  it('the same key gives the same numbers on webgpu and on the CPU', async () => {
    const key = dl.random.key(42);
    const cpu = dl.random.normal(key, [100]);
    const dev = dl.random.normal(key, [100], { device: 'webgpu' } as never);
    expect(dev.device).toBe('webgpu');
    expectClose(await dev.data(), cpu.dataSync(), 'normal', 0);
    dispose([cpu, dev]);
  });
});
