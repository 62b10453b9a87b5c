import { describe, expect, it } from 'vitest';
import { add, liveStorage, mul, pow, slice, sub, sum, tanh, tensor, tidy, type Tensor } from '@difflab/tensor';
import { lbfgs, cubicInterpolate, strongWolfe } from '../src/index.js';
import { fx, maxDiff, problem } from './helpers/problems.js';

const rosenbrock = (p: { x: Tensor }) => {
  const n = p.x.shape[0]!;
  const a = slice(p.x, { start: 0, stop: n - 1 });
  const b = slice(p.x, { start: 1, stop: n });
  return sum(add(mul(pow(sub(b, mul(a, a)), 2), 100), pow(sub(1, a), 2)));
};

const f64 = (x: unknown) => tensor(x as number[], { dtype: 'float64' });

describe('lbfgs matches torch.optim.LBFGS', () => {
  for (const c of fx.lbfgs) {
    it(c.name, () => {
      const loss = c.problem === 'rosenbrock' ? rosenbrock : problem(c.problem).loss;
      let params: any = Object.fromEntries(Object.entries(c.initial).map(([k, v]) => [k, f64(v)]));
      const opt = lbfgs(c.options);
      let state = opt.init(params);
      let worst = 0;
      c.trajectory.forEach((ref: any, k: number) => {
        const r = opt.step(loss as any, params, state);
        expect(r.loss.item()).toBeCloseTo(c.losses[k], 8);
        params = r.params;
        state = r.state;
        expect(state.funcEvals).toBe(c.funcEvals[k]);
        worst = Math.max(worst, maxDiff(params, ref));
      });
      expect(worst).toBeLessThan(1e-6);
    });
  }

  it('reaches the Rosenbrock minimum', () => {
    let params = { x: f64([-1.5, 2]) };
    const opt = lbfgs({ lineSearch: 'strong-wolfe', historySize: 10 });
    let state = opt.init(params);
    for (let i = 0; i < 4; i++) ({ params, state } = opt.step(rosenbrock, params, state));
    expect(params.x.toArray()).toEqual([expect.closeTo(1, 4), expect.closeTo(1, 4)]);
  });

  it('requires the closure form and validates options', () => {
    const opt = lbfgs();
    const p = { x: f64([1, 2]) };
    expect(() => opt.update({ x: f64([1, 1]) }, opt.init(p), p)).toThrow(/lbfgs: needs the loss function/);
    expect(() => lbfgs({ lr: -1 })).toThrow(/lbfgs: lr must be/);
    expect(() => lbfgs({ historySize: 0 })).toThrow(/lbfgs: historySize/);
    expect(() => lbfgs({ lineSearch: 'armijo' as any })).toThrow(/lbfgs: lineSearch/);
  });
});

describe('strong-Wolfe line search', () => {
  it('cubic interpolation finds the minimiser of a cubic', () => {
    // f(x) = x^3 - 3x on [0, 2]: minimum at x = 1.
    const f = (x: number) => x ** 3 - 3 * x;
    const g = (x: number) => 3 * x * x - 3;
    expect(cubicInterpolate(0, f(0), g(0), 2, f(2), g(2))).toBeCloseTo(1, 12);
    expect(cubicInterpolate(2, f(2), g(2), 0, f(0), g(0))).toBeCloseTo(1, 12);
  });

  it('returns a step satisfying both strong Wolfe conditions', () => {
    // phi(t) = (t - 3)^2 along d = 1 from x = 0.
    const d = f64([1]);
    const obj = (t: number) => ({ f: (t - 3) ** 2, g: f64([2 * (t - 3)]) });
    const r = strongWolfe(obj, 0.1, d, 9, f64([-6]), -6);
    expect(r.f).toBeLessThanOrEqual(9 + 1e-4 * r.t * -6);
    expect(Math.abs(2 * (r.t - 3))).toBeLessThanOrEqual(0.9 * 6);
  });
});

describe('lbfgs memory', () => {
  it('frees each evaluation inside a step, so a tidy around a long step does not hold every graph', () => {
    // 40 tanh/mul pairs per evaluation: without per-evaluation cleanup each iteration would leave
    // hundreds of tensors alive in the caller's tidy (386 per iteration measured before the fix);
    // what must survive is O(historySize) vectors per iteration (49 measured).
    const deep = (p: { x: Tensor }) => {
      let h = p.x;
      for (let i = 0; i < 40; i++) h = mul(tanh(h), 1.01);
      return sum(mul(sub(h, 0.3), sub(h, 0.3)));
    };
    const liveAfter = (maxIter: number) =>
      tidy(() => {
        const before = liveStorage.count;
        const opt = lbfgs({ maxIter, historySize: 3, toleranceGrad: 0, toleranceChange: 0 });
        const params = { x: f64([0.1, -0.2, 0.4, 0.9]) };
        const r = opt.step(deep, params, opt.init(params));
        return { grew: liveStorage.count - before, iters: r.state.nIter };
      });
    const short = liveAfter(2);
    const long = liveAfter(12);
    expect(long.iters).toBe(12);
    expect((long.grew - short.grew) / (long.iters - short.iters)).toBeLessThan(100);
  });
});
