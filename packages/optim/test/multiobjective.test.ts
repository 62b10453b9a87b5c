import { describe, expect, it } from 'vitest';
import { matmul, mul, sub, sum, tensor, type Tensor } from '@difflab/tensor';
import * as optim from '../src/index.js';

const f64 = (x: number[]) => tensor(x, { dtype: 'float64' });
const g = (x: number[]) => ({ v: f64(x) });
const vec = (p: { v: Tensor }) => Array.from(p.v.dataSync());
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const close = (a: number[], b: number[], d = 12) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i]!, d));

// Four gradients in R^6 with conflicts, from a fixed seed.
const rng = optim.createRng(11);
const randomGrads = Array.from({ length: 4 }, (_, i) => Array.from({ length: 6 }, () => rng.normal() + (i === 0 ? 1 : 0)));

describe('gradient aggregators', () => {
  it('mean', () => close(vec(optim.aggregate([g([1, 2]), g([3, -2])], 'mean')), [2, 0]));

  it('PCGrad matches the hand-computed projections', () => {
    // g1·g2 = -1: g1 -> g1 + g2/2 = [0.5, 0.5], g2 -> g2 + g1 = [0, 1]; summed.
    close(vec(optim.pcgrad([g([1, 0]), g([-1, 1])])), [0.5, 1.5]);
    close(vec(optim.pcgrad([g([1, 0]), g([-1, 1])], { reduction: 'mean' })), [0.25, 0.75]);
    // No conflict: plain sum.
    close(vec(optim.pcgrad([g([1, 0]), g([1, 1])])), [2, 1]);
    // A shuffled order is still a valid surgery: each projected gradient is orthogonal-or-agreeing.
    const r = vec(optim.pcgrad(randomGrads.map(g), { seed: 3 }));
    expect(r.length).toBe(6);
  });

  it('MGDA returns the min-norm point of the convex hull', () => {
    close(vec(optim.mgda([g([1, 0]), g([0, 1])])), [0.5, 0.5], 8);
    close(vec(optim.mgda([g([2, 0]), g([0, 1])])), [0.4, 0.8], 8);
    const d = vec(optim.mgda(randomGrads.map(g), { maxIter: 5000, tol: 0 }));
    const dd = dot(d, d);
    // KKT of the min-norm problem: every gradient has d·g_i >= ||d||².
    for (const gi of randomGrads) expect(dot(d, gi)).toBeGreaterThanOrEqual(dd * (1 - 1e-4));
  });

  it('ConFIG gives equal cosines and the projection-sum length', () => {
    close(vec(optim.configCombine([g([1, 0]), g([0, 2])])), [1.5, 1.5]);
    const r = vec(optim.configCombine(randomGrads.map(g)));
    const cos = randomGrads.map((gi) => dot(r, gi) / Math.sqrt(dot(r, r) * dot(gi, gi)));
    cos.forEach((c) => expect(c).toBeCloseTo(cos[0]!, 10));
    expect(cos[0]).toBeGreaterThan(0);
  });

  it('UPGrad averages dual-cone projections and never conflicts', () => {
    close(vec(optim.upgrad([g([1, 0]), g([-1, 1])])), [0.25, 0.75], 10);
    close(vec(optim.upgrad([g([1, 0]), g([1, 1])])), [1, 0.5], 12);
    const r = vec(optim.upgrad(randomGrads.map(g)));
    for (const gi of randomGrads) expect(dot(r, gi)).toBeGreaterThanOrEqual(-1e-10);
  });

  it('pytrees of several leaves and errors', () => {
    const a = { w: tensor([[1, 0]], { dtype: 'float64' }), b: f64([1]) };
    const b = { w: tensor([[0, 1]], { dtype: 'float64' }), b: f64([-1]) };
    const r = optim.aggregate([a, b], 'mean');
    expect(r.w.shape).toEqual([1, 2]);
    close(Array.from(r.w.dataSync()), [0.5, 0.5]);
    expect(() => optim.aggregate([a, { w: a.w }])).toThrow(/aggregate: gradient 1 do not match/);
    expect(() => optim.aggregate([])).toThrow(/aggregate: needs a non-empty array/);
    expect(() => optim.aggregate([a], 'nope' as any)).toThrow(/unknown aggregator 'nope'/);
  });
});

describe('jacobianDescent', () => {
  const a = f64([1, 0]);
  const b = f64([0, 1]);
  const losses = (p: { x: Tensor }) => [sum(mul(sub(p.x, a), sub(p.x, a))), sum(mul(sub(p.x, b), sub(p.x, b)))];

  it('objectiveJacobian returns one gradient per loss', () => {
    const { losses: l, grads } = optim.objectiveJacobian(losses, { x: f64([2, 3]) });
    expect(Array.from(l.dataSync())).toEqual([1 + 9, 4 + 4]);
    expect(vec({ v: grads[0]!.x })).toEqual([2, 6]);
    expect(vec({ v: grads[1]!.x })).toEqual([4, 4]);
  });

  for (const agg of ['upgrad', 'mgda', 'pcgrad', 'config', 'mean'] as const) {
    it(`reaches the Pareto set between two minima (${agg})`, () => {
      const jd = optim.jacobianDescent({ aggregator: agg, optimizer: optim.sgd({ lr: 0.1 }) });
      let params = { x: f64([2, 3]) };
      let state = jd.init(params);
      let first: number[] = [];
      for (let i = 0; i < 200; i++) {
        const r = jd.step(losses, params, state);
        if (i === 0) first = r.losses;
        ({ params, state } = r);
      }
      const [x, y] = vec({ v: params.x });
      // Pareto set of the two squared distances: the segment from a to b (x + y = 1, both in [0, 1]).
      expect(x! + y!).toBeCloseTo(1, 4);
      expect(x!).toBeGreaterThanOrEqual(-1e-6);
      expect(y!).toBeGreaterThanOrEqual(-1e-6);
      expect(first).toEqual([10, 8]);
    });
  }

  it('works with a 1-D loss tensor and a custom aggregator', () => {
    const firstOnly: optim.Aggregator = (J) => J.slice(0);
    const jd = optim.jacobianDescent({ aggregator: firstOnly, optimizer: optim.sgd({ lr: 0.25 }) });
    const M = tensor([[1, 0], [0, 1]], { dtype: 'float64' });
    const params = { x: f64([2, 3]) };
    const r = jd.step((p: { x: Tensor }) => matmul(M, p.x), params, jd.init(params));
    // d(loss_0)/dx = [1, 0].
    expect(vec({ v: r.params.x })).toEqual([1.75, 3]);
  });
});
