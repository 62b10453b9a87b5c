import { describe, expect, it } from 'vitest';
import { tensor, valueAndGrad, type Tensor } from '@difflab/tensor';
import { adam, adamw, chain, clipByGlobalNorm, cosineSchedule, hessianTopEigenvalue, lbfgs, minimize, oneCycleSchedule, sam, sgd } from '../src/index.js';

type P = { w: Tensor; b: Tensor };
const loss = (p: P) => p.w.mul(p.w).sum().add(p.b.sub(1).square().sum());

describe('README examples', () => {
  it('quick start: update and closure forms', () => {
    let params: P = { w: tensor([3, -2]), b: tensor([0]) };
    const opt = adam({ lr: 0.1 });
    let state = opt.init(params);
    for (let i = 0; i < 100; i++) {
      const [, grads] = valueAndGrad(loss)(params) as [Tensor, P];
      ({ params, state } = opt.update(grads, state, params));
    }
    expect(loss(params).item()).toBeLessThan(0.05);
    const opt2 = chain(clipByGlobalNorm(1), adamw({ lr: cosineSchedule({ lr: 1e-2, tMax: 1000 }), weightDecay: 0.01 }));
    let s2 = opt2.init(params);
    const r = opt2.step(loss, params, s2);
    s2 = r.state;
    expect(r.loss.item()).toBeCloseTo(loss(params).item(), 6);
  });

  it('SAM + one-cycle with minimize, L-BFGS, sharpness', async () => {
    const params: P = { w: tensor([3, -2], { dtype: 'float64' }), b: tensor([0], { dtype: 'float64' }) };
    const opt = sam(sgd({ lr: oneCycleSchedule({ maxLr: 0.1, totalSteps: 200 }), momentum: 0.9 }), { rho: 0.05 });
    const seen: number[] = [];
    const result = await minimize(loss, params, opt, { steps: 200, patience: 50, onStep: ({ step }) => void seen.push(step) });
    expect(result.bestLoss).toBeLessThan(1e-3);
    const bfgs = lbfgs({ lineSearch: 'strong-wolfe', historySize: 10 });
    const r = bfgs.step(loss, params, bfgs.init(params));
    expect(loss(r.params).item()).toBeLessThan(1e-12);
    expect(hessianTopEigenvalue(loss, result.params, { iters: 3 }).value).toBeCloseTo(2, 10);
  });
});
