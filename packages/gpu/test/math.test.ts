import { beforeAll, describe, expect, it } from 'vitest';
import * as dl from '@difflab/tensor';
import { dispose, fromTypedArray, tidy, type Tensor } from '@difflab/tensor';
import { gpu } from './helpers/setup.js';

beforeAll(gpu);

/**
 * The WGSL math library against the CPU backend, whose float32 results are float64 math rounded
 * once: dense grids over each op's domain (including the far tails where naive formulas overflow
 * or cancel). Bound: |gpu - cpu| <= 4e-6 |cpu| + 1e-30, i.e. a few dozen float32 ULP at most.
 */
const UNARY: [string, (x: Tensor) => Tensor, number, number][] = [
  ['exp', dl.exp, -87, 88],
  ['log', dl.log, 1e-30, 1e30],
  ['log near 1', dl.log, 0.9, 1.1],
  ['log1p', dl.log1p, -0.999, 1e6],
  ['log1p tiny', dl.log1p, -1e-4, 1e-4],
  ['expm1', dl.expm1, -20, 80],
  ['expm1 tiny', dl.expm1, -1e-3, 1e-3],
  ['sqrt', dl.sqrt, 0, 1e6],
  ['rsqrt', dl.rsqrt, 1e-6, 1e6],
  ['sin', dl.sin, -100, 100],
  ['cos', dl.cos, -100, 100],
  ['tan', dl.tan, -1.5, 1.5],
  ['asin', dl.asin, -1, 1],
  ['acos', dl.acos, -1, 1],
  ['atan', dl.atan, -1e4, 1e4],
  ['sinh', dl.sinh, -88, 88],
  ['cosh', dl.cosh, -88, 88],
  ['tanh', dl.tanh, -12, 12],
  ['asinh', dl.asinh, -1e20, 1e20],
  ['acosh', dl.acosh, 1, 1e20],
  ['atanh', dl.atanh, -0.9999, 0.9999],
  ['sigmoid', dl.sigmoid, -80, 80],
  ['softplus', dl.softplus, -80, 80],
  ['erf', dl.erf, -6, 6],
  ['erf small', dl.erf, -0.01, 0.01],
  ['erfinv', dl.erfinv, -0.999999, 0.999999],
  ['erfinv tails', dl.erfinv, 0.99, 0.9999999],
  ['gelu', (x) => dl.gelu(x), -10, 10],
  ['silu', dl.silu, -50, 50],
];

function grid(lo: number, hi: number, n: number): Float32Array {
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = lo + ((hi - lo) * i) / (n - 1);
  return d;
}

async function compare(name: string, f: (x: Tensor) => Tensor, xs: Float32Array, rel = 4e-6): Promise<void> {
  const cpu = tidy(() => f(fromTypedArray(xs, [xs.length])).dataSync());
  const out = tidy(() => f(fromTypedArray(xs, [xs.length], { device: 'webgpu' })));
  const dev = await out.data();
  out.dispose();
  for (let i = 0; i < xs.length; i++) {
    const e = cpu[i]!;
    const a = dev[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e)) {
      expect(a, `${name}(${xs[i]})`).toBe(e);
      continue;
    }
    if (!(Math.abs(a - e) <= rel * Math.abs(e) + 1e-30)) expect.fail(`${name}(${xs[i]}): webgpu ${a}, cpu ${e}`);
  }
}

describe('unary math on webgpu vs the CPU backend', () => {
  for (const [name, f, lo, hi] of UNARY) it(name, () => compare(name, f, grid(lo, hi, 4001)));

  it('special values (NaN, ±inf, ±0, domain edges) match the CPU', async () => {
    const xs = Float32Array.from([NaN, Infinity, -Infinity, 0, -0, 1, -1, 2, -2, 1e-40, 89, -89, 1e38]);
    // Trigonometric arguments beyond 65536 use the device's builtin sin/cos (no Payne-Hanek reduction).
    const huge = xs.filter((v) => !(Math.abs(v) > 65536));
    for (const [name, f] of UNARY) await compare(name, f, ['sin', 'cos', 'tan'].includes(name) ? huge : xs, 1e-5);
    for (const [name, f] of [
      ['sign', dl.sign],
      ['floor', dl.floor],
      ['ceil', dl.ceil],
      ['round', dl.round],
      ['abs', dl.abs],
      ['relu', dl.relu],
      ['reciprocal', dl.reciprocal],
    ] as const)
      await compare(name, f, Float32Array.from([...xs, 0.5, 1.5, 2.5, -0.5, -2.5, 3.7, -3.7]), 0);
  });
});

describe('binary math on webgpu vs the CPU backend', () => {
  const a = grid(-7, 7, 113);
  const b = grid(-3, 3, 97);
  const pairs = (f: (x: Tensor, y: Tensor) => Tensor) => (x: Tensor) =>
    f(x.reshape([-1, 1]), dl.tensor(Array.from(b), { device: x.device }).reshape([1, -1]));
  it('pow, atan2, mod, maximum, minimum over a grid of both signs', async () => {
    await compare('pow', pairs(dl.pow), a, 2e-5);
    await compare('atan2', pairs(dl.atan2), a);
    await compare('mod', pairs(dl.mod), a, 1e-6);
    await compare('maximum', pairs(dl.maximum), a, 0);
    await compare('minimum', pairs(dl.minimum), a, 0);
    await compare('div', pairs(dl.div), a, 1e-6);
  });
  it('pow special cases follow Math.pow', async () => {
    const xs = Float32Array.from([0, -0, 1, -1, 2, -2, 0.5, Infinity, -Infinity, NaN]);
    const ys = [0, -0, 1, -1, 2, 3, -3, 0.5, -0.5, 2.5, Infinity, -Infinity, NaN];
    const f = (x: Tensor) => dl.pow(x.reshape([-1, 1]), dl.tensor(ys, { device: x.device }).reshape([1, -1]));
    await compare('pow', f, xs, 1e-6);
  });
  it('int32 arithmetic: floor-mod, integer pow, truncating casts', async () => {
    const ia = dl.tensor([7, -7, 7, -7, 0, 5, 3, -2, 2147483647], { dtype: 'int32' });
    const ib = dl.tensor([3, 3, -3, -3, 3, 0, 4, 3, 1], { dtype: 'int32' });
    const dev = [ia.to('webgpu'), ib.to('webgpu')];
    const ops = [dl.mod, dl.pow, dl.maximum, dl.minimum, dl.add, dl.sub, dl.mul, dl.equal, dl.less, dl.logicalAnd];
    for (const op of ops) {
      const c = tidy(() => op(ia, ib));
      const g = tidy(() => op(dev[0]!, dev[1]!));
      expect(g.dtype).toBe(c.dtype);
      expect(Array.from(await g.data()), op.name).toEqual(Array.from(c.dataSync()));
      dispose([c, g]);
    }
    const f = dl.tensor([1.7, -1.7, 2.5, -0.5, NaN, 1e10, -1e10, 0]);
    const fg = f.to('webgpu');
    for (const dt of ['int32', 'bool'] as const) {
      const g = fg.astype(dt);
      const c = f.astype(dt);
      // Out-of-range floats saturate on the device (the CPU wraps modulo 2^32); compare the in-range ones.
      const want = Array.from(c.dataSync());
      const got = Array.from(await g.data());
      [0, 1, 2, 3, 4, 7].forEach((i) => expect(got[i], `${dt}[${i}]`).toBe(want[i]));
      if (dt === 'bool') expect(got).toEqual(want);
      dispose([g, c]);
    }
    dispose([ia, ib, dev, f, fg]);
  });
});
