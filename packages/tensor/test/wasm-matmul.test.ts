import { afterAll, describe, expect, it } from 'vitest';
import {
  broadcastTo,
  cpuKernels,
  cpuThreadsReady,
  flip,
  fromTypedArray,
  matmul,
  setCpuKernels,
  setNumThreads,
  slice,
  swapAxes,
  ValueError,
  type DType,
  type Tensor,
} from '../src/index.js';
import { getKernelMode } from '../src/backend/wasm/runtime.js';

/*
 * The WebAssembly SIMD matmul against the TypeScript reference kernel on the same inputs, for
 * shapes that hit every path of the packed GEMM: ragged 5x8 / 4x4 edge tiles, K above the 256
 * block, N above the 512 (f32) / 256 (f64) block, batches, broadcast batch operands, transposed,
 * flipped (negative strides) and sliced (gathered) views; and the thread pool's determinism.
 */

const initialMode = getKernelMode();
afterAll(() => {
  setCpuKernels(initialMode);
  setNumThreads(2);
});

function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push((s / 2 ** 32) * 2 - 1);
  }
  return out;
}

function make(shape: number[], dtype: DType, seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = rand(n, seed);
  return fromTypedArray(dtype === 'float64' ? new Float64Array(data) : new Float32Array(data), shape, { dtype });
}

function both(f: () => Tensor): { wasm: Float64Array; ts: Float64Array } {
  setCpuKernels('wasm');
  const wasm = Float64Array.from(f().dataSync());
  setCpuKernels('ts');
  const ts = Float64Array.from(f().dataSync());
  setCpuKernels('wasm');
  return { wasm, ts };
}

function maxRelDiff(x: Float64Array, y: Float64Array): number {
  expect(x.length).toBe(y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!) / (1 + Math.abs(y[i]!)));
  return d;
}

describe('wasm matmul vs the TypeScript reference', () => {
  it('is selected for the cpu device in Node', () => {
    setCpuKernels('auto');
    const info = cpuKernels();
    expect(info.simd).toBe(true);
    expect(info.wasm).toBe(true);
    expect(info.mode).toBe('auto');
    setCpuKernels('ts');
    expect(cpuKernels().wasm).toBe(false);
  });

  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [5, 3, 7],
    [5, 8, 8],
    [4, 9, 4],
    [13, 300, 17],
    [37, 29, 600],
    [64, 513, 9],
    [2, 2, 300],
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    const tol = dtype === 'float32' ? 2e-5 : 1e-12;
    for (const [m, k, n] of shapes) {
      it(`${dtype} [${m}, ${k}] @ [${k}, ${n}]`, () => {
        const a = make([m, k], dtype, m * 7 + k);
        const b = make([k, n], dtype, n * 13 + k);
        const { wasm, ts } = both(() => matmul(a, b));
        expect(maxRelDiff(wasm, ts)).toBeLessThan(tol);
      });
    }

    it(`${dtype} batched with a broadcast operand`, () => {
      const a = make([3, 1, 19, 40], dtype, 1);
      const b = make([4, 40, 11], dtype, 2);
      const { wasm, ts } = both(() => matmul(a, b));
      expect(wasm.length).toBe(3 * 4 * 19 * 11);
      expect(maxRelDiff(wasm, ts)).toBeLessThan(tol);
      const b2 = broadcastTo(make([40, 11], dtype, 3), [5, 40, 11]);
      const r = both(() => matmul(make([5, 19, 40], dtype, 4), b2));
      expect(maxRelDiff(r.wasm, r.ts)).toBeLessThan(tol);
    });

    it(`${dtype} transposed, flipped and sliced operands`, () => {
      const a = make([70, 33], dtype, 5);
      const b = make([45, 70], dtype, 6);
      // aT [33, 70] @ bT [70, 45]: both operands are transposed views.
      let r = both(() => matmul(swapAxes(a, 0, 1), swapAxes(b, 0, 1)));
      expect(maxRelDiff(r.wasm, r.ts)).toBeLessThan(tol);
      r = both(() => matmul(flip(a, 0), flip(make([33, 21], dtype, 7), 1)));
      expect(maxRelDiff(r.wasm, r.ts)).toBeLessThan(tol);
      // Every third column of a wide matrix: sparse in its storage span, so it is gathered.
      const wide = make([40, 300], dtype, 8);
      r = both(() => matmul(slice(wide, null, '::3'), make([100, 12], dtype, 9)));
      expect(maxRelDiff(r.wasm, r.ts)).toBeLessThan(tol);
    });
  }

  it('k = 0 and empty outputs still come from the reference path', () => {
    setCpuKernels('wasm');
    expect(Array.from(matmul(make([3, 0], 'float32', 1), make([0, 2], 'float32', 2)).dataSync())).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
    expect(matmul(make([0, 4], 'float32', 1), make([4, 2], 'float32', 2)).shape).toEqual([0, 2]);
  });

  it('matches a float64 triple loop on an exact integer product', () => {
    setCpuKernels('wasm');
    const m = 9,
      k = 300,
      n = 10;
    const ai = Array.from({ length: m * k }, (_, i) => ((i * 7) % 11) - 5);
    const bi = Array.from({ length: k * n }, (_, i) => ((i * 5) % 13) - 6);
    const out = matmul(
      fromTypedArray(new Float32Array(ai), [m, k]),
      fromTypedArray(new Float32Array(bi), [k, n]),
    ).dataSync();
    for (const [i, j] of [
      [0, 0],
      [8, 9],
      [4, 3],
    ] as const) {
      let s = 0;
      for (let p = 0; p < k; p++) s += ai[i * k + p]! * bi[p * n + j]!;
      expect(out[i * n + j]).toBe(s);
    }
  });
});

