import { afterAll, describe, expect, it } from 'vitest';
import {
  add,
  cpuThreadsReady,
  div,
  fromTypedArray,
  maximum,
  minimum,
  mul,
  scalar,
  setCpuKernels,
  setNumThreads,
  softmax,
  sub,
  type Tensor,
} from '../src/index.js';
import { getKernelMode } from '../src/backend/wasm/runtime.js';
import { wasmBinary } from '../src/backend/wasm/elementwise.js';

/*
 * The SIMD float32 add / sub / mul / div / maximum / minimum agree bitwise with the TypeScript
 * kernels (one IEEE float32 operation, or the same compare and select, per element), for both
 * operands arrays, a scalar on either side, row vectors and per-row columns on either side, odd
 * lengths, offset views, the special values (signed zeros and NaN included) and 1 or 2 threads.
 */

const initialMode = getKernelMode();
afterAll(() => setCpuKernels(initialMode));

function data(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  const special = [0, -0, Infinity, -Infinity, NaN, 1e-45, -3e38, 3e38];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = i % 97 === 0 ? special[(i / 97) % special.length]! : ((s / 2 ** 32) * 2 - 1) * 10 ** ((i % 7) - 3);
  }
  return out;
}

function bits(t: Tensor): Uint32Array {
  return new Uint32Array(Float32Array.from(t.dataSync()).buffer);
}

function same(f: () => Tensor): void {
  setCpuKernels('wasm');
  const w = bits(f());
  setCpuKernels('ts');
  const r = bits(f());
  setCpuKernels('wasm');
  expect(w.length).toBe(r.length);
  let diff = 0;
  for (let i = 0; i < w.length; i++) {
    // NaN payloads may differ; any NaN matches any NaN.
    const nan = (u: number) => (u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0;
    if (w[i] !== r[i] && !(nan(w[i]!) && nan(r[i]!))) diff++;
  }
  expect(diff).toBe(0);
}

describe('wasm float32 arithmetic', () => {
  const ops = { add, sub, mul, div, maximum, minimum };
  for (const [name, f] of Object.entries(ops)) {
    it(`${name}: arrays, scalar right and left, odd length and offset views match the TS kernels bitwise`, () => {
      const n = 5003;
      const x = fromTypedArray(data(n, 1), [n]);
      const y = fromTypedArray(data(n, 2), [n]);
      same(() => f(x, y));
      same(() => f(x, 0.37));
      same(() => f(scalar(-2.5), y));
      const big = fromTypedArray(data(3 * 1001, 3), [3, 1001]);
      same(() => f(big.slice(1), big.slice(2)));
      same(() => f(big.slice('1:'), fromTypedArray(data(1, 4), [1, 1])));
    });
  }

  it('the SIMD path is taken for contiguous, scalar, row and column operands, not for other broadcasts', () => {
    setCpuKernels('wasm');
    const x = fromTypedArray(data(64, 7), [8, 8]);
    const out = new Float32Array(64);
    expect(wasmBinary('mul', x.view, x.view, out)).toBe(true);
    expect(out[1]).toBe(Math.fround(x.dataSync()[1]! * x.dataSync()[1]!));
    const s = scalar(2).broadcastTo([8, 8]);
    expect(wasmBinary('sub', s.view, x.view, out)).toBe(true);
    expect(out[3]).toBe(Math.fround(2 - x.dataSync()[3]!));
    const row = fromTypedArray(data(8, 8), [8]).broadcastTo([8, 8]);
    expect(wasmBinary('add', x.view, row.view, out)).toBe(true);
    expect(out[9]).toBe(Math.fround(x.dataSync()[9]! + row.dataSync()[1]!));
    const col = fromTypedArray(data(8, 9), [8, 1]).broadcastTo([8, 8]);
    expect(wasmBinary('div', col.view, x.view, out)).toBe(true);
    expect(out[19]).toBe(Math.fround(col.dataSync()[16]! / x.dataSync()[19]!));
    expect(wasmBinary('maximum', x.view, x.view, out)).toBe(true);
    expect(wasmBinary('pow', x.view, x.view, out)).toBe(false);
    expect(wasmBinary('add', x.transpose().view, row.view, out)).toBe(false);
    // An outer sum: a column on the left, a row vector on the right.
    expect(wasmBinary('add', col.view, row.view, out)).toBe(true);
    expect(out[8 * 2 + 5]).toBe(Math.fround(col.dataSync()[16]! + row.dataSync()[5]!));
    const strided = fromTypedArray(data(16, 9), [8, 2]).slice(':', '0:1').broadcastTo([8, 8]);
    expect(wasmBinary('add', x.view, strided.view, out)).toBe(false);
    expect(wasmBinary('add', x.transpose().view, col.view, out)).toBe(false);
  });

  it('strided views take the reference path with the same results', () => {
    const m = fromTypedArray(data(200 * 30, 5), [200, 30]);
    same(() => mul(m.transpose(), 3));
    same(() => maximum(m.transpose(), m.transpose()));
  });

  for (const [name, f] of Object.entries(ops)) {
    it(`${name}: row vectors and per-row columns on either side, every row-tail length, match bitwise`, () => {
      for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 33]) {
        const m = 13;
        const x = fromTypedArray(data(m * n, n), [m, n]);
        const row = fromTypedArray(data(n, n + 100), [n]);
        const col = fromTypedArray(data(m, n + 200), [m, 1]);
        same(() => f(x, row));
        same(() => f(row, x));
        same(() => f(x, col));
        same(() => f(col, x));
        same(() => f(row, row.reshape([1, n]).broadcastTo([m, n])));
        same(() => f(row.reshape([1, n]), col));
      }
      // Leading batch axes; an offset row slice as the vector.
      const x3 = fromTypedArray(data(4 * 5 * 7, 11), [4, 5, 7]);
      const b = fromTypedArray(data(3 * 7, 12), [3, 7]);
      same(() => f(x3, b.slice(1)));
      same(() => f(fromTypedArray(data(20, 13), [4, 5, 1]), x3));
    });
  }

  it('row broadcasts on 2 threads match the TS kernels bitwise (softmax of 1024 x 1025 logits)', async () => {
    setNumThreads(2);
    await cpuThreadsReady();
    const x = fromTypedArray(data(1024 * 1025, 21), [1024, 1025]);
    const bias = fromTypedArray(data(1025, 22), [1025]);
    same(() => add(x, bias));
    same(() => maximum(x, fromTypedArray(data(1024, 23), [1024, 1])));
    setCpuKernels('wasm');
    const w = softmax(x).dataSync();
    setNumThreads(1);
    const w1 = softmax(x).dataSync();
    expect(Buffer.from(w.buffer).equals(Buffer.from(w1.buffer))).toBe(true);
  });
});
