import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@difflab/tensor';
import {
  adaptiveConformalUpdate,
  calibrationCurve,
  conformalQuantile,
  conformalRiskControl,
  crpsGaussian,
  expectedCalibrationError,
  gaussianInterval,
  gaussianNll,
  intervalCoverage,
  pitValues,
  probabilisticCalibrationError,
  quantileRecalibration,
  splitConformal,
  weightedConformalQuantile,
} from '../src/index.js';

function rng(seed: number) {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const n = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return { u, n };
}

describe('calibration metrics', () => {
  it('PIT of correctly specified Gaussians is uniform (PCE ≈ 0); overconfident ones are not', () => {
    const r = rng(1);
    const n = 4000;
    const mu = Array.from({ length: n }, () => r.n());
    const y = mu.map((m) => m + 0.5 * r.n());
    const good = pitValues(mu, new Array(n).fill(0.5), y);
    const bad = pitValues(mu, new Array(n).fill(0.2), y);
    expect(probabilisticCalibrationError(good)).toBeLessThan(0.015);
    expect(probabilisticCalibrationError(bad)).toBeGreaterThan(0.1);
    const curve = calibrationCurve(good, [0.5]);
    expect(curve[0]!.observed).toBeCloseTo(0.5, 1);
    // Quantile recalibration fixes the overconfident model on fresh data.
    const recal = quantileRecalibration(bad.slice(0, 2000));
    const fixed = bad.slice(2000).map(recal.forward);
    expect(probabilisticCalibrationError(fixed)).toBeLessThan(0.02);
    expect(recal.forward(recal.inverse(0.3))).toBeCloseTo(0.3, 10);
  });

  it('NLL and CRPS match closed forms; Gaussian intervals have the nominal coverage', () => {
    expect(gaussianNll([0], [2], [1])).toBeCloseTo(0.5 * 0.25 + Math.log(2) + 0.5 * Math.log(2 * Math.PI), 14);
    // CRPS(N(0,1), 0) = 2φ(0) − 1/√π
    expect(crpsGaussian([0], [1], [0])).toBeCloseTo(2 / Math.sqrt(2 * Math.PI) - 1 / Math.sqrt(Math.PI), 14);
    // CRPS is the mean absolute error for a vanishing σ.
    expect(crpsGaussian([0], [1e-9], [3])).toBeCloseTo(3, 6);
    const r = rng(2);
    const y = Array.from({ length: 5000 }, () => r.n());
    const { lower, upper } = gaussianInterval(new Array(5000).fill(0), new Array(5000).fill(1), 0.1);
    expect(intervalCoverage(lower, upper, y)).toBeCloseTo(0.9, 1);
    expect(() => gaussianNll([0], [0], [1])).toThrow(ValueError);
    expect(() => pitValues([0, 1], [1], [0, 1])).toThrow(ShapeError);
  });

  it('ECE / MCE of a binned classifier', () => {
    const conf = [0.9, 0.9, 0.9, 0.9, 0.6, 0.6];
    const correct = [true, true, true, false, true, false];
    const { ece, mce } = expectedCalibrationError(conf, correct, { bins: 10 });
    expect(ece).toBeCloseTo((4 / 6) * 0.15 + (2 / 6) * 0.1, 14);
    expect(mce).toBeCloseTo(0.15, 14);
    expect(() => expectedCalibrationError([1.2], [true])).toThrow(ValueError);
  });
});

