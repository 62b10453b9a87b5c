import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, concat, tensor, type Tensor } from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import {
  autoregressiveKernel,
  fitGP,
  matern52,
  multiFidelityBayesOpt,
  multiFidelityExpectedImprovement,
  rbf,
} from '../src/index.js';

// Forrester et al. (2008) two-fidelity function on [0, 1]; target minimum ≈ −6.02074 at x ≈ 0.75725.
const hi = (x: number) => (6 * x - 2) ** 2 * Math.sin(12 * x - 4);
const lo = (x: number) => 0.5 * hi(x) + 10 * (x - 0.5) - 5;

describe('autoregressive (AR(1)) multi-fidelity kernel', () => {
  const k = autoregressiveKernel({ base: rbf(), delta: rbf({ lengthscale: 0.5 }), fidelityDim: 1, rho: 1.7 });
  const specs = k.hypers(2);
  const h = Object.fromEntries(
    Object.entries(specs).map(([n, s]) => [n, tensor(Array.from(s.value), { dtype: 'float64' })]),
  );
  const A = tensor(
    [
      [0.1, 0],
      [0.4, 1],
      [0.7, 1],
      [0.9, 0],
    ],
    { dtype: 'float64' },
  );

  it('implements Cov(f_l, f_m) = ρ^{l+m} k_0 + [l=m=1] k_δ', () => {
    const K = k.cov(A, A, h).dataSync();
    const k0 = (a: number, b: number) => Math.exp(-0.5 * (a - b) ** 2);
    const kd = (a: number, b: number) => Math.exp(-0.5 * ((a - b) / 0.5) ** 2);
    const pts = [
      [0.1, 0],
      [0.4, 1],
      [0.7, 1],
      [0.9, 0],
    ];
    pts.forEach(([a, l], i) =>
      pts.forEach(([b, m], j) => {
        const ref = 1.7 ** (l! + m!) * k0(a!, b!) + (l === 1 && m === 1 ? kd(a!, b!) : 0);
        expect(K[i * 4 + j]).toBeCloseTo(ref, 12);
      }),
    );
    const dg = k.diag(A, h).dataSync();
    for (let i = 0; i < 4; i++) expect(dg[i]).toBeCloseTo(K[i * 5]!, 12);
    expect(Object.keys(specs).sort()).toEqual([
      'base.lengthscale',
      'base.variance',
      'delta.lengthscale',
      'delta.variance',
      'rho',
    ]);
  });

  it('is differentiable in the design inputs and in ρ', () => {
    const rho = h.rho!;
    gradcheck((a: Tensor, r: Tensor) => k.cov(a, A, { ...h, rho: r }), [A, rho], {
      rtol: 1e-6,
      atol: 1e-9,
      argnums: [1],
    });
    const withLevel = (x: Tensor) => concat([x, tensor([[1]], { dtype: 'float64' })], 1);
    gradcheck((x: Tensor) => k.cov(withLevel(x), A, h), [tensor([[0.3]], { dtype: 'float64' })], {
      rtol: 1e-6,
      atol: 1e-9,
    });
    expect(() => k.cov(tensor([[0.1, 0.5]], { dtype: 'float64' }), A, h)).toThrow(/non-negative integers/);
    expect(() => autoregressiveKernel({ base: rbf(), delta: rbf(), fidelityDim: 3 }).hypers(2)).toThrow(ShapeError);
  });

  it('a GP with it learns ρ ≈ 2 on the Forrester pair and predicts the target from few target points', () => {
    const xl = Array.from({ length: 11 }, (_, i) => i / 10);
    const xh = [0, 0.4, 0.6, 1];
    const X = [...xl.map((x) => [x, 0]), ...xh.map((x) => [x, 1])];
    const y = [...xl.map(lo), ...xh.map(hi)];
    const mk = autoregressiveKernel({
      base: matern52(),
      delta: matern52({ lengthscale: 1 }),
      fidelityDim: 1,
      rho: { value: 1, bounds: [0.01, 10] },
    });
    const gp = fitGP(X, y, { kernel: mk, noise: { value: 1e-4, bounds: [1e-8, 1] }, restarts: 2, standardize: false });
    expect(gp.hyperparameters.rho![0]).toBeGreaterThan(1.6);
    expect(gp.hyperparameters.rho![0]).toBeLessThan(2.4);
    const test = [0.2, 0.75, 0.9];
    const pred = gp.predict(test.map((x) => [x, 1])).mean.dataSync();
    test.forEach((x, i) => expect(Math.abs(pred[i]! - hi(x))).toBeLessThan(1.0));
    const hiOnly = fitGP(
      xh.map((x) => [x]),
      xh.map(hi),
      { kernel: matern52(), restarts: 2, standardize: false },
    );
    const predHi = hiOnly.predict(test.map((x) => [x])).mean.dataSync();
    const errMF = test.reduce((s, x, i) => s + Math.abs(pred[i]! - hi(x)), 0);
    const errHi = test.reduce((s, x, i) => s + Math.abs(predHi[i]! - hi(x)), 0);
    expect(errMF).toBeLessThan(errHi);
    const acq = multiFidelityExpectedImprovement(gp, {
      fidelityDim: 1,
      target: 1,
      level: 0,
      costs: [1, 10],
      best: -Math.min(...xh.map(hi)),
      maximize: false,
    });
    expect(acq(tensor([[0.75]], { dtype: 'float64' })).item()).toBeGreaterThan(0);
    expect(() =>
      multiFidelityExpectedImprovement(gp, { fidelityDim: 1, target: 1, level: 0, costs: [0, 10], best: 0 }),
    ).toThrow(ValueError);
  });
});

describe('multiFidelityBayesOpt', () => {
  it('finds the Forrester minimum, spending part of the budget on the cheap level', async () => {
    const r = await multiFidelityBayesOpt({
      objective: (x, level) => (level === 1 ? hi(x[0]!) : lo(x[0]!)),
      bounds: [[0, 1]],
      costs: [1, 5],
      budget: 70,
      seed: 1,
      fit: { restarts: 0, maxIter: 60 },
      optimizer: { restarts: 3, rawSamples: 64, steps: 30 },
    });
    expect(r.spent).toBeLessThanOrEqual(70);
    expect(r.best.y).toBeLessThan(-5.9);
    expect(Math.abs(r.best.x[0]! - 0.75725)).toBeLessThan(0.02);
    expect(r.history.filter((o) => o.level === 0).length).toBeGreaterThan(4);
    await expect(
      multiFidelityBayesOpt({ objective: () => 0, bounds: [[0, 1]], costs: [1], budget: 5 }),
    ).rejects.toThrow(ValueError);
    await expect(
      multiFidelityBayesOpt({ objective: () => 0, bounds: [[1, 0]], costs: [1, 2], budget: 5 }),
    ).rejects.toThrow(/lower < upper/);
  });
});
