import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, tensor, type Tensor } from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import {
  expectedImprovement,
  fitGP,
  knowledgeGradient,
  logExpectedImprovement,
  maxValueEntropy,
  maxValueSamples,
  noisyExpectedImprovement,
  optimizeAcquisition,
  probabilityOfImprovement,
  qExpectedImprovement,
  qNoisyExpectedImprovement,
  qUpperConfidenceBound,
  rbf,
  samplePath,
  sobol,
  thompsonSampling,
  upperConfidenceBound,
  type Surrogate,
} from '../src/index.js';
import { logH as logHHost, normCdf as normCdfHost, normPdf as normPdfHost } from '../src/internal/special.js';
import { fixtures } from './helpers/fixtures.js';

/** A "model" whose posterior at x = (μ, σ²) is exactly N(μ, σ²): closed forms become checkable. */
const direct: Surrogate = {
  dim: 2,
  predict: (X) => {
    const x = X as Tensor;
    return { mean: x.slice('...', 0), variance: x.slice('...', 1) };
  },
};
const f64 = (rows: number[][]) => tensor(rows, { dtype: 'float64' });

// A small 1-D GP used by the model-based checks.
const X1 = [[0.05], [0.2], [0.35], [0.6], [0.8], [0.95]];
const y1 = X1.map(([x]) => Math.sin(6 * x!) + 0.3 * x!);
const gp1 = fitGP(X1, y1, {
  kernel: rbf({ lengthscale: 0.15, variance: 1 }),
  noise: 1e-6,
  fit: false,
  standardize: false,
});
const grid = Array.from({ length: 401 }, (_, i) => [i / 400]);
const bestY = Math.max(...y1);

describe('analytic acquisitions against closed forms (SciPy fixture)', () => {
  it('EI, log-EI, PI and log-PI match for maximization', () => {
    for (const c of fixtures.ei.cases) {
      const x = f64([[c.mu, c.sigma * c.sigma]]);
      expect(expectedImprovement(direct, { best: c.best })(x).item()).toBeCloseTo(c.ei, 14);
      if (c.logEi !== null)
        expect(Math.abs(logExpectedImprovement(direct, { best: c.best })(x).item() - c.logEi)).toBeLessThan(
          1e-12 * Math.max(1, Math.abs(c.logEi)),
        );
      expect(probabilityOfImprovement(direct, { best: c.best })(x).item()).toBeCloseTo(c.pi, 14);
      expect(Math.abs(probabilityOfImprovement(direct, { best: c.best, log: true })(x).item() - c.logPi)).toBeLessThan(
        1e-12 * Math.max(1, Math.abs(c.logPi)),
      );
    }
  });

  it('log-EI is finite and smooth where EI underflows to exactly 0 (z = -40)', () => {
    const x = f64([[-40, 1]]);
    expect(expectedImprovement(direct, { best: 0 })(x).item()).toBe(0);
    const v = logExpectedImprovement(direct, { best: 0 })(x).item();
    expect(v).toBeCloseTo(logHHost(-40), 12);
    gradcheck(
      (t: Tensor) => logExpectedImprovement(direct, { best: 0 })(t),
      [
        f64([
          [-40, 1],
          [-8, 0.3],
        ]),
      ],
      { rtol: 1e-6, atol: 1e-9 },
    );
  });

  it('minimization mirrors maximization; UCB is μ + √β σ; xi shifts the incumbent', () => {
    const x = f64([[0.3, 0.25]]);
    const xm = f64([[-0.3, 0.25]]);
    expect(expectedImprovement(direct, { best: -0.1, maximize: false })(xm).item()).toBeCloseTo(
      expectedImprovement(direct, { best: 0.1 })(x).item(),
      14,
    );
    expect(upperConfidenceBound(direct, { beta: 4 })(x).item()).toBeCloseTo(0.3 + 2 * 0.5, 14);
    expect(upperConfidenceBound(direct, { beta: 4, maximize: false })(xm).item()).toBeCloseTo(0.3 + 2 * 0.5, 14);
    expect(expectedImprovement(direct, { best: 0.1, xi: 0.2 })(x).item()).toBeCloseTo(
      expectedImprovement(direct, { best: 0.3 })(x).item(),
      14,
    );
    const z = (0.3 - 0.1) / 0.5;
    expect(expectedImprovement(direct, { best: 0.1 })(x).item()).toBeCloseTo(
      0.5 * (z * normCdfHost(z) + normPdfHost(z)),
      14,
    );
  });

  it('gradients with respect to the candidate match finite differences (on a GP)', () => {
    const x0 = f64([[0.1], [0.45], [0.7]]);
    for (const acq of [
      expectedImprovement(gp1),
      logExpectedImprovement(gp1),
      probabilityOfImprovement(gp1),
      probabilityOfImprovement(gp1, { log: true }),
      upperConfidenceBound(gp1),
    ])
      gradcheck((x: Tensor) => acq(x), [x0], { rtol: 1e-5, atol: 1e-9 });
  });

  it('default incumbent is the best observed y; bad options and shapes throw', () => {
    const x = f64([[0.5]]);
    expect(expectedImprovement(gp1)(x).item()).toBeCloseTo(expectedImprovement(gp1, { best: bestY })(x).item(), 14);
    expect(() => expectedImprovement(direct)(f64([[0, 1]]))).toThrow(ValueError);
    expect(() => expectedImprovement(gp1)(f64([[0.5, 0.2]]))).toThrow(ShapeError);
    expect(() => expectedImprovement(gp1)(tensor([[[0.1], [0.2]]], { dtype: 'float64' }))).toThrow(/at most q = 1/);
    expect(() => upperConfidenceBound(gp1, { beta: -1 })).toThrow(ValueError);
    expect(() => expectedImprovement(gp1, { best: NaN })(x)).toThrow(ValueError);
  });
});

