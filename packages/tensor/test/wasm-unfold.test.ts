import { afterAll, describe, expect, it } from 'vitest';
import { fromTypedArray, nn, setCpuKernels, type Tensor } from '../src/index.js';
import { getKernelMode } from '../src/backend/wasm/runtime.js';
import { wasmCol2im, wasmIm2col } from '../src/backend/wasm/unfold.js';
import { im2colHost } from '../src/nn/kernels/im2col.js';

/*
 * The WebAssembly im2col (nn.unfold, the first half of conv2d) and col2im (nn.fold) against the
 * TypeScript kernels: a copy and one add per element in the same order, so bitwise equal, for
 * strides, dilations, padding wider than the kernel reach, 'same' (asymmetric) padding, windows
 * that never touch the image, strided and flipped views, float32 and float64, and NaN / -0
 * values carried through unchanged.
 */

const initialMode = getKernelMode();
afterAll(() => setCpuKernels(initialMode));

function data(n: number, seed: number, f64 = false): Float32Array | Float64Array {
  let s = seed >>> 0;
  const out = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = i % 53 === 0 ? NaN : i % 59 === 0 ? -0 : (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

function bitsEqual(f: () => Tensor): void {
  setCpuKernels('wasm');
  const w = f().dataSync();
  setCpuKernels('ts');
  const r = f().dataSync();
  setCpuKernels('wasm');
  expect(w.length).toBe(r.length);
  expect(Buffer.from(w.buffer, w.byteOffset, w.byteLength).equals(Buffer.from(r.buffer, r.byteOffset, r.byteLength))).toBe(true);
}

describe('wasm im2col', () => {
  for (const f64 of [false, true]) {
    const dt = f64 ? 'float64' : 'float32';
    it(`${dt}: unfold matches the TS kernel bitwise for strides, dilations and padding`, () => {
      const x = fromTypedArray(data(2 * 3 * 9 * 11, 1, f64), [2, 3, 9, 11]);
      const cases: [number | [number, number], Parameters<typeof nn.unfold>[2]][] = [
        [3, {}],
        [3, { padding: 1 }],
        [[2, 3], { stride: [2, 1], padding: [1, 2] }],
        [3, { dilation: 2, padding: 2, stride: 3 }],
        [1, { padding: 4 }], // windows entirely in the padding
        [[5, 4], { dilation: [2, 3], padding: [3, 0] }],
      ];
      for (const [k, o] of cases) bitsEqual(() => nn.unfold(x, k, o));
      // Non-contiguous inputs: a channel-sliced, a transposed and a 3-D (unbatched) view.
      bitsEqual(() => nn.unfold(x.slice(':', '1:3'), 3, { padding: 1 }));
      bitsEqual(() => nn.unfold(x.transpose([0, 1, 3, 2]), 3, { stride: 2 }));
      bitsEqual(() => nn.unfold(x.slice(1), 2, { padding: 1 }));
    });

    it(`${dt}: fold (col2im, overlapping windows summed) matches the TS kernel bitwise`, () => {
      const x = fromTypedArray(data(2 * 3 * 9 * 11, 4, f64), [2, 3, 9, 11]);
      const cases: [number | [number, number], Parameters<typeof nn.unfold>[2]][] = [
        [3, { padding: 1 }],
        [[2, 3], { stride: [2, 1], padding: [1, 2] }],
        [3, { dilation: 2, padding: 2, stride: 3 }],
        [1, { padding: 4 }],
      ];
      for (const [k, o] of cases) {
        const cols = nn.unfold(x, k, o);
        bitsEqual(() => nn.fold(cols, [9, 11], k, o));
        // A transposed (strided) view of the columns.
        const colsT = fromTypedArray(cols.transpose([0, 2, 1]).dataSync(), [cols.shape[0]!, cols.shape[2]!, cols.shape[1]!]);
        bitsEqual(() => nn.fold(colsT.transpose([0, 2, 1]), [9, 11], k, o));
      }
    });
  }

  it("asymmetric ('same') padding, called directly, matches the TS kernel bitwise; conv2d agrees within rounding", () => {
    setCpuKernels('wasm');
    const x = fromTypedArray(data(2 * 4 * 10 * 10, 5), [2, 4, 10, 10]);
    // A 4x4 'same' convolution pads 1 before and 2 after.
    const g = {
      kernel: [4, 4], stride: [1, 1], dilation: [1, 1], padding: [1, 2, 2, 1], inputSize: [10, 10], outputSize: [10, 10],
    } as const;
    const w = new Float32Array(2 * 64 * 100);
    const r = new Float32Array(2 * 64 * 100);
    expect(wasmIm2col(x.view, g, w)).toBe(true);
    im2colHost({ data: x.view.storage.data as Float32Array, offset: x.view.offset, strides: x.view.strides }, 2, 4, g, r);
    expect(Buffer.from(w.buffer).equals(Buffer.from(r.buffer))).toBe(true);
    const xs = fromTypedArray(x.dataSync().map((v) => (Number.isNaN(v) ? 0.25 : v)), [2, 4, 10, 10]);
    const k = fromTypedArray(data(6 * 4 * 4 * 4, 6).map((v) => (Number.isNaN(v) ? 0.5 : v)), [6, 4, 4, 4]);
    const cw = nn.conv2d(xs, k, null, { padding: 'same' }).dataSync();
    setCpuKernels('ts');
    const cr = nn.conv2d(xs, k, null, { padding: 'same' }).dataSync();
    setCpuKernels('wasm');
    for (let i = 0; i < cw.length; i++) expect(Math.abs(cw[i]! - cr[i]!)).toBeLessThan(1e-5);
  });

  it('takes float32 / float64 views only and leaves int tensors and mismatched outputs alone', () => {
    setCpuKernels('wasm');
    const x = fromTypedArray(data(1 * 2 * 4 * 4, 3), [1, 2, 4, 4]);
    const g = {
      kernel: [2, 2], stride: [1, 1], dilation: [1, 1], padding: [0, 0, 0, 0], inputSize: [4, 4], outputSize: [3, 3],
    } as const;
    const out = new Float32Array(2 * 4 * 9);
    expect(wasmIm2col(x.view, g, out)).toBe(true);
    // Window (oy, ox) = (1, 2), offset (ki, kj) = (1, 0) of channel 1: x[0, 1, 2, 2].
    expect(out[(1 * 4 + 2) * 9 + 1 * 3 + 2]).toBe(x.dataSync()[16 + 2 * 4 + 2]);
    expect(wasmIm2col(x.view, g, new Float64Array(72))).toBe(false);
    expect(wasmIm2col(x.astype('int32').view, g, out)).toBe(false);
    expect(wasmIm2col(x.view, g, new Float32Array(0))).toBe(false);
    // col2im of those columns: pixel (2, 2) of channel 1 is in the 4 windows (oy, ox) in {1, 2}^2.
    const cols = fromTypedArray(out, [1, 8, 9]);
    const img = new Float32Array(32);
    expect(wasmCol2im(cols.view, 2, g, img)).toBe(true);
    expect(img[16 + 2 * 4 + 2]).toBe(Math.fround(4 * x.dataSync()[16 + 2 * 4 + 2]!));
    expect(wasmCol2im(cols.view, 2, g, new Float64Array(32))).toBe(false);
  });
});