describe('conformal prediction and risk control', () => {
  it('the split-conformal quantile uses rank ⌈(n+1)(1−α)⌉', () => {
    const s = [5, 1, 4, 2, 3, 9, 8, 7, 6, 10];
    expect(conformalQuantile(s, 0.1)).toBe(10);
    expect(conformalQuantile(s, 0.2)).toBe(9);
    expect(conformalQuantile(s, 0.05)).toBe(Infinity);
    expect(weightedConformalQuantile(s, new Array(10).fill(1), 0.2)).toBe(9);
    expect(() => conformalQuantile([], 0.1)).toThrow(ValueError);
    expect(() => conformalQuantile([1], 1.5)).toThrow(ValueError);
  });

  it('split-conformal intervals have coverage between 1 − α and 1 − α + 1/(n+1) over repeated trials', () => {
    const r = rng(5);
    const alpha = 0.1;
    const nCal = 49;
    let covered = 0;
    let total = 0;
    for (let trial = 0; trial < 300; trial++) {
      const pred = (x: number) => 2 * x;
      const draw = () => {
        const x = r.n();
        return { x, y: 2 * x + (1 + Math.abs(x)) * r.n() };
      };
      const cal = Array.from({ length: nCal }, draw);
      const test = Array.from({ length: 20 }, draw);
      const iv = splitConformal(
        { predictions: cal.map((c) => pred(c.x)), targets: cal.map((c) => c.y) },
        { predictions: test.map((t) => pred(t.x)) },
        alpha,
      );
      test.forEach((t, i) => {
        total++;
        if (t.y >= iv.lower[i]! && t.y <= iv.upper[i]!) covered++;
      });
    }
    const cov = covered / total;
    expect(cov).toBeGreaterThan(1 - alpha - 0.012);
    expect(cov).toBeLessThan(1 - alpha + 1 / (nCal + 1) + 0.012);
  });

  it('conformal risk control keeps the expected test risk ≤ α (false-negative rate of a threshold set)', () => {
    // Multilabel toy: 10 labels with scores; the set {k : score_k ≥ 1 − λ}; loss = FNR ∈ [0, 1].
    const r = rng(9);
    const sample = () => {
      const truthSet = Array.from({ length: 10 }, () => r.u() < 0.3);
      const score = truthSet.map((t) => Math.min(1, Math.max(0, (t ? 0.65 : 0.35) + 0.2 * r.n())));
      return { truthSet, score };
    };
    const fnr = (s: ReturnType<typeof sample>, lam: number) => {
      const pos = s.truthSet.filter(Boolean).length;
      if (pos === 0) return 0;
      const missed = s.truthSet.filter((t, k) => t && s.score[k]! < 1 - lam).length;
      return missed / pos;
    };
    const lambdas = Array.from({ length: 101 }, (_, i) => i / 100);
    const alpha = 0.1;
    let risk = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const cal = Array.from({ length: 100 }, sample);
      const res = conformalRiskControl((i, lam) => fnr(cal[i]!, lam), cal.length, { alpha, lambdas });
      expect(res.feasible).toBe(true);
      const test = Array.from({ length: 20 }, sample);
      risk += test.reduce((s, x) => s + fnr(x, res.lambda), 0) / test.length;
    }
    risk /= trials;
    expect(risk).toBeLessThanOrEqual(alpha + 0.01);
    expect(risk).toBeGreaterThan(alpha - 2 / 101 - 0.03);
    expect(() => conformalRiskControl(() => 2, 3, { alpha, lambdas })).toThrow(/outside \[0, B/);
    expect(() => conformalRiskControl(() => 0, 3, { alpha, lambdas: [0.5, 0.2] })).toThrow(/increasing/);
  });

  it('weighted conformal risk control adapts to drift where the unweighted one under-covers', () => {
    // The noise level jumps halfway through the calibration sequence; recent points get more weight.
    const r = rng(21);
    const alpha = 0.1;
    const lambdas = Array.from({ length: 400 }, (_, i) => i / 50);
    let missW = 0;
    let missU = 0;
    const trials = 150;
    for (let t = 0; t < trials; t++) {
      const scores = Array.from({ length: 200 }, (_, i) => Math.abs(r.n()) * (i < 100 ? 1 : 2));
      const testScore = Math.abs(r.n()) * 2;
      const miss = (s: number, lam: number) => (s > lam ? 1 : 0);
      const weights = scores.map((_, i) => Math.pow(0.97, 199 - i));
      const w = conformalRiskControl((i, lam) => miss(scores[i]!, lam), 200, { alpha, lambdas, weights });
      const u = conformalRiskControl((i, lam) => miss(scores[i]!, lam), 200, { alpha, lambdas });
      missW += miss(testScore, w.lambda);
      missU += miss(testScore, u.lambda);
    }
    expect(missW / trials).toBeLessThan(0.16);
    expect(missU / trials).toBeGreaterThan(missW / trials);
  });

  it('adaptive conformal inference moves α_t against the observed miscoverage', () => {
    let s = { alphaT: 0.1 };
    s = adaptiveConformalUpdate(s, true, { alpha: 0.1, gamma: 0.01 });
    expect(s.alphaT).toBeCloseTo(0.1 - 0.009, 14);
    s = adaptiveConformalUpdate(s, false, { alpha: 0.1, gamma: 0.01 });
    expect(s.alphaT).toBeCloseTo(0.092, 14);
  });
});