describe('Monte-Carlo acquisitions', () => {
  const pts = f64([[0.12], [0.5], [0.72], [0.9]]);
  const S = 4096;

  it('qEI, qUCB and NEI at q = 1 agree with their analytic counterparts within MC error', () => {
    const ei = expectedImprovement(gp1)(pts).dataSync();
    const qei = qExpectedImprovement(gp1, { samples: S, seed: 3 })(pts).dataSync();
    const nei = noisyExpectedImprovement(gp1, { samples: S, seed: 4 })(pts).dataSync();
    const ucb = upperConfidenceBound(gp1, { beta: 2 })(pts).dataSync();
    const qucb = qUpperConfidenceBound(gp1, { beta: 2, samples: S, seed: 5 })(pts).dataSync();
    const sd = gp1.predict(pts).variance.dataSync();
    for (let i = 0; i < 4; i++) {
      const se = Math.sqrt(sd[i]!) / Math.sqrt(S);
      expect(Math.abs(qei[i]! - ei[i]!)).toBeLessThan(4 * se + 1e-12);
      // Noise 1e-6: the latent incumbent equals the observed one up to ~1e-3.
      expect(Math.abs(nei[i]! - ei[i]!)).toBeLessThan(4 * se + 3e-3);
      expect(Math.abs(qucb[i]! - ucb[i]!)).toBeLessThan(4 * 1.8 * se + 1e-12);
    }
  });

  it('quasi-random base samples reduce the error; same seed gives the same value', () => {
    const x = f64([[0.5]]);
    const exact = expectedImprovement(gp1)(x).item();
    const qmc = qExpectedImprovement(gp1, { samples: 512, seed: 1, qmc: true })(x).item();
    expect(Math.abs(qmc - exact)).toBeLessThan(2e-3 * Math.sqrt(gp1.predict(x).variance.item()));
    expect(qExpectedImprovement(gp1, { samples: 64, seed: 9 })(x).item()).toBe(
      qExpectedImprovement(gp1, { samples: 64, seed: 9 })(x).item(),
    );
  });

  it('q-batch values: qEI of two points exceeds each single EI and is at most their sum', () => {
    const pair = tensor([[[0.5], [0.72]]], { dtype: 'float64' });
    const q2 = qExpectedImprovement(gp1, { samples: S, seed: 2 })(pair).item();
    const singles = expectedImprovement(gp1)(f64([[0.5], [0.72]])).dataSync();
    const se = Math.sqrt(Math.max(...gp1.predict(f64([[0.5], [0.72]])).variance.dataSync()) / S);
    expect(q2).toBeGreaterThan(Math.max(...singles) - 4 * se);
    expect(q2).toBeLessThan(singles[0]! + singles[1]! + 4 * se);
    const qnei = qNoisyExpectedImprovement(gp1, { samples: 512, seed: 2 })(pair).item();
    expect(qnei).toBeGreaterThan(0);
  });

  it('MC acquisitions are differentiable in the candidates (fixed base samples)', () => {
    const pair = tensor(
      [
        [[0.45], [0.75]],
        [[0.1], [0.3]],
      ],
      { dtype: 'float64' },
    );
    gradcheck((x: Tensor) => qExpectedImprovement(gp1, { samples: 128, seed: 1 })(x), [pair], {
      rtol: 1e-5,
      atol: 1e-9,
    });
    gradcheck((x: Tensor) => qUpperConfidenceBound(gp1, { samples: 128, seed: 1 })(x), [pair], {
      rtol: 1e-5,
      atol: 1e-9,
    });
    gradcheck((x: Tensor) => qNoisyExpectedImprovement(gp1, { samples: 64, seed: 1 })(x), [pair], {
      rtol: 1e-4,
      atol: 1e-8,
    });
  });
});

