import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { add, dispose, fft, fromTypedArray, grad, mul, sum, tidy, type Tensor } from '@difflab/tensor';
import { flat, maxRelErr, shapeOf, type Json } from '../../tensor/test/helpers/nested-json.js';
import { gpu } from './helpers/setup.js';

/** The tensor package's numpy.fft / torch.fft fixtures with every transform on the webgpu kernels. */
interface Case {
  name: string;
  op: keyof typeof fft;
  opts: Record<string, unknown>;
  input: Json;
  output?: Json;
  w1?: Json;
  w2?: Json;
  grad?: Json;
}
const fixtures: { forward: Case[]; grad: Case[] } = JSON.parse(
  readFileSync(new URL('../../tensor/test/fixtures/fft.json', import.meta.url), 'utf8'),
);
const onGpu = (x: Json): Tensor => fromTypedArray(Float32Array.from(flat(x)), shapeOf(x), { device: 'webgpu' });

beforeAll(gpu);

describe('fft on webgpu vs numpy.fft (float32, 1e-5)', () => {
  for (const c of fixtures.forward) {
    it(c.name, async () => {
      const x = onGpu(c.input);
      const out = tidy(() => (fft[c.op] as (x: Tensor, o: Record<string, unknown>) => Tensor)(x, c.opts));
      expect(out.device).toBe('webgpu');
      expect(out.shape).toEqual(shapeOf(c.output!));
      expect(maxRelErr(await out.data(), flat(c.output!))).toBeLessThan(1e-5);
      dispose([x, out]);
    });
  }
});

describe('fft gradients on webgpu vs torch.fft autograd (float32)', () => {
  for (const c of fixtures.grad) {
    it(c.name, async () => {
      const f = fft[c.op] as (x: Tensor, o: Record<string, unknown>) => Tensor;
      const [w1, w2, x] = [onGpu(c.w1!), onGpu(c.w2!), onGpu(c.input)];
      const g = tidy(() => {
        const loss = (x: Tensor) => {
          const out = f(x, c.opts);
          return add(sum(mul(w1, out)), mul(sum(mul(w2, mul(out, out))), 0.5));
        };
        return grad(loss)(x) as Tensor;
      });
      expect(g.shape).toEqual(shapeOf(c.grad!));
      expect(maxRelErr(await g.data(), flat(c.grad!))).toBeLessThan(1e-5);
      dispose([w1, w2, x, g]);
    });
  }
});

describe('fft kernels at larger sizes (Stockham and direct DFT paths)', () => {
  for (const n of [97, 256, 1000, 4096]) {
    it(`n=${n}: fft, ifft round trip and rfft/irfft agree with the CPU`, async () => {
      const d = new Float32Array(2 * 3 * n);
      for (let i = 0; i < d.length; i++) d[i] = Math.sin(0.37 * i) + 0.25 * Math.cos(1.9 * i);
      const cpu = fromTypedArray(d, [3, n, 2]);
      const dev = cpu.to('webgpu');
      for (const f of [
        (z: Tensor) => fft.fft(z),
        (z: Tensor) => fft.ifft(fft.fft(z, { norm: 'ortho' }), { norm: 'ortho' }),
        (z: Tensor) => fft.rfft(fft.real(z)),
        (z: Tensor) => fft.irfft(fft.rfft(fft.real(z)), { n }),
      ]) {
        const want = tidy(() => f(cpu).dataSync());
        const out = tidy(() => f(dev));
        expect(maxRelErr(await out.data(), Array.from(want))).toBeLessThan(n > 1000 ? 2e-5 : 1e-5);
        out.dispose();
      }
      dispose([cpu, dev]);
    });
  }
});
