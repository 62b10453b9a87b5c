import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contiguous,
  fromTypedArray,
  grad,
  mul,
  nn,
  registerBackend,
  sum,
  tanh,
  type Storage,
  type Tensor,
  type View,
} from '../src/index.js';
import { CpuBackend } from '../src/backend/cpu/index.js';
import { foldOnHost, unfoldOnHost } from '../src/nn/kernels/host.js';
import type { Im2colGeometry } from '../src/nn/kernels/types.js';
import { gradcheck } from './helpers/gradcheck.js';

let seed = 7;
function rand(shape: number[], lo = -1, hi = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    d[i] = lo + ((hi - lo) * seed) / 2147483648;
  }
  return fromTypedArray(d, shape, { dtype: 'float64' });
}

describe('float64 finite-difference checks of every nn layer', () => {
  it('conv2d: stride, asymmetric padding pair, dilation, groups (x, w, b)', () => {
    const opts = {
      stride: [2, 1] as [number, number],
      padding: [1, 2] as [number, number],
      dilation: [1, 2] as [number, number],
      groups: 2,
    };
    gradcheck((x, w, b) => nn.conv2d(x, w, b, opts), [rand([2, 4, 5, 4]), rand([4, 2, 3, 2]), rand([4])]);
  });

  it("conv2d padding 'same' with an even kernel (asymmetric zero padding)", () => {
    gradcheck((x, w) => nn.conv2d(x, w, null, { padding: 'same' }), [rand([1, 2, 4, 5]), rand([3, 2, 2, 4])]);
  });

  it('conv1d (x, w, b)', () => {
    gradcheck(
      (x, w, b) => nn.conv1d(x, w, b, { stride: 2, padding: 2, dilation: 2 }),
      [rand([2, 2, 9]), rand([3, 2, 3]), rand([3])],
    );
  });

  it('linear on batched input', () => {
    gradcheck((x, w, b) => nn.linear(x, w, b), [rand([2, 3, 4]), rand([5, 4]), rand([5])]);
  });

  it('unfold and fold', () => {
    gradcheck((x) => nn.unfold(x, [2, 3], { stride: [1, 2], padding: 1, dilation: [2, 1] }), [rand([2, 2, 5, 6])]);
    gradcheck((c) => nn.fold(c, [4, 5], [2, 2], { stride: 1, padding: [1, 0] }), [rand([1, 2 * 4, 5 * 4])]);
  });

  it('maxPool2d with padding and ceil mode, avgPool2d excluding padding, adaptiveAvgPool2d', () => {
    gradcheck((x) => nn.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }), [rand([1, 2, 6, 5])]);
    gradcheck(
      (x) => nn.avgPool2d(x, { kernelSize: [2, 3], stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
      [rand([2, 1, 5, 6])],
    );
    gradcheck((x) => nn.adaptiveAvgPool2d(x, [3, 4]), [rand([1, 2, 5, 7])]);
  });

  it('layerNorm, batchNorm (training), groupNorm with affine parameters', () => {
    gradcheck((x, w, b) => nn.layerNorm(x, [3, 4], w, b), [rand([2, 3, 4]), rand([3, 4]), rand([3, 4])]);
    const rm = rand([3]);
    const rv = rand([3], 0.5, 2);
    gradcheck(
      (x, w, b) => nn.batchNorm(x, rm, rv, w, b, { training: true }).out,
      [rand([4, 3, 2]), rand([3]), rand([3])],
    );
    gradcheck((x, w, b) => nn.groupNorm(x, 2, w, b), [rand([2, 4, 3]), rand([4]), rand([4])]);
  });

  it('dropout with a fixed key is a fixed linear map', () => {
    gradcheck((x) => nn.dropout(x, { p: 0.3, key: 11 }), [rand([4, 5])]);
  });

  it('second order: gradient of a conv2d input-gradient norm penalty (x, w, b)', () => {
    const r = rand([1, 2, 4, 3], 0.5, 1.5);
    const penalty = (x: Tensor, w: Tensor, b: Tensor) => {
      const gx = grad((xx: Tensor) => sum(mul(tanh(nn.conv2d(xx, w, b, { padding: 1, stride: [1, 2] })), r)))(
        x,
      ) as Tensor;
      return sum(mul(gx, gx));
    };
    gradcheck(penalty, [rand([1, 2, 4, 5]), rand([2, 2, 3, 3]), rand([2])]);
  });

  it('third order through unfold/fold: d³/dx³ of sum(conv2d(x, w)³) along a direction', () => {
    const w = rand([1, 1, 2, 2]);
    const v = rand([1, 1, 3, 3]);
    const f = (x: Tensor) => {
      const y = nn.conv2d(x, w);
      return sum(mul(mul(y, y), y));
    };
    const dir = (g: (x: Tensor) => Tensor) => (x: Tensor) => sum(mul(grad(g)(x) as Tensor, v));
    const third = grad(dir(dir(f)))(rand([1, 1, 3, 3])) as Tensor;
    // f is a cubic of the linear map y = Ax, so D³f[v, v] = 6 Aᵀ((Av)²) exactly, independent of x.
    const av = nn.conv2d(v, w);
    const expected = grad((x: Tensor) => sum(mul(nn.conv2d(x, w), mul(mul(av, av), 6))))(v) as Tensor;
    const a = third.dataSync();
    const e = expected.dataSync();
    for (let i = 0; i < e.length; i++) expect(a[i]).toBeCloseTo(e[i]!, 12);
  });
});