describe('knowledge gradient', () => {
  it('equals E[max(a + bZ)] − max a computed by dense quadrature', () => {
    const D = sobol(24, 1, { seed: 2 });
    const kg = knowledgeGradient(gp1, { discretization: D, noise: 0.01 });
    for (const xv of [0.27, 0.5, 0.88]) {
      const A = [...D, [xv]];
      const { mean, covariance } = gp1.predictJoint(A);
      const m = A.length;
      const a = mean.dataSync();
      const C = covariance.dataSync();
      const b = Array.from({ length: m }, (_, i) => C[i * m + m - 1]! / Math.sqrt(C[m * m - 1]! + 0.01));
      const amax = Math.max(...a);
      let integral = 0;
      const h = 1e-3;
      for (let z = -9; z <= 9; z += h) {
        let mx = -Infinity;
        for (let i = 0; i < m; i++) mx = Math.max(mx, a[i]! + b[i]! * z);
        integral += mx * normPdfHost(z) * h;
      }
      expect(Math.abs(kg(f64([[xv]])).item() - (integral - amax))).toBeLessThan(1e-6);
    }
  });

  it('is non-negative, differentiable, and the joint-covariance fallback gives the same value', () => {
    const D = sobol(16, 1, { seed: 5 });
    const kg = knowledgeGradient(gp1, { discretization: D });
    const noCross: Surrogate = {
      dim: 1,
      predict: (x) => gp1.predict(x),
      predictJoint: (x) => gp1.predictJoint(x),
      noiseVariance: gp1.noiseVariance,
    };
    const kg2 = knowledgeGradient(noCross, { discretization: D });
    const x0 = f64([[0.15], [0.47], [0.66]]);
    const v = kg(x0).dataSync();
    const v2 = kg2(x0).dataSync();
    for (let i = 0; i < 3; i++) {
      expect(v[i]).toBeGreaterThanOrEqual(0);
      expect(Math.abs(v[i]! - v2[i]!)).toBeLessThan(1e-10);
    }
    gradcheck((x: Tensor) => kg(x), [x0], { rtol: 1e-5, atol: 1e-9 });
    expect(() => knowledgeGradient(gp1, { discretization: [[0.1, 0.2]] })).toThrow(ShapeError);
  });
});

