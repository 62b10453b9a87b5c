import {
  Tensor,
  ValueError,
  ShapeError,
  add,
  cos,
  mul,
  neg,
  sin,
  slice,
  sub,
  tensor,
  square,
  exp,
} from '@difflab/tensor';
import { describe, expect, it } from 'vitest';
import {
  CausalLoss,
  causalWeights,
  customCondition,
  dirichletBC,
  hardConstraint,
  initialCondition,
  interval,
  neumannBC,
  observations,
  outputTransform,
  periodicBC,
  pinn,
  pinnMlp,
  rectangle,
  resample,
  residualDensity,
  robinBC,
  spaceTime,
  timeDomain,
  trainPinn,
  weightedSampleWithoutReplacement,
  type PinnModel,
} from '../src/index.js';
import { host, maxAbsDiff } from './helpers.js';

const col = (x: Tensor, i: number) => slice(x, null, { start: i, stop: i + 1 });
const f64 = (v: number[][]) => tensor(v, { dtype: 'float64' });

/** A parameter-free "network" u(x, y) = a·sin(x)·y + y² with a trainable scale a, for exact residual checks. */
function analyticModel(): PinnModel<{ a: Tensor }> {
  return {
    params: { a: tensor(1.5, { dtype: 'float64' }) },
    apply: (p, x) => add(mul(mul(sin(col(x, 0)), col(x, 1)), p.a), square(col(x, 1))),
  };
}