/** A host-memory device that, like WebGPU, can only be read asynchronously. */
class AsyncBackend extends CpuBackend {
  kernels?: Record<string, (...args: never[]) => unknown>;
  constructor(name: string) {
    super();
    (this as { name: string }).name = name;
    (this as { readSync?: unknown }).readSync = undefined;
  }
  override read(x: View) {
    return Promise.resolve(CpuBackend.prototype.readSync.call(this, x));
  }
}

describe('im2col dispatch', () => {
  it('devices without nn kernels and without synchronous reads use gather/scatterAdd on the device, with the same values and gradients', async () => {
    registerBackend('nn-async', new AsyncBackend('nn-async'));
    const w = rand([4, 2, 2, 3]);
    const b = rand([4]);
    const cases: [string, (x: Tensor, on: (t: Tensor) => Tensor) => Tensor][] = [
      [
        'conv2d',
        (x, on) => nn.conv2d(x, on(w), on(b), { groups: 2, dilation: [2, 1], padding: [1, 2], stride: [1, 2] }),
      ],
      ['conv2d unpadded', (x, on) => nn.conv2d(x, on(w), null, { groups: 2 })],
      ['maxPool2d', (x) => nn.maxPool2d(x, { kernelSize: 2, stride: 2, padding: 1, ceilMode: true })],
      ['avgPool2d', (x) => nn.avgPool2d(x, { kernelSize: 3, stride: 1 })],
    ];
    const x = rand([2, 4, 5, 6]);
    const toDev = (t: Tensor) => t.to('nn-async');
    for (const [name, f] of cases) {
      const yCpu = f(x, (t) => t);
      const gCpu = grad((z: Tensor) => sum(tanh(f(z, (t) => t))))(x) as Tensor;
      const xd = toDev(x);
      const yDev = f(xd, toDev);
      expect(yDev.device).toBe('nn-async');
      const gDev = grad((z: Tensor) => sum(tanh(f(z, toDev))))(xd) as Tensor;
      expect(gDev.device).toBe('nn-async');
      const yc = yCpu.dataSync();
      const yd = await yDev.data();
      expect(yd.length, name).toBe(yc.length);
      yd.forEach((v, i) => expect(v, `${name} out ${i}`).toBeCloseTo(yc[i]!, 12));
      const gc = gCpu.dataSync();
      (await gDev.data()).forEach((v, i) => expect(v, `${name} grad ${i}`).toBeCloseTo(gc[i]!, 12));
    }
  });

  it("a device's own Backend.kernels['nn.unfold'] / ['nn.fold'] are used when registered", () => {
    const calls = { unfold: 0, fold: 0 };
    const dev = new CpuBackend();
    (dev as { name: string }).name = 'nn-kernels';
    (dev as { kernels?: Record<string, unknown> }).kernels = {
      'nn.unfold': (x: View, g: Im2colGeometry): Storage => {
        calls.unfold++;
        return unfoldOnHost(dev, x, g);
      },
      'nn.fold': (c: View, g: Im2colGeometry): Storage => {
        calls.fold++;
        return foldOnHost(dev, c, g);
      },
    };
    registerBackend('nn-kernels', dev);
    seed = 3;
    const x = rand([1, 2, 4, 4]);
    const w = rand([3, 2, 3, 3]);
    const ref = grad((w: Tensor) => sum(tanh(nn.conv2d(x, w, null, { padding: 1 }))))(w) as Tensor;
    const gw = grad((w: Tensor) => sum(tanh(nn.conv2d(x.to('nn-kernels'), w, null, { padding: 1 }))))(
      w.to('nn-kernels'),
    ) as Tensor;
    expect(calls.unfold).toBeGreaterThanOrEqual(1);
    const a = gw.dataSync();
    ref.dataSync().forEach((v, i) => expect(a[i]).toBeCloseTo(v, 12));
    // The input gradient goes through fold.
    grad((x: Tensor) => sum(nn.conv2d(x, w.to('nn-kernels'))))(x.to('nn-kernels'));
    expect(calls.fold).toBeGreaterThanOrEqual(1);
  });
});

