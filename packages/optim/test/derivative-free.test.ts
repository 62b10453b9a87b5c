import { describe, expect, it } from 'vitest';
import { abs, matmul, mul, sub, sum, tensor, type Tensor } from '@difflab/tensor';
import * as optim from '../src/index.js';

const rosenbrock = (x: Float64Array) => {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return s;
};
const rastrigin = (x: Float64Array) => {
  let s = 10 * x.length;
  for (const v of x) s += v * v - 10 * Math.cos(2 * Math.PI * v);
  return s;
};
const sphere = (x: Float64Array) => x.reduce((s, v) => s + (v - 0.3) ** 2, 0);
const box = (d: number, lo: number, hi: number) => Array.from({ length: d }, () => [lo, hi] as [number, number]);
const seeds = [0, 1, 2];

describe('CMA-ES (d = 10)', () => {
  it.each(seeds)('reaches the Rosenbrock optimum within 20k evaluations (seed %i)', (seed) => {
    const r = optim.cmaes(rosenbrock, { x0: new Array(10).fill(-1), sigma0: 0.5, seed, budget: 20000, target: 1e-10 });
    expect(r.stopReason).toBe('target');
    expect(r.value).toBeLessThanOrEqual(1e-10);
    r.x.forEach((v) => expect(v).toBeCloseTo(1, 4));
  });

  it.each(seeds)('reaches the Rastrigin optimum with IPOP restarts within 200k evaluations (seed %i)', (seed) => {
    const r = optim.cmaes(rastrigin, { bounds: box(10, -5.12, 5.12), seed, restarts: 9, budget: 200000, target: 1e-8 });
    expect(r.stopReason).toBe('target');
    r.x.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-4));
  });

  it('is reproducible and reports progress', () => {
    const a = optim.cmaes(sphere, { x0: [1, 1, 1], seed: 5, budget: 300 });
    const b = optim.cmaes(sphere, { x0: [1, 1, 1], seed: 5, budget: 300 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.evaluations).toBeLessThanOrEqual(300);
    expect(a.history.length).toBe(a.iterations);
    for (let i = 1; i < a.history.length; i++) expect(a.history[i]!).toBeLessThanOrEqual(a.history[i - 1]!);
    let calls = 0;
    const c = optim.cmaes(sphere, { x0: [1, 1, 1], onIteration: () => ++calls < 3 });
    expect(c.stopReason).toBe('callback');
    expect(c.iterations).toBe(3);
    expect(() => optim.cmaes(sphere, {} as any)).toThrow(/cmaes: needs x0 or bounds/);
    expect(() => optim.cmaes(sphere, { x0: [1], sigma0: -1 })).toThrow(/cmaes: sigma0 must be > 0/);
  });
});

describe('differential evolution (d = 10)', () => {
  it.each(seeds)('reaches the Rastrigin optimum within 60k evaluations (seed %i)', (seed) => {
    const r = optim.differentialEvolution(rastrigin, { bounds: box(10, -5.12, 5.12), seed, crossover: 0.1, popSize: 50, budget: 60000, target: 1e-8 });
    expect(r.stopReason).toBe('target');
    r.x.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-4));
  });

  it.each(seeds)('reaches the Rosenbrock optimum within 150k evaluations (seed %i)', (seed) => {
    const r = optim.differentialEvolution(rosenbrock, { bounds: box(10, -5, 5), seed, crossover: 0.9, popSize: 60, budget: 150000, target: 1e-8 });
    expect(r.stopReason).toBe('target');
    r.x.forEach((v) => expect(v).toBeCloseTo(1, 3));
  });

  it('stays inside the bounds and validates options', () => {
    const seen: number[][] = [];
    optim.differentialEvolution((x) => (seen.push(Array.from(x)), sphere(x)), { bounds: box(2, 0, 1), budget: 500, mutation: 1.5 });
    expect(seen.every((x) => x.every((v) => v >= 0 && v <= 1))).toBe(true);
    expect(() => optim.differentialEvolution(sphere, { bounds: [[1, 0]] })).toThrow(/differentialEvolution: bounds\[0\] must be \[lower, upper\]/);
    expect(() => optim.differentialEvolution(sphere, { bounds: box(2, 0, 1), crossover: 2 })).toThrow(/crossover must be in/);
    const tolStop = optim.differentialEvolution(sphere, { bounds: box(2, -1, 1), tol: 0, atol: 1e-10, budget: 1e6 });
    expect(tolStop.stopReason).toBe('tolerance');
  });
});

