import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AxisError,
  DTypeError,
  DifflabError,
  ShapeError,
  Tensor,
  ValueError,
  fft,
  fromTypedArray,
  tensor,
  zerosLike,
  type DType,
} from '../src/index.js';
import { flat, maxRelErr, shapeOf, type Json } from './helpers/nested-json.js';

interface ForwardCase {
  name: string;
  op: keyof typeof fft;
  opts: Record<string, unknown>;
  input: Json;
  output: Json;
}
const fixtures: { forward: ForwardCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/fft.json', import.meta.url), 'utf8'),
);

const fromJson = (x: Json, dtype: DType = 'float64'): Tensor =>
  fromTypedArray(Float64Array.from(flat(x)), shapeOf(x), { dtype });

function maxErr(actual: Tensor, expected: Json | Tensor): number {
  return maxRelErr(actual.dataSync(), expected instanceof Tensor ? expected.dataSync() : flat(expected));
}

function run(c: ForwardCase, dtype: DType): Tensor {
  const f = fft[c.op] as (x: Tensor, o: Record<string, unknown>) => Tensor;
  return f(fromJson(c.input, dtype), c.opts);
}

describe('fft forward vs numpy.fft', () => {
  for (const c of fixtures.forward) {
    it(`${c.name} (float64, 1e-10)`, () => {
      const out = run(c, 'float64');
      expect(out.dtype).toBe('float64');
      expect(out.shape).toEqual(shapeOf(c.output));
      expect(maxErr(out, c.output)).toBeLessThan(1e-10);
    });
    it(`${c.name} (float32, 1e-5)`, () => {
      const out = run(c, 'float32');
      expect(out.dtype).toBe('float32');
      expect(out.shape).toEqual(shapeOf(c.output));
      expect(maxErr(out, c.output)).toBeLessThan(1e-5);
    });
  }
  it('covers every transform and the required lengths', () => {
    const ops = new Set(fixtures.forward.map((c) => c.op));
    for (const op of [
      'fft',
      'ifft',
      'rfft',
      'irfft',
      'fft2',
      'ifft2',
      'rfft2',
      'irfft2',
      'fftn',
      'ifftn',
      'rfftn',
      'irfftn',
    ])
      expect(ops).toContain(op);
    for (const n of [1, 2, 5, 8, 12, 17, 64]) expect(fixtures.forward.some((c) => c.name === `fft n=${n}`)).toBe(true);
  });
});

