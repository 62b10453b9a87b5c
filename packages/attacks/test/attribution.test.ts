import { describe, expect, it } from 'vitest';
import { argmax, nn, random, type Tensor } from '@difflab/tensor';
import * as A from '../src/index.js';
import { digitsTensors } from './helpers/fixtures.js';
import { fixtureMlp } from './helpers/model.js';

const k = random.splitN(random.key(21), 3);
const W = random.normal(k[0]!, [3, 6], { dtype: 'float64' });
const b = random.normal(k[1]!, [3], { dtype: 'float64' });
const linear: A.Model = (x) => nn.linear(x, W, b);
const x = random.uniform(k[2]!, [4, 6], { dtype: 'float64' });
const target = [0, 2, 1, 2];

function rowsOf(t: Tensor): number[][] {
  return t.toArray() as number[][];
}

describe('on a linear model every method recovers the weights (times the input)', () => {
  const w = rowsOf(W);
  const xs = rowsOf(x);
  const expectRows = (got: Tensor, want: (i: number, j: number) => number, digits = 10) =>
    rowsOf(got).forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want(i, j), digits)));

  it('saliency, gradient x input, SmoothGrad', () => {
    expectRows(A.saliency(linear, x, target, { abs: false }), (i, j) => w[target[i]!]![j]!);
    expectRows(A.saliency(linear, x, target), (i, j) => Math.abs(w[target[i]!]![j]!));
    expectRows(A.gradientXInput(linear, x, target), (i, j) => w[target[i]!]![j]! * xs[i]![j]!);
    expectRows(A.smoothGrad(linear, x, target, { samples: 5, sigma: 0.3 }), (i, j) => w[target[i]!]![j]!);
    expectRows(A.smoothGrad(linear, x, target, { samples: 3, squared: true }), (i, j) => w[target[i]!]![j]! ** 2);
  });

  it('Integrated Gradients with every quadrature rule, and occlusion with 1x1 windows', () => {
    for (const method of ['gauss-legendre', 'trapezoid', 'riemann-left', 'riemann-right', 'riemann-middle'] as const)
      expectRows(
        A.integratedGradients(linear, x, target, { method, steps: 4 }),
        (i, j) => w[target[i]!]![j]! * xs[i]![j]!,
      );
    expectRows(
      A.integratedGradients(linear, x, target, { baseline: 0.5 }),
      (i, j) => w[target[i]!]![j]! * (xs[i]![j]! - 0.5),
    );
    expectRows(A.occlusion(linear, x, target, { window: [1, 1] }), (i, j) => w[target[i]!]![j]! * xs[i]![j]!);
    // Overlapping windows of width 2 give each feature the mean drop of the windows covering it.
    const occ = rowsOf(A.occlusion(linear, x, target, { window: [1, 2], stride: [1, 1] }));
    const c = (i: number, j: number) => w[target[i]!]![j]! * xs[i]![j]!;
    expect(occ[0]![0]).toBeCloseTo(c(0, 0) + c(0, 1), 10);
    expect(occ[0]![2]).toBeCloseTo((c(0, 1) + 2 * c(0, 2) + c(0, 3)) / 2, 10);
  });

  it('the target defaults to the predicted class', () => {
    const pred = Array.from(argmax(linear(x), 1).dataSync());
    expect(Array.from(A.saliency(linear, x).dataSync())).toEqual(Array.from(A.saliency(linear, x, pred).dataSync()));
  });
});

describe('Integrated Gradients completeness: attributions sum to f(x) - f(baseline)', () => {
  const gap = (
    m: A.Model,
    xs: Tensor,
    ig: Tensor,
    t: number[],
    baseline: number,
    output: 'logit' | 'probability' = 'logit',
  ) => {
    const f = (z: Tensor) => {
      const o = output === 'probability' ? m(z).softmax(1) : m(z);
      const d = o.dataSync();
      const c = o.shape[1]!;
      return t.map((ti, i) => d[i * c + ti]!);
    };
    const fx = f(xs);
    const f0 = f(xs.mul(0).add(baseline));
    const s = ig.sum(1).dataSync();
    return Math.max(...t.map((_, i) => Math.abs(s[i]! - (fx[i]! - f0[i]!))));
  };

  it('to 1e-6 on a smooth (tanh) network with Gauss-Legendre quadrature', () => {
    const net = nn.mlp([64, 16, 10], { activation: 'tanh', key: 3, dtype: 'float64' });
    const m: A.Model = (z) => net.apply(net.params, z);
    const { x: xs } = digitsTensors('test', 6, 'float64');
    const t = [0, 1, 2, 3, 4, 5];
    expect(gap(m, xs, A.integratedGradients(m, xs, t, { steps: 24 }), t, 0)).toBeLessThan(1e-6);
    expect(
      gap(
        m,
        xs,
        A.integratedGradients(m, xs, t, { steps: 24, output: 'probability', baseline: 0.2 }),
        t,
        0.2,
        'probability',
      ),
    ).toBeLessThan(1e-6);
  });

  it('to 1e-3 on the trained ReLU network (piecewise linear path, trapezoid rule)', () => {
    const { model } = fixtureMlp('float64');
    const { x: xs, y } = digitsTensors('test', 6, 'float64');
    const t = Array.from(y.dataSync());
    expect(
      gap(
        model,
        xs,
        A.integratedGradients(model, xs, t, { steps: 4000, method: 'trapezoid', pointsPerBatch: 1000 }),
        t,
        0,
      ),
    ).toBeLessThan(1e-3);
  });
});

describe('attributions on the digits', () => {
  it('occlusion works on image batches with 2x2 windows and agrees in sign with gradient x input overall', () => {
    const { model } = fixtureMlp();
    const { x: xs, y } = digitsTensors('test', 4);
    const imgs = xs.reshape([4, 1, 8, 8]);
    const occ = A.occlusion(model, imgs, y);
    expect(occ.shape).toEqual([4, 1, 8, 8]);
    const gi = A.gradientXInput(model, imgs, y);
    // Correlation between the two maps is positive for every digit.
    const a = occ.reshape([4, 64]).toArray() as number[][];
    const g = gi.reshape([4, 64]).toArray() as number[][];
    a.forEach((row, i) => {
      const dot = row.reduce((s, v, j) => s + v * g[i]![j]!, 0);
      expect(dot).toBeGreaterThan(0);
    });
  });
});