describe('genetic algorithm and random search', () => {
  it('GA converges on a 5-D sphere and is deterministic per seed', () => {
    const a = optim.geneticAlgorithm(sphere, { bounds: box(5, -2, 2), seed: 1, budget: 20000 });
    const b = optim.geneticAlgorithm(sphere, { bounds: box(5, -2, 2), seed: 1, budget: 20000 });
    expect(a.value).toBeLessThan(1e-4);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(() => optim.geneticAlgorithm(sphere, { bounds: box(2, 0, 1), popSize: 2, eliteCount: 2 })).toThrow(/eliteCount 2 must be smaller/);
  });

  it('GA finds the Rastrigin basin in 5-D', () => {
    const r = optim.geneticAlgorithm(rastrigin, { bounds: box(5, -5.12, 5.12), seed: 3, popSize: 100, budget: 50000 });
    expect(r.value).toBeLessThan(1);
  });

  it('random search samples uniformly in the box', () => {
    const pts: number[][] = [];
    const r = optim.randomSearch((x) => (pts.push(Array.from(x)), sphere(x)), { bounds: box(2, -1, 1), budget: 2000, seed: 9 });
    expect(r.evaluations).toBe(2000);
    expect(r.value).toBeLessThan(5e-3);
    const mean = pts.reduce((s, p) => s + p[0]!, 0) / pts.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    const abort = new AbortController();
    abort.abort();
    expect(optim.randomSearch(sphere, { bounds: box(2, -1, 1), signal: abort.signal }).stopReason).toBe('aborted');
  });
});

describe('zeroth-order gradients', () => {
  const A = tensor([[2, 0.5, 0], [0.5, 1, 0.2], [0, 0.2, 3]], { dtype: 'float64' });
  const quad = (p: { x: Tensor }) => mul(sum(mul(p.x, matmul(A, p.x))), 0.5);
  const x0 = { x: tensor([1, -2, 0.5], { dtype: 'float64' }) };
  const exact = Array.from(matmul(A, x0.x).dataSync());

  it('the two-point estimator is unbiased (quadratics: exact per direction)', () => {
    for (const distribution of ['gaussian', 'sphere'] as const) {
      const g = optim.zerothOrderGradient(quad, x0, { samples: 4000, seed: 1, distribution });
      const est = Array.from(g.x.dataSync());
      est.forEach((v, i) => expect(Math.abs(v - exact[i]!)).toBeLessThan(0.15 * Math.hypot(...exact)));
    }
    // Along a single direction u the symmetric difference of a quadratic is exactly uᵀ∇f.
    const one = optim.zerothOrderGradient(quad, x0, { samples: 1, seed: 4, mu: 0.5 });
    const u = Array.from(optim.randomLike(x0, optim.createRng(4)).x.dataSync());
    const proj = u.reduce((s, v, i) => s + v * exact[i]!, 0);
    Array.from(one.x.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(proj * u[i]!, 10));
  });

  it('zerothOrder(adam) minimises a non-differentiable loss from values only', () => {
    const l1 = (p: { x: Tensor }) => sum(abs(sub(p.x, tensor([0.5, -0.5, 1], { dtype: 'float64' }))));
    const opt = optim.zerothOrder(optim.adam({ lr: 0.05 }), { samples: 4, seed: 2 });
    let params = { x: tensor([0, 0, 0], { dtype: 'float64' }) };
    let state = opt.init(params);
    const first = l1(params).item();
    for (let i = 0; i < 150; i++) ({ params, state } = opt.step(l1, params, state));
    expect(l1(params).item()).toBeLessThan(0.1 * first);
  });
});