/** Deterministic data in [-1, 1). */
function data(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** O(n^2) DFT in float64 with the angle reduced exactly, as an independent reference. */
function naiveDft(z: Float64Array, n: number, sign: number): Float64Array {
  const out = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < n; j++) {
      const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(a);
      const s = Math.sin(a);
      re += z[2 * j]! * c - z[2 * j + 1]! * s;
      im += z[2 * j]! * s + z[2 * j + 1]! * c;
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

describe('fft kernels at larger sizes vs an O(n^2) DFT', () => {
  for (const n of [97, 243, 256, 500, 1009]) {
    it(`n=${n} forward and inverse`, () => {
      const z = data(2 * n, n);
      const zt = fromTypedArray(z, [n, 2], { dtype: 'float64' });
      const ref = naiveDft(z, n, -1);
      expect(maxErr(fft.fft(zt), fromTypedArray(ref, [n, 2], { dtype: 'float64' }))).toBeLessThan(1e-12);
      const inv = naiveDft(z, n, 1).map((v) => v / n);
      expect(maxErr(fft.ifft(zt), fromTypedArray(inv, [n, 2], { dtype: 'float64' }))).toBeLessThan(1e-12);
    });
  }
});

describe('round trips', () => {
  it('irfft(rfft(x), n) = x for even and odd n, batched, both dtypes', () => {
    for (const n of [1, 2, 3, 7, 8, 12, 17, 64, 100]) {
      for (const dtype of ['float64', 'float32'] as const) {
        const x = fromTypedArray(data(3 * n, n), [3, n], { dtype });
        const back = fft.irfft(fft.rfft(x), { n });
        expect(back.dtype).toBe(dtype);
        expect(maxErr(back, x)).toBeLessThan(dtype === 'float64' ? 1e-13 : 2e-6);
      }
    }
  });
  it('ifft(fft(z)) = z for every norm, along a middle axis', () => {
    const z = fromTypedArray(data(4 * 9 * 3 * 2, 5), [4, 9, 3, 2], { dtype: 'float64' });
    for (const norm of ['backward', 'ortho', 'forward'] as const)
      expect(maxErr(fft.ifft(fft.fft(z, { axis: 1, norm }), { axis: 1, norm }), z)).toBeLessThan(1e-13);
  });
  it('irfft2(rfft2(x), s) = x (odd and even widths) and ifft2(fft2(z)) = z', () => {
    for (const [h, w] of [
      [6, 8],
      [5, 7],
      [1, 3],
    ] as const) {
      const x = fromTypedArray(data(2 * h * w, h + w), [2, h, w], { dtype: 'float64' });
      expect(maxErr(fft.irfft2(fft.rfft2(x), { s: [h, w] }), x)).toBeLessThan(1e-13);
    }
    const z = fromTypedArray(data(5 * 6 * 2, 11), [5, 6, 2], { dtype: 'float64' });
    expect(maxErr(fft.ifft2(fft.fft2(z, { norm: 'ortho' }), { norm: 'ortho' }), z)).toBeLessThan(1e-13);
  });
  it("rfft agrees with fft of the real signal; Parseval holds with norm 'ortho'", () => {
    const n = 12;
    const x = fromTypedArray(data(n, 3), [n], { dtype: 'float64' });
    const full = fft.fft(fft.complex(x, zerosLike(x)));
    expect(maxErr(fft.rfft(x), full.slice({ stop: n / 2 + 1 }))).toBeLessThan(1e-14);
    const X = fft.fft(fft.complex(x, x), { norm: 'ortho' });
    expect(fft.abs2(X).sum().item()).toBeCloseTo(2 * x.mul(x).sum().item(), 12);
  });
});

describe('complex helpers', () => {
  const a = tensor(
    [
      [1, 2],
      [3, -1],
    ],
    { dtype: 'float64' },
  );
  const b = tensor(
    [
      [0.5, -2],
      [4, 0.25],
    ],
    { dtype: 'float64' },
  );
  it('complex / real / imag / conj / abs2 / complexMul', () => {
    const z = fft.complex(tensor([1, 2], { dtype: 'float64' }), tensor([3], { dtype: 'float64' }));
    expect(z.toArray()).toEqual([
      [1, 3],
      [2, 3],
    ]);
    expect(fft.real(a).toArray()).toEqual([1, 3]);
    expect(fft.imag(a).toArray()).toEqual([2, -1]);
    expect(fft.conj(a).toArray()).toEqual([
      [1, -2],
      [3, 1],
    ]);
    expect(fft.abs2(a).toArray()).toEqual([5, 10]);
    // (1+2i)(0.5-2i) = 4.5 - 1i ; (3-i)(4+0.25i) = 12.25 - 3.25i
    expect(fft.complexMul(a, b).toArray()).toEqual([
      [4.5, -1],
      [12.25, -3.25],
    ]);
    // Broadcasting a complex scalar over a vector.
    expect(fft.complexMul(a, tensor([0, 1], { dtype: 'float64' })).toArray()).toEqual([
      [-2, 1],
      [1, 3],
    ]);
  });
  it('complexEinsum matches a complex matrix product', () => {
    // [[1+2i, 3-i]] @ [[0.5-2i], [4+0.25i]] = 4.5 - 1i + 12.25 - 3.25i
    const out = fft.complexEinsum('ij,jk->ik', a.reshape([1, 2, 2]), b.reshape([2, 1, 2]));
    expect(out.shape).toEqual([1, 1, 2]);
    expect(out.toArray()).toEqual([[[16.75, -4.25]]]);
  });
  it('fftfreq and rfftfreq follow numpy', () => {
    expect(fft.fftfreq(5, 0.5, { dtype: 'float64' }).toArray()).toEqual([0, 0.4, 0.8, -0.8, -0.4]);
    expect(fft.fftfreq(4).toArray()).toEqual([0, 0.25, -0.5, -0.25]);
    expect(fft.rfftfreq(5, 1, { dtype: 'float64' }).toArray()).toEqual([0, 0.2, 0.4]);
  });
});

describe('fft bad input', () => {
  const z = tensor([
    [1, 0],
    [2, 0],
    [3, 0],
  ]);
  const expectErr = (f: () => unknown, cls: typeof DifflabError, re: RegExp) => {
    expect(f).toThrow(cls);
    expect(f).toThrow(re);
  };
  it('rejects non-complex, non-float and non-tensor inputs', () => {
    expectErr(() => fft.fft(tensor([1, 2, 3])), ShapeError, /fft: .*trailing dimension of size 2.*\[3\]/);
    expectErr(() => fft.irfft(tensor([[1, 2, 3]])), ShapeError, /irfft: .*\[1, 3\]/);
    expectErr(() => fft.fft(tensor([1, 0])), ShapeError, /fft: a complex scalar/);
    expectErr(() => fft.rfft(tensor([1, 2], { dtype: 'int32' })), DTypeError, /rfft: .*int32.*\[2\]/);
    expectErr(() => fft.rfft(tensor(3)), ValueError, /rfft: .*scalar/);
    expectErr(() => fft.fft([1, 2] as unknown as Tensor), ValueError, /fft: input must be a Tensor/);
    expectErr(() => fft.complexMul(z, tensor([1, 2, 3])), ShapeError, /complexMul: b must be complex.*\[3\]/);
    expectErr(
      () =>
        fft.complexMul(
          z,
          tensor([
            [1, 0],
            [1, 1],
          ]),
        ),
      ShapeError,
      /complexMul.*\[3, 2\].*\[2, 2\]/,
    );
    expectErr(
      () => fft.complex(tensor([1]), tensor([1], { dtype: 'float64' })),
      ShapeError,
      /complex: re and im must share a dtype/,
    );
  });
  it('rejects bad n, axis, norm, s and axes', () => {
    expectErr(() => fft.fft(z, { n: 0 }), ValueError, /fft: invalid number of data points n=0/);
    expectErr(() => fft.rfft(tensor([1, 2]), { n: 2.5 }), ValueError, /rfft: invalid number of data points/);
    expectErr(() => fft.irfft(tensor([[1, 0]])), ValueError, /irfft: invalid number of data points n=0/);
    expectErr(() => fft.fft(z, { axis: 1 }), AxisError, /fft: axis 1 is out of range/);
    expectErr(() => fft.fft(z, { norm: 'unitary' as never }), ValueError, /fft: norm must be/);
    expectErr(() => fft.rfft2(tensor([1, 2, 3])), AxisError, /axis -2 is out of range/);
    expectErr(() => fft.fft2(tensor([[[1, 0]]]), { axes: [0, 0] }), AxisError, /fft2: repeated axis/);
    expectErr(
      () => fft.fftn(tensor([[[1, 0]]]), { s: [1, 1], axes: [0] }),
      ValueError,
      /fftn: s has 2 entries but 1 axes/,
    );
    expectErr(() => fft.fftfreq(0), ValueError, /fftfreq: n must be a positive integer/);
  });
});
