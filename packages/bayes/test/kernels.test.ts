import { describe, expect, it } from 'vitest';
import {
  DifflabError,
  LinAlgError,
  ShapeError,
  ValueError,
  add,
  eye,
  fromTypedArray,
  grad,
  hessian,
  linalg,
  log,
  mul,
  sum,
  tensor,
  type Tensor,
} from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import {
  gaussLogLik,
  gammaPrior,
  halfCauchyPrior,
  kernelProduct,
  kernelSum,
  linear,
  logNormalPrior,
  matern12,
  matern32,
  matern52,
  normalPrior,
  periodic,
  polynomial,
  rationalQuadratic,
  rbf,
  sqdist,
  type HyperTensors,
  type Kernel,
} from '../src/index.js';

const f64 = (data: number[], shape: number[]) => fromTypedArray(Float64Array.from(data), shape, { dtype: 'float64' });
function rand(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

const A = f64(rand(12, 1), [4, 3]);
const B = f64(rand(15, 2), [5, 3]);

function hyperTensors(k: Kernel, d: number, seed: number): { names: string[]; values: Tensor[] } {
  const specs = k.hypers(d);
  const names = Object.keys(specs).sort();
  const r = rand(64, seed);
  let i = 0;
  return {
    names,
    values: names.map((n) =>
      f64(
        Array.from(specs[n]!.value, (v) => v * (0.7 + 0.5 * Math.abs(r[i++]!))),
        [specs[n]!.value.length],
      ),
    ),
  };
}

const KERNELS: [string, Kernel][] = [
  ['rbf (ARD)', rbf({ ard: true })],
  ['matern12', matern12({ lengthscale: 0.8 })],
  ['matern32 (ARD)', matern32({ ard: true })],
  ['matern52 (ARD)', matern52({ ard: true, lengthscale: [0.5, 1, 2] })],
  ['rationalQuadratic', rationalQuadratic({ alpha: 0.5 })],
  ['periodic (ARD)', periodic({ ard: true, period: [1, 2, 3] })],
  ['linear + offset', linear({ offset: 0.3 })],
  ['polynomial (p=3)', polynomial({ power: 3 })],
  ['sum', kernelSum(rbf({ dims: [0, 1] }), matern32({ dims: [2] }))],
  ['product', kernelProduct(rbf({ ard: true }), periodic({ variance: { value: 1, fixed: true } }))],
  [
    'plus/times',
    rbf()
      .plus(linear())
      .times(matern52({ dims: [1] })),
  ],
];

describe('kernels', () => {
  for (const [name, k] of KERNELS) {
    it(`${name}: symmetric PSD Gram matrix whose diagonal equals diag()`, () => {
      const { names, values } = hyperTensors(k, 3, 5);
      const h: HyperTensors = Object.fromEntries(names.map((n, i) => [n, values[i]!]));
      const K = k.cov(B, B, h);
      const Kd = K.dataSync();
      const dg = k.diag(B, h).dataSync();
      for (let i = 0; i < 5; i++) {
        expect(Math.abs(Kd[i * 5 + i]! - dg[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(dg[i]!)));
        for (let j = 0; j < 5; j++) expect(Math.abs(Kd[i * 5 + j]! - Kd[j * 5 + i]!)).toBeLessThan(1e-12);
      }
      const { eigenvalues: ev } = linalg.eigh(K);
      expect(Math.min(...ev.dataSync())).toBeGreaterThan(-1e-9 * Math.max(...ev.dataSync()));
      // Batched inputs give the same blocks.
      const Kb = k.cov(B.reshape([1, 5, 3]), A, h).dataSync();
      const K2 = k.cov(B, A, h).dataSync();
      for (let i = 0; i < K2.length; i++) expect(Kb[i]).toBe(K2[i]);
    });

    it(`${name}: gradients w.r.t. inputs and hyperparameters match finite differences`, () => {
      const { names, values } = hyperTensors(k, 3, 9);
      const f = (a: Tensor, b: Tensor, ...hs: Tensor[]) =>
        k.cov(a, b, Object.fromEntries(names.map((n, i) => [n, hs[i]!])));
      gradcheck(f, [A, B, ...values], { rtol: 1e-6, atol: 1e-8 });
      const fd = (a: Tensor, ...hs: Tensor[]) => k.diag(a, Object.fromEntries(names.map((n, i) => [n, hs[i]!])));
      gradcheck(fd, [A, ...values], { rtol: 1e-6, atol: 1e-8 });
    });
  }

  it('Matérn kernels are exactly σ² at coincident points and have finite gradients there', () => {
    for (const k of [matern12(), matern32(), matern52()]) {
      const h = { lengthscale: f64([0.7], [1]), variance: f64([1.3], [1]) };
      const K = k.cov(A, A, h).dataSync();
      for (let i = 0; i < 4; i++) expect(K[i * 4 + i]).toBe(1.3);
      const g = grad((a: Tensor) => sum(k.cov(a, A, h)))(A) as Tensor;
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    }
  });

  it('hyperparameter options: ARD sizes, bounds and validation errors', () => {
    expect(rbf({ ard: true }).hypers(4).lengthscale!.value.length).toBe(4);
    expect(rbf().hypers(4).lengthscale!.value.length).toBe(1);
    expect(matern52({ lengthscale: [1, 2] }).hypers(2).lengthscale!.value.length).toBe(2);
    expect(rbf({ dims: [1, 3], ard: true }).hypers(5).lengthscale!.value.length).toBe(2);
    expect(() => rbf({ lengthscale: [1, 2, 3] }).hypers(2)).toThrow(ValueError);
    expect(() => rbf({ lengthscale: -1 }).hypers(2)).toThrow(/lengthscale must be positive/);
    expect(() => rbf({ lengthscale: { value: 10, bounds: [0.1, 1] } }).hypers(2)).toThrow(/outside its bounds/);
    expect(() => rbf({ variance: { bounds: [2, 1] } }).hypers(2)).toThrow(/bounds/);
    expect(() => rbf({ dims: [0, 4] }).hypers(3)).toThrow(ShapeError);
    expect(() => polynomial({ power: 1.5 })).toThrow(ValueError);
    const h = { lengthscale: f64([1], [1]), variance: f64([1], [1]) };
    expect(() => rbf().cov(A, f64([1, 2], [1, 2]), h)).toThrow(/different numbers of columns/);
    expect(() => rbf().cov(f64([1, 2, 3], [3]), A, h)).toThrow(ShapeError);
    expect(() => kernelSum()).toThrow(DifflabError);
  });

  it('sqdist is exact (0 for identical rows) and differentiable to second order', () => {
    const D = sqdist(A, A).dataSync();
    for (let i = 0; i < 4; i++) expect(D[i * 4 + i]).toBe(0);
    gradcheck((a: Tensor, b: Tensor) => sqdist(a, b), [A, B]);
    gradcheck((a: Tensor, b: Tensor) => sqdist(a, b), [A.reshape([2, 2, 3]), B.slice('0:4').reshape([2, 2, 3])]);
    const H = hessian((a: Tensor) => sum(mul(sqdist(a, B), 0.5)))(A.reshape([4, 3])) as Tensor;
    // ∂²/∂a_ik∂a_jl of ½ Σ ‖a_i − b_m‖² = m·δ_ij δ_kl
    const Hd = H.dataSync();
    expect(Hd[0]).toBeCloseTo(5, 12);
    expect(Hd[1]).toBeCloseTo(0, 12);
    expect(() => sqdist(A, f64([1, 2], [1, 2]))).toThrow(ShapeError);
  });
});

describe('gaussLogLik (closed-form adjoint through a host Cholesky)', () => {
  const X = f64(rand(16, 3), [8, 2]);
  const y = f64(rand(8, 4), [8]);
  const K = (th: Tensor) =>
    add(
      rbf({ ard: true }).cov(X, X, { lengthscale: th.slice('0:2'), variance: th.slice('2:3') }),
      mul(eye(8, 8, { dtype: 'float64' }), 0.05),
    );
  const viaCholesky = (Km: Tensor, yv: Tensor) => {
    const L = linalg.cholesky(Km);
    const a = linalg.triangularSolve(L, yv);
    return add(add(mul(sum(mul(a, a)), -0.5), mul(sum(log(linalg.diagonal(L))), -1)), -4 * Math.log(2 * Math.PI));
  };
  const th = f64([0.6, 1.3, 0.9], [3]);

  it('value, gradient and Hessian equal autodiff through linalg.cholesky', () => {
    const f1 = (t: Tensor) => gaussLogLik(K(t), y);
    const f2 = (t: Tensor) => viaCholesky(K(t), y);
    expect(Math.abs(f1(th).item() - f2(th).item())).toBeLessThan(1e-12);
    const g1 = (grad(f1)(th) as Tensor).dataSync();
    const g2 = (grad(f2)(th) as Tensor).dataSync();
    g1.forEach((v, i) => expect(Math.abs(v - g2[i]!)).toBeLessThan(1e-10));
    const h1 = (hessian(f1)(th) as Tensor).dataSync();
    const h2 = (hessian(f2)(th) as Tensor).dataSync();
    h1.forEach((v, i) => expect(Math.abs(v - h2[i]!)).toBeLessThan(1e-8 * Math.max(1, Math.abs(h2[i]!))));
  });

  it('gradients w.r.t. K and y match finite differences (K parametrized symmetrically, as only its lower triangle is read)', () => {
    const M = f64(rand(64, 8), [8, 8]);
    const spd = (m: Tensor) => add(m.matmul(m.T), mul(eye(8, 8, { dtype: 'float64' }), 2));
    gradcheck((m: Tensor, yv: Tensor) => gaussLogLik(spd(m), yv), [M, y], { rtol: 1e-6, atol: 1e-8 });
  });

  it('escalates jitter for a singular K (duplicate inputs, no noise) and reports it', () => {
    const Xd = f64([0, 0, 0, 0, 1, 1], [3, 2]);
    const Ks = rbf().cov(Xd, Xd, { lengthscale: f64([1], [1]), variance: f64([1], [1]) });
    const info = { jitter: 0 };
    const v = gaussLogLik(Ks, f64([1, 1, 0], [3]), info);
    expect(Number.isFinite(v.item())).toBe(true);
    expect(info.jitter).toBeGreaterThan(0);
    expect(() => gaussLogLik(f64([1, 2, 2, 1], [2, 2]).mul(-1), f64([1, 1], [2]))).toThrow(LinAlgError);
    expect(() => gaussLogLik(Ks, f64([1, 1], [2]))).toThrow(ShapeError);
  });
});

describe('priors', () => {
  it('log densities match closed forms and are differentiable', () => {
    const v = tensor([0.5, 2], { dtype: 'float64' });
    const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));
    const gammaRef = [0.5, 2].reduce((s, x) => s + (3 * Math.log(6) - Math.log(2) + 2 * Math.log(x) - 6 * x), 0);
    expect(gammaPrior(3, 6).logProb(v).item()).toBeCloseTo(gammaRef, 12);
    const lnRef = [0.5, 2].reduce(
      (s, x) => s - Math.log(x) - Math.log(0.5) - LOG_SQRT_2PI - (Math.log(x) - 0.1) ** 2 / (2 * 0.25),
      0,
    );
    expect(logNormalPrior(0.1, 0.5).logProb(v).item()).toBeCloseTo(lnRef, 12);
    const nRef = [0.5, 2].reduce((s, x) => s - Math.log(2) - LOG_SQRT_2PI - (x - 1) ** 2 / 8, 0);
    expect(normalPrior(1, 2).logProb(v).item()).toBeCloseTo(nRef, 12);
    const hcRef = [0.5, 2].reduce((s, x) => s + Math.log(2 / (Math.PI * 1.5)) - Math.log(1 + (x / 1.5) ** 2), 0);
    expect(halfCauchyPrior(1.5).logProb(v).item()).toBeCloseTo(hcRef, 12);
    for (const p of [gammaPrior(3, 6), logNormalPrior(0.1, 0.5), normalPrior(1, 2), halfCauchyPrior(1.5)])
      gradcheck((x: Tensor) => p.logProb(x), [v]);
    expect(() => gammaPrior(0, 1)).toThrow(ValueError);
  });
});
