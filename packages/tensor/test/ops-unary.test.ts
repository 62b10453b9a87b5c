import { describe, expect, it } from 'vitest';
import * as dl from '../src/index.js';
import { contiguous, flip, fromTypedArray, grad, sum, tensor, type Tensor } from '../src/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { fixtureSuite } from './helpers/ops-suite.js';

fixtureSuite('unary');

/** Smooth unary ops and an input range inside their domain. */
const SMOOTH: [string, (x: Tensor) => Tensor, number, number][] = [
  ['exp', dl.exp, -2, 2],
  ['log', dl.log, 0.3, 3],
  ['log1p', dl.log1p, -0.5, 2],
  ['expm1', dl.expm1, -2, 2],
  ['sqrt', dl.sqrt, 0.3, 3],
  ['rsqrt', dl.rsqrt, 0.3, 3],
  ['square', dl.square, -2, 2],
  ['reciprocal', dl.reciprocal, 0.3, 3],
  ['sin', dl.sin, -3, 3],
  ['cos', dl.cos, -3, 3],
  ['tan', dl.tan, -1.2, 1.2],
  ['asin', dl.asin, -0.9, 0.9],
  ['acos', dl.acos, -0.9, 0.9],
  ['atan', dl.atan, -2, 2],
  ['sinh', dl.sinh, -2, 2],
  ['cosh', dl.cosh, -2, 2],
  ['tanh', dl.tanh, -2, 2],
  ['asinh', dl.asinh, -2, 2],
  ['acosh', dl.acosh, 1.2, 3],
  ['atanh', dl.atanh, -0.9, 0.9],
  ['sigmoid', dl.sigmoid, -3, 3],
  ['softplus', dl.softplus, -3, 3],
  ['erf', dl.erf, -2, 2],
  ['erfinv', dl.erfinv, -0.9, 0.9],
  ['gelu', (x) => dl.gelu(x), -2, 2],
  ['gelu tanh', (x) => dl.gelu(x, { approximate: 'tanh' }), -2, 2],
  ['silu', dl.silu, -2, 2],
  ['elu (x < 0 branch)', (x) => dl.elu(x, 0.7), -2, -0.1],
];

function grid(lo: number, hi: number, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = lo + ((hi - lo) * (i + 0.5)) / n;
  return fromTypedArray(d, shape, { dtype: 'float64' });
}

describe('unary ops on strided views', () => {
  for (const [name, f, lo, hi] of SMOOTH) {
    it(`${name}: transposed, flipped and broadcast inputs give the contiguous result`, () => {
      const x = grid(lo, hi, [3, 4]);
      const ref = f(x).toArray();
      // Same values, non-contiguous layouts: a transposed view and a negative-stride view.
      const tview = contiguous(x.T).T;
      const fview = flip(contiguous(flip(x, 1)), 1);
      expect(tview.strides).toEqual([1, 3]);
      expect(fview.strides[1]).toBe(-1);
      expect(f(tview).toArray()).toEqual(ref);
      expect(f(fview).toArray()).toEqual(ref);
      const row = x.slice(1);
      expect(f(row.broadcastTo([2, 4])).toArray()).toEqual([f(row).toArray(), f(row).toArray()]);
    });
  }
});

describe('gradient rules are differentiable (second derivatives, float64 finite differences)', () => {
  for (const [name, f, lo, hi] of SMOOTH) {
    it(name, () => {
      const x = grid(lo, hi, [5]);
      gradcheck((y) => grad((z: Tensor) => sum(f(z)))(y) as Tensor, [x], { rtol: 1e-5, atol: 1e-6 });
    });
  }
  it('analytic second derivatives at a point', () => {
    const x = tensor([0.7], { dtype: 'float64' });
    const d2 = (f: (t: Tensor) => Tensor) =>
      (grad((y: Tensor) => sum(grad((z: Tensor) => sum(f(z)))(y) as Tensor))(x) as Tensor).item();
    const s = 1 / (1 + Math.exp(-0.7));
    expect(d2(dl.sin)).toBeCloseTo(-Math.sin(0.7), 13);
    expect(d2(dl.log)).toBeCloseTo(-1 / 0.49, 12);
    expect(d2(dl.sqrt)).toBeCloseTo(-0.25 * Math.pow(0.7, -1.5), 12);
    expect(d2(dl.sigmoid)).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 13);
    expect(d2(dl.erf)).toBeCloseTo((-2 * 0.7 * 2 * Math.exp(-0.49)) / Math.sqrt(Math.PI), 12);
    expect(d2(dl.atan)).toBeCloseTo((-2 * 0.7) / Math.pow(1 + 0.49, 2), 13);
  });
});

