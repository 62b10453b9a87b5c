import { describe, expect, it } from 'vitest';
import { ValueError, tensor, type Tensor } from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import {
  bayesianNeuralNetwork,
  conformalQuantileRegression,
  deepEnsemble,
  expectedImprovement,
  intervalCoverage,
  optimizeAcquisition,
  pinballLoss,
} from '../src/index.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const truth = (x: number) => Math.sin(3 * x) + 0.5 * x;
const u = rng(3);
const X = Array.from({ length: 24 }, (_, i) => [-1 + (2 * i) / 23 + 0.02 * (u() - 0.5)]);
const y = X.map(([x]) => truth(x!) + 0.05 * (u() - 0.5));
const inside = [[-0.55], [0.1], [0.62]];
const outside = [[2.5]];

function rmse(pred: ArrayLike<number>, xs: number[][]) {
  let s = 0;
  xs.forEach(([x], i) => (s += (pred[i]! - truth(x!)) ** 2));
  return Math.sqrt(s / xs.length);
}

describe('deep ensemble surrogate', () => {
  const ens = deepEnsemble(X, y, { members: 4, hidden: [32, 32], steps: 400, seed: 1 });

  it('fits the data and is more uncertain away from it', () => {
    expect(rmse(ens.predict(inside).mean.dataSync(), inside)).toBeLessThan(0.15);
    const vIn = Math.max(...ens.predict(inside).variance.dataSync());
    const vOut = ens.predict(outside).variance.item();
    expect(vOut).toBeGreaterThan(5 * vIn);
    expect(ens.memberMeans(inside).shape).toEqual([4, 3]);
    expect(ens.losses.every(Number.isFinite)).toBe(true);
  });

  it('works with analytic acquisitions (differentiable, optimizable)', () => {
    const acq = expectedImprovement(ens, { best: Math.max(...y) });
    gradcheck((x: Tensor) => acq(x), [tensor([[0.3], [-0.7]], { dtype: 'float64' })], { rtol: 1e-5, atol: 1e-9 });
    const r = optimizeAcquisition(acq, { bounds: [[-1, 3]], restarts: 2, rawSamples: 32, steps: 20 });
    expect(r.x[0]![0]).toBeGreaterThanOrEqual(-1);
    expect(r.value).toBeGreaterThan(0);
  });

  it('heteroscedastic NLL members and bad options', () => {
    const nll = deepEnsemble(X, y, { members: 2, hidden: [16], steps: 300, loss: 'nll', seed: 2 });
    expect(rmse(nll.predict(inside).mean.dataSync(), inside)).toBeLessThan(0.3);
    expect(() => deepEnsemble(X, y, { members: 0 })).toThrow(ValueError);
    expect(() => deepEnsemble([[1]], [1])).toThrow(/at least two/);
    expect(() => deepEnsemble(X, y, { loss: 'l1' as 'mse' })).toThrow(ValueError);
  });
});

describe('Bayesian neural network surrogates', () => {
  it('preconditioned SGLD: posterior mean fits, uncertainty grows off the data', () => {
    const bnn = bayesianNeuralNetwork(X, y, {
      hidden: [24],
      samples: 15,
      burnin: 600,
      thin: 20,
      stepSize: 2e-3,
      seed: 1,
    });
    expect(bnn.size).toBe(15);
    expect(Number.isNaN(bnn.acceptance)).toBe(true);
    expect(rmse(bnn.predict(inside).mean.dataSync(), inside)).toBeLessThan(0.2);
    expect(bnn.predict(outside).variance.item()).toBeGreaterThan(Math.max(...bnn.predict(inside).variance.dataSync()));
    const withNoise = bnn.predict(inside, { includeNoise: true }).variance.dataSync();
    expect(withNoise[0]).toBeGreaterThan(bnn.predict(inside).variance.dataSync()[0]!);
    gradcheck((x: Tensor) => bnn.predict(x).mean, [tensor([[0.2]], { dtype: 'float64' })], { rtol: 1e-5, atol: 1e-9 });
  });

  it('HMC: accepts a reasonable fraction of proposals and fits the data', () => {
    const bnn = bayesianNeuralNetwork(X, y, {
      method: 'hmc',
      hidden: [16],
      samples: 8,
      burnin: 40,
      thin: 3,
      stepSize: 3e-3,
      leapfrogSteps: 15,
      seed: 2,
    });
    expect(bnn.acceptance).toBeGreaterThan(0.3);
    expect(rmse(bnn.predict(inside).mean.dataSync(), inside)).toBeLessThan(0.3);
    expect(bnn.sampleMeans(inside).shape).toEqual([8, 3]);
    expect(() => bayesianNeuralNetwork(X, y, { method: 'vi' as 'hmc' })).toThrow(ValueError);
    expect(() => bayesianNeuralNetwork(X, y, { noise: 0 })).toThrow(ValueError);
  });
});

describe('conformalized quantile regression surrogate', () => {
  it('pinball loss is the quantile check function', () => {
    const v = pinballLoss(tensor([1, 1], { dtype: 'float64' }), tensor([0, 3], { dtype: 'float64' }), 0.9).dataSync();
    expect(v[0]).toBeCloseTo(0.9, 14);
    expect(v[1]).toBeCloseTo(0.2, 14);
  });

  it('conformalized 80% intervals cover held-out heteroscedastic data at about the nominal rate', () => {
    const r = rng(11);
    const gen = (n: number) => {
      const xs = Array.from({ length: n }, () => [2 * r() - 1]);
      const ys = xs.map(([x]) => truth(x!) + (0.1 + 0.4 * Math.abs(x!)) * (2 * r() - 1) * Math.sqrt(3));
      return { xs, ys };
    };
    const train = gen(200);
    const test = gen(400);
    const cqr = conformalQuantileRegression(train.xs, train.ys, {
      hidden: [32],
      steps: 600,
      seed: 3,
      calibrationFraction: 0.4,
    });
    expect(cqr.levels).toEqual([0.1, 0.25, 0.5, 0.75, 0.9]);
    const q = cqr.quantiles(test.xs).dataSync();
    const lo = test.xs.map((_, i) => q[i * 5]!);
    const hi = test.xs.map((_, i) => q[i * 5 + 4]!);
    const cov = intervalCoverage(lo, hi, test.ys);
    expect(cov).toBeGreaterThan(0.74);
    expect(cov).toBeLessThan(0.93);
    expect(cqr.corrections[0]).toBeCloseTo(-cqr.corrections[4]!, 14);
    const s = cqr.sample(test.xs.slice(0, 10), 1);
    expect(s.length).toBe(10);
    const p = cqr.predict(test.xs.slice(0, 3));
    expect(p.variance.dataSync().every((v) => v > 0)).toBe(true);
    expect(() => conformalQuantileRegression(train.xs, train.ys, { levels: [0.1, 0.5, 0.8] })).toThrow(/symmetric/);
  });
});
