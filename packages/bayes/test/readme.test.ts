import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { random } from '@difflab/tensor';
import { createRng } from '@difflab/optim';
import {
  BayesOptimizer,
  bayesOpt,
  branin,
  fitGP,
  gammaPrior,
  logExpectedImprovement,
  matern52,
  optimizeAcquisition,
  periodic,
} from '../src/index.js';

const fast = { fit: { restarts: 0, maxIter: 40 }, optimizer: { restarts: 3, rawSamples: 64, steps: 25 } };

describe('README examples', () => {
  it('Gaussian processes', () => {
    const X = [[0.1], [0.4], [0.5], [0.9]];
    const y = [0.3, -0.2, -0.4, 0.8];
    const gp = fitGP(X, y, {
      kernel: matern52({ ard: true, lengthscale: { value: 0.3, prior: gammaPrior(3, 6) } }).plus(periodic()),
      noise: { value: 1e-2, bounds: [1e-6, 1] },
      restarts: 4,
      seed: 0,
    });
    expect(Object.keys(gp.hyperparameters).sort()).toEqual([
      '0.lengthscale',
      '0.variance',
      '1.lengthscale',
      '1.period',
      '1.variance',
      'noise',
    ]);
    expect(Number.isFinite(gp.logMarginalLikelihood())).toBe(true);
    expect(gp.predict([[0.7]]).mean.shape).toEqual([1]);
    expect(gp.covariance([[0.2], [0.3]]).shape).toEqual([2, 2]);
    expect(gp.sample([[0.2], [0.3]], 100, random.key(1)).shape).toEqual([100, 2]);
    expect(gp.condition([[0.7]], [0.1]).n).toBe(5);
  });

  it('custom loops: ask/tell with resumable JSON state, and the building blocks', async () => {
    const runExperiment = async (x: number[]) => (x[0]! - 0.3) ** 2 + (x[1]! - 0.6) ** 2;
    const saved: string[] = [];
    const bo = new BayesOptimizer({
      bounds: [
        [0, 1],
        [0, 1],
      ],
      acquisition: 'qNei',
      acquisitionSettings: { samples: 32 },
      seed: 1,
      ...fast,
    });
    for (let round = 0; round < 3; round++) {
      const xs = bo.ask(4);
      const ys = await Promise.all(xs.map((x) => runExperiment(x)));
      bo.tell(xs, ys);
      saved.push(JSON.stringify(bo.toJSON()));
    }
    expect(bo.history.length).toBe(12);
    const resumed = new BayesOptimizer({
      bounds: [
        [0, 1],
        [0, 1],
      ],
      state: JSON.parse(saved[2]!),
      ...fast,
    });
    expect(resumed.best).toEqual(bo.best);

    const f = (x: number[]) => (x[0]! - 0.3) ** 2 + (x[1]! - 0.6) ** 2;
    let X = [
      [0.2, 0.3],
      [0.8, 0.5],
      [0.5, 0.9],
    ];
    let y = X.map(f);
    for (let i = 0; i < 5; i++) {
      const gp = fitGP(
        X,
        y.map((v) => -v),
        { normalizeInputs: { lower: [0, 0], upper: [1, 1] }, restarts: 0 },
      );
      const { x } = optimizeAcquisition(logExpectedImprovement(gp), {
        bounds: [
          [0, 1],
          [0, 1],
        ],
        seed: i,
        restarts: 3,
        rawSamples: 64,
        steps: 25,
      });
      X = [...X, x[0]!];
      y = [...y, f(x[0]!)];
    }
    expect(Math.min(...y)).toBeLessThan(Math.min(...y.slice(0, 3)));
  });

  it('convergence plot example writes an SVG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bayes-readme-'));
    const budget = 10;
    const { trace } = await bayesOpt({ objective: branin, bounds: branin.bounds, budget, seed: 0, ...fast });
    const rng = createRng(0);
    let best = Infinity;
    const rand = Array.from(
      { length: budget },
      () => (best = Math.min(best, branin([-5 + 15 * rng.uniform(), 15 * rng.uniform()]))),
    );
    const W = 480,
      H = 300,
      pad = 40;
    const ly = (v: number) => Math.log10(Math.max(v - branin.optimum.value, 1e-6));
    const px = (i: number) => pad + (i / (budget - 1)) * (W - 2 * pad);
    const py = (v: number) => pad + ((2 - ly(v)) / 8) * (H - 2 * pad);
    const line = (vals: number[], color: string) =>
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${vals.map((v, i) => `${px(i)},${py(v)}`).join(' ')}"/>`;
    const file = join(dir, 'convergence.svg');
    writeFileSync(
      file,
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="white"/>${line(trace, '#1f77b4')}${line(rand, '#ff7f0e')}</svg>`,
    );
    const svg = readFileSync(file, 'utf8');
    expect(svg.match(/<polyline/g)!.length).toBe(2);
    expect(svg).not.toContain('NaN');
  });
});
