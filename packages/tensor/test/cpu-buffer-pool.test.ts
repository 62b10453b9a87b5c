import { describe, expect, it } from 'vitest';
import { clearBufferPool, giveBuffer, idleBufferBytes, takeBuffer } from '../src/backend/cpu/pool.js';
import { exp, fromTypedArray, full, liveStorage, matmul, scatterAdd, tidy, zeros } from '../src/index.js';

/*
 * Disposed CPU tensors hand their buffers back to a pool that later kernels reuse. Reuse must be
 * invisible: zero-initialised outputs stay zero, caller-owned arrays are never recycled, and the
 * pool stays bounded.
 */

describe('cpu buffer pool', () => {
  it('recycles the buffer of a disposed tensor for the next allocation of that size', () => {
    const z = zeros([32, 32]);
    clearBufferPool();
    const a = exp(z);
    const buf = a.storage.data;
    a.dispose();
    expect(idleBufferBytes()).toBe(32 * 32 * 4);
    const b = exp(z);
    expect(b.storage.data).toBe(buf);
    expect(idleBufferBytes()).toBe(0);
    expect(Array.from(b.dataSync())).toEqual(new Array(1024).fill(1));
  });

  it('kernels that need zero-filled output still get zeros from a dirty recycled buffer', () => {
    clearBufferPool();
    for (let round = 0; round < 3; round++) {
      full([40, 40], 7).dispose();
      expect(Array.from(zeros([40, 40]).dataSync()).every((v) => v === 0)).toBe(true);
      full([40, 40], 7).dispose();
      const src = fromTypedArray(new Float32Array(40 * 40).fill(1), [40, 40]);
      const s = scatterAdd(src, [0, 0, ...Array.from({ length: 38 }, (_, i) => i + 2)], 0, [40, 40]);
      const d = s.dataSync();
      // Row 0 receives two rows of ones, row 1 none, the rest one each.
      expect(d[0]).toBe(2);
      expect(d[40]).toBe(0);
      expect(d[80]).toBe(1);
      full([8, 0], 1).dispose();
      expect(Array.from(matmul(zeros([8, 0]), zeros([0, 8])).dataSync()).every((v) => v === 0)).toBe(true);
    }
  });

  it('never recycles a caller-owned array', () => {
    clearBufferPool();
    const mine = new Float32Array(4096);
    giveBuffer('float32', mine);
    expect(idleBufferBytes()).toBe(0);
    const t = fromTypedArray(mine, [4096]);
    expect(t.storage.data).not.toBe(mine);
  });

  it('keeps a tidy training-style loop at a constant number of live storages and bounded idle memory', () => {
    clearBufferPool();
    const w = fromTypedArray(new Float32Array(64 * 64).fill(0.01), [64, 64]);
    const x = fromTypedArray(new Float32Array(64 * 64).fill(1), [64, 64]);
    const live0 = liveStorage.count;
    let idleAfterFirst = -1;
    for (let i = 0; i < 20; i++) {
      tidy(() => exp(matmul(x, w)).mul(2).add(1).sum()).dispose();
      if (i === 0) idleAfterFirst = idleBufferBytes();
      expect(liveStorage.count).toBe(live0);
    }
    // Later iterations reuse the buffers the first one returned instead of adding more.
    expect(idleBufferBytes()).toBe(idleAfterFirst);
    expect(idleBufferBytes()).toBeLessThanOrEqual(64 * 1024 * 1024);
  });

  it('takeBuffer honours the zeroed flag only for recycled buffers that need it', () => {
    clearBufferPool();
    const b = takeBuffer('float64', 1000, false) as Float64Array;
    b.fill(3);
    giveBuffer('float64', b);
    const dirty = takeBuffer('float64', 1000, false);
    expect(dirty).toBe(b);
    expect(dirty[0]).toBe(3);
    giveBuffer('float64', dirty);
    const clean = takeBuffer('float64', 1000, true);
    expect(clean).toBe(b);
    expect(Array.from(clean).every((v) => v === 0)).toBe(true);
  });
});