describe('conditions', () => {
  const model = analyticModel();
  const geom = rectangle([0, 0], [2, 1]);
  const problem = (conditions: ReturnType<typeof dirichletBC>[]) =>
    pinn({
      model,
      geometry: geom,
      collocation: geom.sample(8, { dtype: 'float64' }),
      pde: (D) => D.laplacian(),
      conditions,
    });
  const u = (x: number, y: number) => 1.5 * Math.sin(x) * y + y * y;

  it('Dirichlet, Neumann (normals from the geometry), Robin and periodic residuals', () => {
    const bottom = f64([
      [0.5, 0],
      [1.5, 0],
    ]);
    const right = f64([
      [2, 0.25],
      [2, 0.75],
    ]);
    const top = f64([
      [0.3, 1],
      [1.2, 1],
    ]);
    const p = problem([
      dirichletBC({ points: top, value: (x) => add(mul(sin(col(x, 0)), 1.5), 1), geometry: geom }),
      neumannBC({ points: bottom, value: 0, geometry: geom }),
      robinBC({ points: right, alpha: 2, beta: 3, value: 0, geometry: geom }),
      periodicBC({ pointsA: f64([[0, 0.5]]), pointsB: f64([[2, 0.5]]), derivatives: [1] }),
    ]);
    const ls = p.losses(p.initialParams).map((l) => l.item());
    expect(p.names).toEqual(['pde', 'dirichlet', 'neumann', 'robin', 'periodic']);
    expect(ls[1]).toBeLessThan(1e-28);
    // ∂u/∂n at y = 0 with n = (0, −1): −(1.5 sin x + 0).
    const nb = [0.5, 1.5].map((x) => -1.5 * Math.sin(x));
    expect(ls[2]).toBeCloseTo((nb[0]! ** 2 + nb[1]! ** 2) / 2, 12);
    // Robin at x = 2 (n = (1, 0)): 2u + 3 u_x.
    const rb = [0.25, 0.75].map((y) => 2 * u(2, y) + 3 * 1.5 * Math.cos(2) * y);
    expect(ls[3]).toBeCloseTo((rb[0]! ** 2 + rb[1]! ** 2) / 2, 12);
    // Periodic in x at y = 0.5: [u(0) − u(2), u_y(0) − u_y(2)].
    const pv = [u(0, 0.5) - u(2, 0.5), 1.5 * (Math.sin(0) - Math.sin(2))];
    expect(ls[4]).toBeCloseTo((pv[0]! ** 2 + pv[1]! ** 2) / 2, 12);
    // Laplacian of u: −1.5 sin(x) y + 2.
    const xs = host(p.collocation);
    const r = host(p.residual(p.initialParams));
    r.forEach((v, i) => expect(v).toBeCloseTo(-1.5 * Math.sin(xs[2 * i]!) * xs[2 * i + 1]! + 2, 12));
  });

  it('observations, initial conditions and custom conditions; repeated names are numbered', () => {
    const pts = f64([
      [0.5, 0.5],
      [1, 0.2],
    ]);
    const p = problem([
      observations({ points: pts, values: tensor([u(0.5, 0.5), u(1, 0.2)], { dtype: 'float64' }) }),
      observations({ points: pts, values: 0, weight: 2 }),
      customCondition({
        points: pts,
        order: 1,
        residual: (D) => sub(D.d(0), mul(mul(cos(col(D.x, 0)), col(D.x, 1)), 1.5)),
      }),
    ]);
    expect(p.names).toEqual(['pde', 'data', 'data2', 'custom']);
    const ls = p.losses(p.initialParams).map((l) => l.item());
    expect(ls[1]).toBeLessThan(1e-28);
    expect(ls[2]).toBeCloseTo((u(0.5, 0.5) ** 2 + u(1, 0.2) ** 2) / 2, 12);
    expect(ls[3]).toBeLessThan(1e-28);
    expect(p.weights).toEqual([1, 1, 2, 1]);
    const ic = initialCondition({ points: f64([[0.1, 0]]), value: 0 });
    expect(
      ic.residual({ value: () => tensor([[3]], { dtype: 'float64' }) } as never, { coefficients: {} }).item(),
    ).toBe(3);
  });

  it('rejects bad conditions and points', () => {
    expect(() => dirichletBC({ points: f64([[0.5, 0.5]]), value: 0, geometry: geom })).toThrow(/not on the boundary/);
    expect(() => dirichletBC({ points: f64([[0, 0]]), value: Number.NaN })).toThrow(/finite/);
    expect(() => dirichletBC({ points: f64([[0, 0]]), value: tensor([1, 2]) })).toThrow(ShapeError);
    expect(() => neumannBC({ points: f64([[0, 0.5]]), value: 0 })).toThrow(/normals/);
    expect(() => robinBC({ points: f64([[0, 0.5]]), alpha: 0, beta: 0, value: 0, geometry: geom })).toThrow(
      /both be zero/,
    );
    expect(() =>
      periodicBC({
        pointsA: f64([[0, 0]]),
        pointsB: f64([
          [0, 0],
          [1, 1],
        ]),
      }),
    ).toThrow(/pair up/);
    expect(() => dirichletBC({ points: f64([[0, 0]]), value: 0, weight: -1 })).toThrow(/weight must be positive/);
    expect(() => problem([dirichletBC({ points: f64([[5, 0]]), value: 0 })])).toThrow(/lies outside/);
    expect(() => pinn({ model, geometry: geom, collocation: f64([[0.5, 3]]), pde: (D) => D.value() })).toThrow(
      /point 0 \(0.5, 3\) lies outside/,
    );
    expect(() => pinn({ model, collocation: tensor([[0.5, 0.5]]), pde: (D) => D.value() })).toThrow(
      /float32 but the model is float64/,
    );
    expect(() =>
      pinn({
        model,
        collocation: f64([[0.5, 0.5]]),
        pde: (D) => D.value(),
        coefficients: { k: Number.POSITIVE_INFINITY },
      }),
    ).toThrow(/coefficient 'k' must be a finite/);
    expect(() => pinn({ model, collocation: f64([[0.5, 0.5]]), pde: (D) => D.value(), derivatives: 'taylor' })).toThrow(
      /model.jet/,
    );
    const bad = pinn({ model, collocation: f64([[0.5, 0.5]]), pde: () => tensor([1, 2], { dtype: 'float64' }) });
    expect(() => bad.residual(bad.initialParams)).toThrow(/PDE residual 0 must be/);
    const valuesOnly = pinn({
      model,
      collocation: f64([[0.5, 0.5]]),
      pde: (D) => D.value(),
      conditions: [customCondition({ points: f64([[0, 0]]), order: 0, residual: (D) => D.d(0) })],
    });
    expect(() => valuesOnly.losses(valuesOnly.initialParams)).toThrow(/order 0/);
  });
});

