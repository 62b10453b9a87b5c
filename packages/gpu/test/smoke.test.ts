import { describe, expect, it, beforeAll } from 'vitest';
import * as dl from '@difflab/tensor';
import { initWebGPU } from '../src/index.js';

beforeAll(async () => {
  await initWebGPU();
});

describe('smoke', () => {
  it('elementwise + reduce', async () => {
    const x = dl.tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { device: 'webgpu' },
    );
    expect(x.device).toBe('webgpu');
    const y = x.mul(2).add(1).exp().log();
    expect(Array.from(await y.data())).toEqual([3, 5, 7, 9, 11, 13].map((v) => Math.fround(v)));
    const s = dl.sum(x, 1);
    expect(Array.from(await s.data())).toEqual([6, 15]);
    const m = dl.matmul(x, x.T);
    expect(Array.from(await m.data())).toEqual([14, 32, 32, 77]);
  });
});
