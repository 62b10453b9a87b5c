import { describe, expect, it } from 'vitest';
import { DifflabError, ShapeError, ValueError, liveStorage, mul, sum, tensor, type Tensor } from '@difflab/tensor';
import * as optim from '../src/index.js';

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: 'float64' });
const arr = (t: Tensor) => Array.from(t.dataSync());

describe('chain and gradient transforms', () => {
  it('chain(clipByGlobalNorm, sgd) clips before stepping', () => {
    const opt = optim.chain(optim.clipByGlobalNorm(1), optim.sgd({ lr: 0.1 }));
    const params = { a: f64([0, 0]), b: f64([0]) };
    const r = opt.update({ a: f64([3, 0]), b: f64([4]) }, opt.init(params), params);
    // global norm 5 -> scaled by 1/5.
    expect(arr(r.params.a)[0]).toBeCloseTo(-0.06, 14);
    expect(arr(r.params.b)[0]).toBeCloseTo(-0.08, 14);
    const small = opt.update({ a: f64([0.3, 0]), b: f64([0.4]) }, opt.init(params), params);
    expect(arr(small.params.a)[0]).toBeCloseTo(-0.03, 14);
  });

  it('chain(clipByGlobalNorm, adamw) equals adamw on clipped gradients', () => {
    const params = { w: f64([1, -2, 3]) };
    const g = { w: f64([10, 0, -10]) };
    const chained = optim.chain(optim.clipByGlobalNorm(1), optim.adamw({ lr: 0.1 }));
    const plain = optim.adamw({ lr: 0.1 });
    const n = Math.sqrt(200);
    const a = chained.update(g, chained.init(params), params).params.w;
    const b = plain.update({ w: f64([10 / n, 0, -10 / n]) }, plain.init(params), params).params.w;
    arr(a).forEach((v, i) => expect(v).toBeCloseTo(arr(b)[i]!, 14));
  });

  it('clipByValue clamps elementwise', () => {
    const t = optim.clipByValue(0.5);
    const p = { x: f64([0, 0, 0]) };
    expect(arr(t.transform({ x: f64([-2, 0.1, 3]) }, t.init(p), p, {}).updates.x)).toEqual([-0.5, 0.1, 0.5]);
    const t2 = optim.clipByValue({ min: -1, max: 0 });
    expect(arr(t2.transform({ x: f64([-2, 0.1, 3]) }, {}, p, {}).updates.x)).toEqual([-1, 0, 0]);
    expect(() => optim.clipByValue({ min: 1, max: 0 })).toThrow(/clipByValue: min 1 exceeds max 0/);
  });

  it('addDecayedWeights honours masks (function and boolean pytree)', () => {
    const params = { w: f64([2]), b: f64([4]) };
    const grads = { w: f64([0]), b: f64([0]) };
    const byFn = optim.chain(optim.addDecayedWeights(0.5, { mask: optim.pathMask(/^w$/) }), optim.sgd({ lr: 1 }));
    const r = byFn.update(grads, byFn.init(params), params);
    expect(arr(r.params.w)).toEqual([1]);
    expect(arr(r.params.b)).toEqual([4]);
    const byTree = optim.chain(optim.addDecayedWeights(0.5, { mask: { w: false, b: true } }), optim.sgd({ lr: 1 }));
    const r2 = byTree.update(grads, byTree.init(params), params);
    expect(arr(r2.params.w)).toEqual([2]);
    expect(arr(r2.params.b)).toEqual([2]);
    expect(() => optim.addDecayedWeights(0.5, { mask: { w: true } }).transform(grads, {}, params, {})).toThrow(/addDecayedWeights: mask has no entry for param 'b'/);
  });

  it('weightDecayMask limits AdamW decay to weights (ndimMask)', () => {
    const params = { w: f64([[1, 1]]), b: f64([1]) };
    const zero = { w: f64([[0, 0]]), b: f64([0]) };
    const opt = optim.adamw({ lr: 0.1, weightDecay: 0.5, weightDecayMask: optim.ndimMask(2) });
    const r = opt.update(zero, opt.init(params), params);
    expect(arr(r.params.w)).toEqual([0.95, 0.95]);
    expect(arr(r.params.b)).toEqual([1]);
  });

  it('masked applies the inner transform to selected leaves only', () => {
    const opt = optim.chain(optim.masked(optim.scale(10), optim.pathMask(/^a$/)), optim.sgd({ lr: 1 }));
    const params = { a: f64([0]), b: f64([0]) };
    const r = opt.update({ a: f64([1]), b: f64([1]) }, opt.init(params), params);
    expect(arr(r.params.a)).toEqual([-10]);
    expect(arr(r.params.b)).toEqual([-1]);
  });

  it('multiSteps averages everyK gradients and steps once', () => {
    const opt = optim.multiSteps(optim.sgd({ lr: 1 }), { everyK: 3 });
    let params = { x: f64([0]) };
    let state = opt.init(params);
    const xs: number[] = [];
    for (const g of [1, 2, 6, 1]) {
      ({ params, state } = opt.update({ x: f64([g]) }, state, params));
      xs.push(params.x.item());
    }
    expect(xs).toEqual([0, 0, -3, -3]);
  });

  it('ema of updates is debiased', () => {
    const t = optim.ema(0.5);
    const p = { x: f64([0]) };
    let s = t.init(p);
    const out: number[] = [];
    for (const g of [2, 4]) {
      const r = t.transform({ x: f64([g]) }, s, p, {});
      s = r.state;
      out.push(r.updates.x.item());
    }
    // m1 = 1 -> /0.5 = 2; m2 = 0.5 + 2 = 2.5 -> /0.75.
    expect(out[0]).toBeCloseTo(2, 14);
    expect(out[1]).toBeCloseTo(2.5 / 0.75, 14);
  });

  it('emaParams and polyakAverage track parameter averages', () => {
    const ps = [1, 2, 3, 4].map((v) => ({ x: f64([v]) }));
    const pol = optim.polyakAverage();
    let s = pol.init(ps[0]);
    for (const p of ps.slice(1)) s = pol.update(p, s);
    expect(pol.value(s, ps[0]).x.item()).toBeCloseTo(2.5, 14);
    const e = optim.emaParams({ decay: 0.5 });
    let se = e.init(ps[0]);
    se = e.update(ps[1], se);
    expect(e.value(se, ps[0]).x.item()).toBeCloseTo(1.5, 14);
    expect(() => pol.update({ x: f64([1, 2]) }, s)).toThrow(ShapeError);
  });

  it('lookahead pulls the slow weights towards the fast ones every k steps', () => {
    const opt = optim.lookahead(optim.sgd({ lr: 1 }), { syncPeriod: 2, alpha: 0.5 });
    let params = { x: f64([0]) };
    let state = opt.init(params);
    const xs: number[] = [];
    for (let i = 0; i < 4; i++) {
      ({ params, state } = opt.update({ x: f64([1]) }, state, params));
      xs.push(params.x.item());
    }
    // fast: -1, -2 -> slow 0 + 0.5(-2) = -1; fast -2, -3 -> slow -1 + 0.5(-3 + 1) = -2.
    expect(xs).toEqual([-1, -1, -2, -2]);
  });
});

