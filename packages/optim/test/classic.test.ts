import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import * as optim from '../src/index.js';
import { fx, maxDiff, problem } from './helpers/problems.js';

const factories: Record<string, (o: any) => optim.Optimizer> = {
  sgd: optim.sgd,
  adam: optim.adam,
  adamw: optim.adamw,
  adagrad: optim.adagrad,
  rmsprop: optim.rmsprop,
  adadelta: optim.adadelta,
  adamax: optim.adamax,
  nadam: optim.nadam,
  radam: optim.radam,
  lion: optim.lion,
  lamb: optim.lamb,
  adafactor: optim.adafactor,
};

describe('classic optimizers match reference trajectories (20 steps, float64)', () => {
  for (const c of fx.optimizers) {
    it(`${c.name} on ${c.problem} (${c.reference})`, () => {
      const { loss, init } = problem(c.problem);
      const opt = factories[c.optimizer]!(c.options);
      let params = init();
      let state = opt.init(params);
      let worst = 0;
      for (let k = 0; k < c.trajectory.length; k++) {
        const r = opt.step(loss, params, state);
        expect(r.loss.item()).toBeCloseTo(c.losses[k], 9);
        params = r.params;
        state = r.state;
        worst = Math.max(worst, maxDiff(params, c.trajectory[k]));
      }
      expect(worst).toBeLessThan(1e-6);
      // Tighter than the acceptance bound: only rounding separates the two implementations.
      expect(worst).toBeLessThan(1e-10);
    });
  }
});

describe('optimizer updates are differentiable (unrolled hyper-optimization relies on it)', () => {
  const cases: [string, optim.Optimizer][] = [
    ['sgd(momentum, nesterov)', optim.sgd({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1 })],
    ['adam(amsgrad)', optim.adam({ lr: 0.1, amsgrad: true, weightDecay: 0.1 })],
    ['adamw', optim.adamw({ lr: 0.1 })],
    ['rmsprop(centered)', optim.rmsprop({ lr: 0.1, centered: true, momentum: 0.5 })],
    ['nadam', optim.nadam({ lr: 0.1 })],
    ['radam', optim.radam({ lr: 0.1 })],
    ['lamb', optim.lamb({ lr: 0.1, weightDecay: 0.1 })],
    ['adafactor', optim.adafactor({})],
    ['adagrad', optim.adagrad({ lr: 0.1 })],
  ];
  for (const [name, opt] of cases) {
    it(name, () => {
      const w = tensor([[0.5, -1.2], [0.3, 2.0]], { dtype: 'float64' });
      const g1 = tensor([[0.2, -0.4], [1.1, 0.3]], { dtype: 'float64' });
      const s1 = opt.update({ w: g1 }, opt.init({ w }), { w }).state;
      // New params after a second step, as a function of the params and the incoming gradient.
      gradcheck((p: Tensor, g: Tensor) => opt.update({ w: g }, s1, { w: p }).params.w, [w, tensor([[0.7, -0.1], [0.4, -0.9]], { dtype: 'float64' })]);
    });
  }
});
