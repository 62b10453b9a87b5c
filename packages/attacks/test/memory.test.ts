import { describe, expect, it } from 'vitest';
import { liveStorage, tidy } from '@difflab/tensor';
import { adam } from '@difflab/optim';
import * as A from '../src/index.js';
import { digitsTensors } from './helpers/fixtures.js';
import { fixtureMlp } from './helpers/model.js';

describe('memory', () => {
  const { model, params, apply } = fixtureMlp();
  const { x, y } = digitsTensors('test', 20);

  it('attacks inside tidy and robustAccuracy leave no live tensors behind', async () => {
    const before = liveStorage.count;
    tidy(() => {
      A.pgd(model, x, y, { eps: 0.1, restarts: 2, steps: 3 });
      A.apgd(model, x, y, { eps: 0.1, steps: 5 });
      A.fab(model, x, y, { steps: 3 });
    });
    await A.robustAccuracy(
      model,
      x,
      y,
      { sq: (m, a, b) => A.square(m, a, b, { eps: 0.1, queries: 10 }) },
      { batchSize: 7 },
    );
    expect(liveStorage.count).toBe(before);
  });

  it('the training loop does not grow with the number of epochs', async () => {
    const run = async (epochs: number) => {
      const before = liveStorage.count;
      const r = await A.adversarialTraining(params, x, y, {
        loss: (p, xb, yb, key) => A.pgdAtLoss(apply, p, xb, yb, { eps: 0.1, steps: 1, key }),
        optimizer: adam({ lr: 1e-3 }),
        epochs,
        batchSize: 5,
      });
      const grown = liveStorage.count - before;
      for (const l of r.params) [l.w, l.b].forEach((t) => t.dispose());
      return grown;
    };
    expect(await run(4)).toBe(await run(1));
  });
});
