import { describe, expect, it } from 'vitest';
import { tensor } from '@difflab/tensor';
import * as optim from '../src/index.js';
import { fx } from './helpers/problems.js';

const make: Record<string, (o: any) => optim.Schedule> = {
  step: optim.stepSchedule,
  multiStep: optim.multiStepSchedule,
  exponential: optim.exponentialSchedule,
  cosine: optim.cosineSchedule,
  cosineWarmRestarts: optim.cosineRestartsSchedule,
  cosineWarmRestarts1: optim.cosineRestartsSchedule,
  linear: optim.linearSchedule,
  polynomial: optim.polynomialSchedule,
  oneCycle: optim.oneCycleSchedule,
  oneCycleLinear3: optim.oneCycleSchedule,
  warmupCosine: (o) => optim.linearWarmup({ ...o, after: optim.cosineSchedule({ lr: o.lr, tMax: o.tMax, etaMin: o.etaMin }) }),
};

describe('schedules match torch.optim.lr_scheduler', () => {
  for (const c of fx.schedules) {
    it(c.name, () => {
      const s = make[c.name]!(c.options);
      c.values.forEach((v: number, k: number) => expect(s(k)).toBeCloseTo(v, 12));
    });
  }

  it('reduceOnPlateau matches ReduceLROnPlateau', () => {
    for (const c of fx.plateau) {
      let st: optim.PlateauState = { scale: 1, best: Infinity, numBad: 0, cooldownCounter: 0 };
      c.metrics.forEach((m: number, k: number) => {
        st = optim.plateauStep(st, m, c.options);
        expect(c.baseLr * st.scale).toBeCloseTo(c.lrs[k], 14);
      });
    }
  });

  it('reduceOnPlateau scales the next update, reading the loss', () => {
    const opt = optim.chain(optim.sgd({ lr: 1 }), optim.reduceOnPlateau({ patience: 0, factor: 0.5 }));
    let params = { x: tensor([1], { dtype: 'float64' }) };
    let state = opt.init(params);
    const g = { x: tensor([1], { dtype: 'float64' }) };
    const steps: number[] = [];
    for (const loss of [1, 1, 1]) {
      const r = opt.update(g, state, params, { loss });
      steps.push(-r.updates.x.item());
      ({ params, state } = r);
    }
    // loss 1 (improves on inf), 1 (bad -> halve for the next step), 1 (bad -> halve again).
    expect(steps).toEqual([1, 1, 0.5]);
    expect(() => opt.update(g, state, params)).toThrow(/reduceOnPlateau: needs the loss/);
  });

  it('a schedule drives the learning rate of an optimizer', () => {
    const opt = optim.sgd({ lr: optim.exponentialSchedule({ lr: 1, gamma: 0.5 }) });
    let params = { x: tensor([0], { dtype: 'float64' }) };
    let state = opt.init(params);
    const g = { x: tensor([1], { dtype: 'float64' }) };
    const xs: number[] = [];
    for (let i = 0; i < 3; i++) {
      ({ params, state } = opt.update(g, state, params));
      xs.push(params.x.item());
    }
    expect(xs).toEqual([-1, -1.5, -1.75]);
  });

  it('joinSchedules restarts each piece at its boundary', () => {
    const s = optim.joinSchedules([optim.constantSchedule(1), optim.exponentialSchedule({ lr: 0.5, gamma: 0.5 })], [3]);
    expect([0, 1, 2, 3, 4, 5].map(s)).toEqual([1, 1, 1, 0.5, 0.25, 0.125]);
  });

  it('validates arguments', () => {
    expect(() => optim.stepSchedule({ lr: 0.1, stepSize: 0 })).toThrow(/stepSchedule: stepSize/);
    expect(() => optim.cosineSchedule({ lr: NaN, tMax: 3 })).toThrow(/cosineSchedule: lr/);
    expect(() => optim.oneCycleSchedule({ maxLr: 1, totalSteps: 10 })(11)).toThrow(/outside the cycle/);
    expect(() => optim.joinSchedules([optim.constantSchedule(1)], [2])).toThrow(/joinSchedules/);
    expect(() => optim.constantSchedule(1)(-1)).toThrow(/step must be/);
    const bad = optim.sgd({ lr: () => -1 });
    const p = { x: tensor([1]) };
    expect(() => bad.update({ x: tensor([1]) }, bad.init(p), p)).toThrow(/sgd: the learning-rate schedule returned -1 at step 0/);
  });
});