describe('unary special values and dtypes', () => {
  it('handles infinities, NaN and domain edges like NumPy', () => {
    const f = (op: (x: Tensor) => Tensor, xs: number[]) => Array.from(op(tensor(xs, { dtype: 'float64' })).dataSync());
    expect(f(dl.exp, [-Infinity, Infinity])).toEqual([0, Infinity]);
    expect(f(dl.log, [0, -1])).toEqual([-Infinity, NaN]);
    expect(f(dl.sqrt, [-1])).toEqual([NaN]);
    expect(f(dl.erfinv, [1, -1, 1.5])).toEqual([Infinity, -Infinity, NaN]);
    expect(f(dl.erf, [Infinity, -Infinity, 0])).toEqual([1, -1, 0]);
    expect(f(dl.sign, [NaN, -0, 3, -2])).toEqual([NaN, 0, 1, -1]);
    expect(f(dl.sigmoid, [-800, 800])).toEqual([0, 1]);
    expect(f(dl.softplus, [-800, 800])).toEqual([0, 800]);
    expect(f(dl.round, [-0.5, 0.5, 1.5, 2.5, -2.5])).toEqual([-0, 0, 2, 2, -2]);
  });

  it('keeps integer dtypes where NumPy does and computes transcendental ops in float', () => {
    const i = tensor([-2, 0, 3], { dtype: 'int32' });
    for (const op of [dl.neg, dl.abs, dl.sign, dl.square, dl.relu, dl.floor]) expect(op(i).dtype).toBe('int32');
    expect(dl.neg(i).toArray()).toEqual([2, 0, -3]);
    expect(dl.square(i).toArray()).toEqual([4, 0, 9]);
    expect(dl.exp(i).dtype).toBe('float32');
    expect(dl.sqrt(tensor([4, 9], { dtype: 'int32' })).toArray()).toEqual([2, 3]);
    expect(dl.abs(tensor([true, false])).dtype).toBe('int32');
    expect(dl.exp(tensor([1], { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('isnan, isfinite and logicalNot give bool tensors', () => {
    const x = tensor([NaN, Infinity, 1]);
    expect(dl.isnan(x).toArray()).toEqual([true, false, false]);
    expect(dl.isfinite(x).toArray()).toEqual([false, false, true]);
    expect(dl.logicalNot(tensor([true, false])).toArray()).toEqual([false, true]);
  });

  it('gelu defaults to the exact erf form', () => {
    const x = tensor([-1.3, 0.2, 2.1], { dtype: 'float64' });
    expect(dl.gelu(x).toArray()).toEqual(dl.gelu(x, { approximate: 'none' }).toArray());
    const t = dl.gelu(x, { approximate: 'tanh' }).dataSync();
    const e = dl.gelu(x).dataSync();
    for (let k = 0; k < 3; k++) expect(Math.abs(t[k]! - e[k]!)).toBeLessThan(1e-3);
  });

  it('non-smooth points take the PyTorch subgradient', () => {
    const at0 = (f: (x: Tensor) => Tensor) =>
      (grad((x: Tensor) => sum(f(x)))(tensor([0], { dtype: 'float64' })) as Tensor).item();
    expect(at0(dl.relu)).toBe(0);
    expect(at0(dl.abs)).toBe(0);
    expect(at0((x) => dl.leakyRelu(x, 0.1))).toBeCloseTo(0.1, 15);
    expect(at0((x) => dl.elu(x, 0.5))).toBeCloseTo(0.5, 15);
    expect(at0(dl.floor)).toBe(0);
    expect(at0(dl.sign)).toBe(0);
  });
});