describe('wasm thread pool', () => {
  it('gives bitwise identical results for 1 and 2 threads and across runs', async () => {
    setCpuKernels('wasm');
    setNumThreads(2);
    expect(await cpuThreadsReady()).toBe(2);
    expect(cpuKernels().threads).toBe(true);
    const a = make([200, 300], 'float32', 11);
    const b = make([300, 260], 'float32', 12);
    // Leave other values in the arena first, so a share of the work the worker skipped could not
    // pass by reading stale results of an identical call.
    setNumThreads(1);
    matmul(make([200, 300], 'float32', 21), b).dispose();
    setNumThreads(2);
    const two = matmul(a, b).dataSync();
    setCpuKernels('ts');
    const ref = Float64Array.from(matmul(a, b).dataSync());
    setCpuKernels('wasm');
    expect(maxRelDiff(Float64Array.from(two), ref)).toBeLessThan(2e-5);
    const again = matmul(a, b).dataSync();
    setNumThreads(1);
    const one = matmul(a, b).dataSync();
    expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    expect(Buffer.from(two.buffer).equals(Buffer.from(again.buffer))).toBe(true);
    // A tall, narrow product is split by rows rather than columns.
    setNumThreads(2);
    const tall = make([2000, 100], 'float32', 15);
    const narrow = make([100, 12], 'float32', 16);
    const tall2 = matmul(tall, narrow).dataSync();
    setNumThreads(1);
    const tall1 = matmul(tall, narrow).dataSync();
    expect(Buffer.from(tall2.buffer).equals(Buffer.from(tall1.buffer))).toBe(true);
    setCpuKernels('ts');
    const tallRef = Float64Array.from(matmul(tall, narrow).dataSync());
    setCpuKernels('wasm');
    expect(maxRelDiff(Float64Array.from(tall2), tallRef)).toBeLessThan(2e-5);
    setNumThreads(2);
    const a64 = make([3, 120, 90], 'float64', 13);
    const b64 = make([3, 90, 150], 'float64', 14);
    const t2 = matmul(a64, b64).dataSync();
    setNumThreads(1);
    const t1 = matmul(a64, b64).dataSync();
    expect(Buffer.from(t2.buffer).equals(Buffer.from(t1.buffer))).toBe(true);
    setNumThreads(2);
  });

  it('rejects bad settings with ValueError', () => {
    expect(() => setNumThreads(0)).toThrow(ValueError);
    expect(() => setNumThreads(1.5)).toThrow(/setNumThreads/);
    expect(() => setCpuKernels('gpu' as never)).toThrow(ValueError);
    expect(() => setCpuKernels('gpu' as never)).toThrow(/setCpuKernels/);
  });
});