describe('hard constraints and derivative modes', () => {
  it('Taylor mode and reverse mode give the same residuals through a hard constraint', () => {
    const geom = spaceTime(interval(-1, 1), timeDomain(0, 1));
    const x = geom.sample(16, { dtype: 'float64', seed: 2 });
    const transform = hardConstraint({
      particular: (p) => neg(sin(mul(col(p, 0), Math.PI))),
      distance: (p) => mul(col(p, 1), sub(1, square(col(p, 0)))),
    });
    const pde = (D: { d(i: number): Tensor; d2(i: number, j: number): Tensor; value(): Tensor }) =>
      add(D.d(1), mul(D.value(), D.d(0))).sub(mul(D.d2(0, 0), 0.01));
    const net = pinnMlp([2, 10, 10, 1], { dtype: 'float64', key: 3 });
    const mk = (derivatives: 'taylor' | 'reverse', fused = true) =>
      pinn({
        model: fused ? net : { ...net, jet: pinnMlp([2, 10, 10, 1], { dtype: 'float64', key: 3, fused: false }).jet },
        geometry: geom,
        collocation: x,
        pde,
        transform,
        derivatives,
        secondDerivatives: [[0, 0]],
      });
    const [a, b, c] = [mk('taylor'), mk('reverse'), mk('taylor', false)];
    expect(a.useJets && !b.useJets).toBe(true);
    expect(maxAbsDiff(host(a.residual(a.initialParams)), host(b.residual(b.initialParams)))).toBeLessThan(1e-12);
    expect(maxAbsDiff(host(c.residual(c.initialParams)), host(b.residual(b.initialParams)))).toBeLessThan(1e-12);
    // The constraint holds exactly whatever the weights.
    const edges = f64([
      [-1, 0.3],
      [1, 0.8],
      [0.4, 0],
    ]);
    const u = host(a.predict(a.initialParams, edges));
    expect(maxAbsDiff(u, [0, 0, -Math.sin(0.4 * Math.PI)])).toBeLessThan(1e-15);
    // A general output transform with a jet form keeps Taylor mode; without one, reverse mode is used.
    const t1 = outputTransform(
      (_x, y) => exp(y),
      (_X, Y) => Y.exp(),
    );
    const t2 = outputTransform((_x, y) => exp(y));
    const p1 = pinn({ model: net, collocation: x, pde, transform: t1, secondDerivatives: [[0, 0]] });
    const p2 = pinn({ model: net, collocation: x, pde, transform: t2 });
    expect(p1.useJets).toBe(true);
    expect(p2.useJets).toBe(false);
    expect(maxAbsDiff(host(p1.residual(p1.initialParams)), host(p2.residual(p2.initialParams)))).toBeLessThan(1e-12);
  });
});

describe('causal weights', () => {
  it('w_i = exp(−ε Σ_{k<i} L_k) and the weighted loss over time slices', () => {
    expect(Array.from(causalWeights([1, 2, 3], 0.5))).toEqual([1, Math.exp(-0.5), Math.exp(-1.5)]);
    const pts = f64([
      [0, 0.05],
      [0, 0.1],
      [0, 0.6],
      [0, 0.95],
    ]);
    const c = new CausalLoss(pts, { chunks: 4, epsilon: 2, timeRange: [0, 1] });
    const r2 = f64([[1], [3], [4], [5]]);
    // Slices: [0, .25) holds two points (mean 2), [.5, .75) one (4), [.75, 1] one (5); the empty slice is skipped.
    const { loss, weights } = c.loss(r2);
    expect(Array.from(host(weights))).toEqual([1, Math.exp(-4), Math.exp(-12)]);
    expect(loss.item()).toBeCloseTo((2 + 4 * Math.exp(-4) + 5 * Math.exp(-12)) / 3, 14);
    expect(
      () =>
        new CausalLoss(
          f64([
            [0, 1],
            [1, 1],
          ]),
        ),
    ).toThrow(/span no time/);
  });
});

describe('adaptive resampling', () => {
  const geom = interval(0, 1);
  const residualAt = (x: Tensor) => mul(x, x); // largest near x = 1
  it('RAR adds the candidates with the largest residuals, RAD redraws by residual density', () => {
    const x0 = geom.sample(20, { dtype: 'float64' });
    const rar = resample(x0, geom, residualAt, { method: 'rar', every: 1, add: 5, candidates: 200 }, 0);
    expect(rar.shape).toEqual([25, 1]);
    expect(Math.min(...host(rar).slice(20))).toBeGreaterThan(0.95);
    const rad = resample(x0, geom, residualAt, { method: 'rad', every: 1, candidates: 2000, k: 2, c: 0 }, 0);
    expect(rad.shape).toEqual([20, 1]);
    const mean = host(rad).reduce((a, b) => a + b, 0) / 20;
    expect(mean).toBeGreaterThan(0.7);
    const rard = resample(x0, geom, residualAt, { method: 'rar-d', every: 1, add: 7, candidates: 100 }, 1);
    expect(rard.shape).toEqual([27, 1]);
    expect(() => resample(x0, geom, residualAt, { method: 'rad', every: 1, candidates: 5 }, 0)).toThrow(
      /at least as many candidates/,
    );
    expect(() => resample(x0, geom, residualAt, { method: 'nope' as never, every: 1 }, 0)).toThrow(/unknown method/);
  });
  it('density and weighted sampling', () => {
    expect(Array.from(residualDensity([1, 3], 1, 0.5))).toEqual([0.5 + 0.5, 1.5 + 0.5]);
    const counts = [0, 0, 0];
    for (let s = 0; s < 3000; s++) counts[weightedSampleWithoutReplacement([1, 2, 7], 1, s)[0]!]!++;
    expect(counts[2]! / 3000).toBeCloseTo(0.7, 1);
    expect(new Set(weightedSampleWithoutReplacement([1, 1, 1, 1], 4, 3)).size).toBe(4);
  });
});

