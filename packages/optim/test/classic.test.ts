import { describe, expect, it } from 'vitest';
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