describe('max-value entropy search and Thompson sampling', () => {
  it('MES follows its formula with y* above the incumbent, and is differentiable', () => {
    const cands = sobol(128, 1, { seed: 1 });
    const mes = maxValueEntropy(gp1, { candidates: cands, samples: 8 });
    const x = f64([[0.42]]);
    const mu = gp1.predict(x).mean.item();
    const sd = Math.sqrt(gp1.predict(x).variance.item());
    const ystar = maxValueSamples(gp1, cands, 8);
    expect(Math.min(...ystar)).toBeGreaterThan(bestY);
    let ref = 0;
    for (const ys of ystar) {
      const g = (ys - mu) / sd;
      ref += (g * normPdfHost(g)) / (2 * normCdfHost(g)) - Math.log(normCdfHost(g));
    }
    const v = mes(x).item();
    expect(v).toBeCloseTo(ref / 8, 12);
    expect(v).toBeGreaterThan(0);
    // At an observed point (tiny σ) MES is smaller than between observations.
    expect(mes(f64([[0.2]])).item()).toBeLessThan(v);
    gradcheck((t: Tensor) => mes(t), [f64([[0.1], [0.42], [0.7]])], { rtol: 1e-5, atol: 1e-9 });
  });

  it('pathwise Thompson samples have the posterior mean and variance and interpolate the data', () => {
    const xs = f64([[0.1], [0.47], [0.7]]);
    const n = 300;
    const vals: number[][] = [];
    for (let s = 0; s < n; s++) vals.push(Array.from(samplePath(gp1, { seed: s, features: 2048 })(xs).dataSync()));
    const { mean, variance } = gp1.predict(xs);
    for (let i = 0; i < 3; i++) {
      const col = vals.map((r) => r[i]!);
      const m = col.reduce((a, b) => a + b) / n;
      const v = col.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
      const sd = Math.sqrt(variance.dataSync()[i]!);
      expect(Math.abs(m - mean.dataSync()[i]!)).toBeLessThan((4.5 * sd) / Math.sqrt(n) + 1e-3);
      expect(v / variance.dataSync()[i]!).toBeGreaterThan(0.7);
      expect(v / variance.dataSync()[i]!).toBeLessThan(1.35);
    }
    const path = samplePath(gp1, { seed: 1 });
    const atData = path(X1).dataSync();
    for (let i = 0; i < X1.length; i++) expect(Math.abs(atData[i]! - y1[i]!)).toBeLessThan(5e-3);
    const ts = thompsonSampling(gp1, { seed: 2 });
    gradcheck((t: Tensor) => ts(t), [xs], { rtol: 1e-5, atol: 1e-9 });
    const lin = fitGP(X1, y1, { kernel: rbf().plus(rbf({ lengthscale: 2 })), fit: false, noise: 0.01 });
    expect(() => samplePath(lin, { seed: 1 })).not.toThrow();
    const periodicGp = fitGP(X1, y1, { kernel: rbf().times(rbf()), fit: false, noise: 0.01 });
    expect(() => samplePath(periodicGp)).toThrow(/no spectral density/);
  });
});

describe('optimizeAcquisition', () => {
  it('finds the grid maximizer of EI in 1-D and respects the bounds', () => {
    const acq = expectedImprovement(gp1);
    const g = acq(tensor(grid, { dtype: 'float64' })).dataSync();
    let gi = 0;
    for (let i = 1; i < g.length; i++) if (g[i]! > g[gi]!) gi = i;
    const r = optimizeAcquisition(acq, { bounds: [[0, 1]], seed: 1, restarts: 4, rawSamples: 64, steps: 80 });
    expect(r.value).toBeGreaterThanOrEqual(g[gi]! - 1e-9);
    expect(Math.abs(r.x[0]![0]! - grid[gi]![0]!)).toBeLessThan(5e-3);
    const boxed = optimizeAcquisition(upperConfidenceBound(gp1, { beta: 100 }), {
      bounds: [[0.4, 0.5]],
      seed: 1,
      restarts: 2,
      rawSamples: 16,
      steps: 30,
    });
    expect(boxed.x[0]![0]).toBeGreaterThanOrEqual(0.4);
    expect(boxed.x[0]![0]).toBeLessThanOrEqual(0.5);
  });

  it('optimizes q-batches jointly and returns distinct points', () => {
    const r = optimizeAcquisition(qExpectedImprovement(gp1, { samples: 128, seed: 1, qmc: true }), {
      bounds: [[0, 1]],
      q: 3,
      seed: 2,
      restarts: 4,
      rawSamples: 64,
      steps: 60,
    });
    expect(r.x.length).toBe(3);
    const xs = r.x.map((p) => p[0]!).sort((a, b) => a - b);
    expect(xs[1]! - xs[0]!).toBeGreaterThan(1e-3);
    expect(xs[2]! - xs[1]!).toBeGreaterThan(1e-3);
  });

  it('rejects bad bounds and batch sizes', () => {
    const acq = expectedImprovement(gp1);
    expect(() => optimizeAcquisition(acq, { bounds: [[1, 0]] })).toThrow(/lower < upper/);
    expect(() => optimizeAcquisition(acq, { bounds: [[0, 1]], q: 2 })).toThrow(/supports q <= 1/);
    expect(() => optimizeAcquisition(acq, { bounds: [[0, NaN]] })).toThrow(ValueError);
    expect(() => optimizeAcquisition(acq, { bounds: [] })).toThrow(ValueError);
    expect(() => optimizeAcquisition(acq, { bounds: [[0, 1]], initial: [[0.1, 0.2]] })).toThrow(/initial candidates/);
  });
});