describe('sgd options', () => {
  it('maximize ascends and weightDecayMask limits the L2 term', () => {
    const params = { w: f64([1]), b: f64([1]) };
    const opt = optim.sgd({ lr: 0.1, maximize: true, weightDecay: 1, weightDecayMask: optim.pathMask(/^w$/) });
    const r = opt.update({ w: f64([2]), b: f64([2]) }, opt.init(params), params);
    // w: g = -2 + 1·1 = -1 -> 1 + 0.1; b: g = -2 -> 1 + 0.2.
    expect(arr(r.params.w)[0]).toBeCloseTo(1.1, 14);
    expect(arr(r.params.b)[0]).toBeCloseTo(1.2, 14);
  });
});

describe('errors name the optimizer and the problem', () => {
  const params = { w: f64([1, 2]), b: f64([0]) };
  it('mismatched pytrees', () => {
    const opt = optim.adam({ lr: 0.1 });
    const s = opt.init(params);
    expect(() => opt.update({ w: f64([1, 2]) } as any, s, params)).toThrow(ValueError);
    expect(() => opt.update({ w: f64([1, 2]) } as any, s, params)).toThrow(/adam: grads do not match the params pytree/);
    expect(() => opt.update({ w: f64([1, 2, 3]), b: f64([0]) }, s, params)).toThrow(/adam: grads leaf 'w' has shape \[3\] but the param has shape \[2\]/);
    const other = opt.init({ w: f64([1]) });
    expect(() => opt.update(params, other, params)).toThrow(/adam: state.mu has 1 entries but the params have 2 leaves/);
  });
  it('bad hyper-parameters', () => {
    expect(() => optim.sgd({ lr: -0.1 })).toThrow(/sgd: lr must be a finite number >= 0/);
    expect(() => optim.adam({ lr: NaN })).toThrow(DifflabError);
    expect(() => optim.adam({ b1: 1 })).toThrow(/adam: b1 must be in \[0, 1\)/);
    expect(() => optim.sgd({ lr: 0.1, nesterov: true })).toThrow(/sgd: nesterov momentum requires momentum > 0/);
    expect(() => optim.rmsprop({ eps: -1 })).toThrow(/rmsprop: eps must be >= 0/);
    expect(() => optim.adafactor({ lr: 0.1, relativeStep: true })).toThrow(/adafactor: pass either lr or relativeStep/);
    expect(() => optim.clipByGlobalNorm(0)).toThrow(/clipByGlobalNorm: maxNorm must be > 0/);
    expect(() => optim.chain()).toThrow(/chain: needs at least one/);
    expect(() => optim.sgd({ lr: 0.1 }).init({})).toThrow(/sgd: params contain no Tensor leaves/);
  });
});