describe('strided inputs', () => {
  it('unfold/fold read any view (flipped, transposed, offset) like its contiguous copy', () => {
    const base = rand([2, 3, 6, 5]);
    const views = [base.flip([2, 3]), base.transpose([0, 1, 3, 2]), base.slice(null, '1:3', '::2', '1:')];
    for (const v of views) {
      const a = nn.unfold(v, 2, { padding: 1, stride: [2, 1] }).dataSync();
      const b = nn.unfold(contiguous(v), 2, { padding: 1, stride: [2, 1] }).dataSync();
      expect(Array.from(a)).toEqual(Array.from(b));
    }
    const cols = rand([3 * 4, 2, 30]).transpose([1, 0, 2]);
    const f = nn.fold(cols, [4, 5], 2, { padding: 1 }).dataSync();
    expect(Array.from(f)).toEqual(Array.from(nn.fold(contiguous(cols), [4, 5], 2, { padding: 1 }).dataSync()));
  });
});

describe('unfold and fold are adjoint', () => {
  it('<unfold(x), c> = <x, fold(c)> over random geometries (stride, padding, dilation, odd sizes)', () => {
    const geom = fc
      .record({
        n: fc.integer({ min: 1, max: 2 }),
        c: fc.integer({ min: 1, max: 3 }),
        h: fc.integer({ min: 1, max: 7 }),
        w: fc.integer({ min: 1, max: 7 }),
        kh: fc.integer({ min: 1, max: 3 }),
        kw: fc.integer({ min: 1, max: 3 }),
        sh: fc.integer({ min: 1, max: 3 }),
        sw: fc.integer({ min: 1, max: 3 }),
        ph: fc.integer({ min: 0, max: 2 }),
        pw: fc.integer({ min: 0, max: 2 }),
        dh: fc.integer({ min: 1, max: 2 }),
        dw: fc.integer({ min: 1, max: 2 }),
      })
      .filter((g) => g.dh * (g.kh - 1) < g.h + 2 * g.ph && g.dw * (g.kw - 1) < g.w + 2 * g.pw);
    fc.assert(
      fc.property(geom, (g) => {
        const opts = {
          stride: [g.sh, g.sw] as [number, number],
          padding: [g.ph, g.pw] as [number, number],
          dilation: [g.dh, g.dw] as [number, number],
        };
        const x = rand([g.n, g.c, g.h, g.w]);
        const cols = nn.unfold(x, [g.kh, g.kw], opts);
        const c = rand(cols.shape as number[]);
        const back = nn.fold(c, [g.h, g.w], [g.kh, g.kw], opts);
        expect(back.shape).toEqual(x.shape);
        expect(sum(mul(cols, c)).item()).toBeCloseTo(sum(mul(x, back)).item(), 10);
      }),
      { numRuns: 60, seed: 1234 },
    );
  });
});