describe('training', () => {
  // −u'' = π² sin(πx) on [−1, 1], u(±1) = 0: u = sin(πx).
  const geom = interval(-1, 1);
  const make = (transform = false) =>
    pinn({
      model: pinnMlp([1, 16, 16, 1], { dtype: 'float64', key: 1 }),
      geometry: geom,
      collocation: geom.sample(64, { method: 'sobol', dtype: 'float64' }),
      pde: (D) => add(D.d2(0, 0), mul(sin(mul(col(D.x, 0), Math.PI)), Math.PI * Math.PI)),
      conditions: transform ? [] : [dirichletBC({ points: f64([[-1], [1]]), value: 0, weight: 10 })],
      transform: transform ? hardConstraint({ distance: (x) => sub(1, square(x)) }) : undefined,
    });
  const err = (p: ReturnType<typeof make>, params: typeof p.initialParams) => {
    const x = geom.grid(101, { dtype: 'float64' });
    return maxAbsDiff(
      host(p.predict(params, x)),
      Array.from(host(x), (v) => Math.sin(Math.PI * v)),
    );
  };

  it('Adam then L-BFGS solves a 1-D Poisson problem', async () => {
    const p = make(true);
    const steps: string[] = [];
    const r = await trainPinn(p, {
      adam: { steps: 300, lr: 5e-3 },
      lbfgs: { iterations: 300, chunk: 100 },
      onStep: (s) => void steps.push(s.phase),
    });
    expect(err(p, r.params)).toBeLessThan(2e-3);
    expect(steps.filter((s) => s === 'adam').length).toBe(300);
    expect(r.history.at(-1)!.phase).toBe('lbfgs');
    expect(Object.keys(r.history.at(-1)!.losses)).toEqual(['pde']);
  });

  it('loss balancing by Jacobian descent, resampling, callbacks and abort', async () => {
    const p = make(false);
    const before = p.loss(p.initialParams).item();
    const r = await trainPinn(p, {
      adam: { steps: 60, lr: 1e-2 },
      balancing: 'upgrad',
      resampling: { method: 'rar', every: 20, add: 4 },
      logEvery: 20,
    });
    expect(r.history.at(-1)!.loss).toBeLessThan(before);
    expect(r.collocation.shape[0]).toBe(64 + 2 * 4);
    expect(r.history[19]!.losses).toHaveProperty('dirichlet');
    const stopped = await trainPinn(p, { adam: { steps: 50 }, onStep: (s) => s.step < 5 });
    expect(stopped.stopReason).toBe('callback');
    expect(stopped.history.length).toBe(5);
    const ac = new AbortController();
    ac.abort();
    const aborted = await trainPinn(p, { adam: { steps: 50 }, signal: ac.signal });
    expect(aborted.stopReason).toBe('aborted');
    await expect(
      trainPinn(make(true), { adam: { steps: 5 }, resampling: { method: 'rar', every: 0 } }),
    ).rejects.toThrow(ValueError);
  });

  it('recovers a trainable PDE coefficient (inverse problem)', async () => {
    // u'' + k u = 0 with u = sin(2x) observed: k = 4.
    const g = interval(0, 2);
    const xo = g.sample(24, { method: 'sobol', dtype: 'float64', skip: 1 });
    const p = pinn({
      model: pinnMlp([1, 16, 16, 1], { dtype: 'float64', key: 2 }),
      geometry: g,
      collocation: g.sample(48, { method: 'halton', dtype: 'float64' }),
      coefficients: { k: 1 },
      pde: (D, ctx) => add(D.d2(0, 0), mul(D.value(), ctx.coefficients.k!)),
      conditions: [observations({ points: xo, values: (x) => sin(mul(x, 2)), weight: 10 })],
    });
    const r = await trainPinn(p, { adam: { steps: 500, lr: 1e-2 }, lbfgs: { iterations: 300 } });
    expect(r.params.coefficients.k!.item()).toBeCloseTo(4, 2);
  });
});