describe('minimize', () => {
  const loss = (p: { x: Tensor }) => sum(mul(p.x, p.x));

  it('runs steps, reports progress and keeps device memory flat', async () => {
    const seen: number[] = [];
    const counts: number[] = [];
    const r = await optim.minimize(loss, { x: f64([3, -4]) }, optim.sgd({ lr: 0.1 }), {
      steps: 30,
      onStep: ({ step, loss: l }) => {
        seen.push(step);
        counts.push(liveStorage.count);
        void l;
      },
    });
    expect(r.steps).toBe(30);
    expect(r.stopReason).toBe('steps');
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(r.losses[0]).toBe(25);
    expect(arr(r.params.x)[0]).toBeCloseTo(3 * 0.8 ** 30, 12);
    expect(counts[29]).toBe(counts[5]);
  });

  it('stops early with patience and returns the best params', () => {
    // A learning rate that oscillates and never improves after the first step.
    const r = optim.minimizeSync(loss, { x: f64([1]) }, optim.sgd({ lr: 1 }), { steps: 100, patience: 3 });
    expect(r.stopReason).toBe('patience');
    expect(r.steps).toBe(4);
    expect(r.bestLoss).toBe(1);
    expect(arr(r.bestParams.x)).toEqual([1]);
  });

  it('honours an AbortSignal', async () => {
    const ac = new AbortController();
    const p = optim.minimize(loss, { x: f64([1]) }, optim.adam({ lr: 0.01 }), { steps: 10000, onStep: ({ step }) => void (step === 4 && ac.abort()), signal: ac.signal });
    const r = await p;
    expect(r.stopReason).toBe('aborted');
    expect(r.steps).toBe(5);
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 5);
    const r2 = await optim.minimize(loss, { x: f64([1]) }, optim.adam({ lr: 0.001 }), { steps: 1e7, signal: ac2.signal });
    expect(r2.stopReason).toBe('aborted');
    expect(r2.steps).toBeLessThan(1e7);
  });

  it('stops on a non-finite loss and when onStep returns false', () => {
    const r = optim.minimizeSync(loss, { x: f64([1]) }, optim.sgd({ lr: 1e200 }), { steps: 10 });
    expect(r.stopReason).toBe('diverged');
    const r2 = optim.minimizeSync(loss, { x: f64([1]) }, optim.sgd({ lr: 0.1 }), { steps: 10, onStep: ({ step }) => step < 2 });
    expect(r2.stopReason).toBe('callback');
    expect(r2.steps).toBe(3);
    expect(() => optim.minimizeSync(loss, { x: f64([1]) }, optim.sgd({ lr: 0.1 }), { steps: -1 })).toThrow(/minimize: steps/);
  });
});
