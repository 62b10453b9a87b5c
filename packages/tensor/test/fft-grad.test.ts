import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { add, fft, fromTypedArray, grad, mul, pad, sum, tanh, type Tensor } from '../src/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { flat, shapeOf, type Json } from './helpers/nested-json.js';

interface GradCase {
  name: string;
  op: keyof typeof fft;
  opts: Record<string, unknown>;
  input: Json;
  w1: Json;
  w2: Json;
  grad: Json;
}
const fixtures: { grad: GradCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/fft.json', import.meta.url), 'utf8'),
);

const fromJson = (x: Json): Tensor => fromTypedArray(Float64Array.from(flat(x)), shapeOf(x), { dtype: 'float64' });

function random(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return fromTypedArray(out, shape, { dtype: 'float64' });
}

describe('fft gradients vs torch.fft autograd', () => {
  for (const c of fixtures.grad) {
    it(c.name, () => {
      const f = fft[c.op] as (x: Tensor, o: Record<string, unknown>) => Tensor;
      const w1 = fromJson(c.w1);
      const w2 = fromJson(c.w2);
      const loss = (x: Tensor) => {
        const out = f(x, c.opts);
        return add(sum(mul(w1, out)), mul(sum(mul(w2, mul(out, out))), 0.5));
      };
      const g = grad(loss)(fromJson(c.input)) as Tensor;
      expect(g.shape).toEqual(shapeOf(c.grad));
      const a = g.dataSync();
      const e = flat(c.grad);
      for (let i = 0; i < e.length; i++)
        expect(Math.abs(a[i]! - e[i]!), `${c.name} [${i}]`).toBeLessThan(1e-9 * (1 + Math.abs(e[i]!)));
    });
  }
});

describe('fft gradients vs finite differences (float64)', () => {
  it('fft / ifft with every norm, n cropping and padding, a middle axis', () => {
    for (const norm of ['backward', 'ortho', 'forward'] as const) {
      gradcheck((z) => fft.fft(z, { norm }), [random([2, 5, 2], 1)]);
      gradcheck((z) => fft.ifft(z, { norm, n: 8 }), [random([6, 2], 2)]);
    }
    gradcheck((z) => fft.fft(z, { axis: 0, n: 3 }), [random([5, 3, 2], 3)]);
  });
  it('rfft / irfft for odd and even lengths, with n and axis', () => {
    for (const n of [1, 2, 5, 8]) {
      gradcheck((x) => fft.rfft(x), [random([2, n], 10 + n)]);
      gradcheck((y) => fft.irfft(y, { n }), [random([2, (n >> 1) + 1, 2], 20 + n)]);
    }
    gradcheck((x) => fft.rfft(x, { n: 9, axis: 0, norm: 'ortho' }), [random([6, 2], 4)]);
    gradcheck((y) => fft.irfft(y, { n: 7, axis: 0, norm: 'forward' }), [random([6, 2, 2], 5)]);
  });
  it('2-D and n-D transforms', () => {
    gradcheck((z) => fft.fft2(z), [random([3, 4, 2], 6)]);
    gradcheck((z) => fft.ifft2(z, { s: [2, 5] }), [random([3, 4, 2], 7)]);
    gradcheck((x) => fft.rfft2(x), [random([2, 3, 5], 8)]);
    gradcheck((y) => fft.irfft2(y, { s: [3, 4] }), [random([3, 3, 2], 9)]);
    gradcheck((x) => fft.rfftn(x, { axes: [0, 2] }), [random([3, 2, 4], 10)]);
    gradcheck((y) => fft.irfftn(y), [random([2, 3, 3, 2], 11)]);
  });
  it('complex helpers', () => {
    gradcheck((a, b) => fft.complexMul(a, b), [random([3, 2], 12), random([2, 3, 2], 13)]);
    gradcheck((a, b) => fft.complexEinsum('bi,io->bo', a, b), [random([2, 3, 2], 14), random([3, 4, 2], 15)]);
    gradcheck((r, i) => fft.conj(fft.complex(r, i)), [random([3], 16), random([1], 17)]);
    gradcheck((z) => fft.abs2(z), [random([4, 2], 18)]);
  });
  it('second order: gradients of gradients (rfft, irfft, fft)', () => {
    const g1 = grad((x: Tensor) => sum(tanh(fft.abs2(fft.rfft(x)))));
    gradcheck((x) => g1(x) as Tensor, [random([6], 19)]);
    const g2 = grad((y: Tensor) => sum(mul(tanh(fft.irfft(y, { n: 5 })), fft.irfft(y, { n: 5 }))));
    gradcheck((y) => g2(y) as Tensor, [random([3, 2], 20)]);
    const g3 = grad((z: Tensor) => sum(tanh(fft.fft(z, { norm: 'ortho' }))));
    gradcheck((z) => g3(z) as Tensor, [random([5, 2], 21)]);
  });
  it('a Fourier-neural-operator spectral layer (rfft2 -> mix low modes -> irfft2)', () => {
    const modes = 2;
    const layer = (x: Tensor, w: Tensor) => {
      const X = fft.rfft2(x); // [b, c, h, w/2+1, 2]
      const low = X.slice(null, null, { stop: modes }, { stop: modes });
      const mixed = fft.complexEinsum('bixy,ioxy->boxy', low, w); // [b, o, modes, modes, 2]
      const [h, wh] = [X.shape[2]!, X.shape[3]!];
      const full = pad(mixed, [
        [0, 0],
        [0, 0],
        [0, h - modes],
        [0, wh - modes],
        [0, 0],
      ]);
      return fft.irfft2(full, { s: [x.shape[2]!, x.shape[3]!] });
    };
    gradcheck(layer, [random([1, 2, 4, 5], 22), random([2, 3, modes, modes, 2], 23)]);
  });
});
