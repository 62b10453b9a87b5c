import { afterAll, describe, expect, it } from 'vitest';
import { add, div, fromTypedArray, mul, scalar, setCpuKernels, sub, type Tensor } from '../src/index.js';
import { getKernelMode } from '../src/backend/wasm/runtime.js';
import { wasmBinary } from '../src/backend/wasm/elementwise.js';

/*
 * The SIMD float32 add / sub / mul / div agree bitwise with the TypeScript kernels (one IEEE
 * float32 operation per element either way), for both operands arrays, a scalar on either side,
 * odd lengths, offset views and the special values.
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
  const ops = { add, sub, mul, div };
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

  it('the SIMD path is taken for contiguous and scalar operands, not for broadcast rows', () => {
    setCpuKernels('wasm');
    const x = fromTypedArray(data(64, 7), [8, 8]);
    const out = new Float32Array(64);
    expect(wasmBinary('mul', x.view, x.view, out)).toBe(true);
    expect(out[1]).toBe(Math.fround(x.dataSync()[1]! * x.dataSync()[1]!));
    const s = scalar(2).broadcastTo([8, 8]);
    expect(wasmBinary('sub', s.view, x.view, out)).toBe(true);
    expect(out[3]).toBe(Math.fround(2 - x.dataSync()[3]!));
    const row = fromTypedArray(data(8, 8), [8]).broadcastTo([8, 8]);
    expect(wasmBinary('add', x.view, row.view, out)).toBe(false);
    expect(wasmBinary('maximum', x.view, x.view, out)).toBe(false);
  });

  it('broadcast rows and strided views take the reference path with the same results', () => {
    const m = fromTypedArray(data(200 * 30, 5), [200, 30]);
    const row = fromTypedArray(data(30, 6), [30]);
    same(() => add(m, row));
    same(() => mul(m.transpose(), 3));
  });
});
