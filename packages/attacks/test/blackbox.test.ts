import { describe, expect, it } from 'vitest';
import { argmax, oneHot, type Tensor } from '@difflab/tensor';
import * as A from '../src/index.js';
import { accuracy, correctDigits, fixtureMlp } from './helpers/model.js';

const { model } = fixtureMlp();
const { x, y } = correctDigits(model, 20);
const x4 = x.reshape([20, 1, 8, 8]);

/** Counts model calls and queried rows, to check that black-box attacks only use outputs. */
function counting(m: A.Model) {
  const stats = { calls: 0, rows: 0 };
  const wrapped: A.Model = (z: Tensor) => {
    stats.calls++;
    stats.rows += z.shape[0]!;
    return m(z);
  };
  return { wrapped, stats };
}

describe('score-based attacks', () => {
  it('Square L-inf and L2 lower the accuracy within their query budget', () => {
    const { wrapped, stats } = counting(model);
    const adv = A.square(wrapped, x4, y, { eps: 0.1, queries: 150, key: 1 });
    expect(accuracy(model, adv, y)).toBeLessThan(0.75);
    // One query per still-robust example per iteration, plus the clean pass and the initialisation.
    expect(stats.rows).toBeLessThanOrEqual(20 * (150 + 2));
    const l2 = A.square(model, x4, y, { eps: 1, norm: 'l2', queries: 150, key: 1 });
    expect(accuracy(model, l2, y)).toBeLessThan(0.5);
    // The L2 proposals use the full budget before clamping to the box.
    expect(A.lpNorm(l2.sub(x4), 'l2').mean().item()).toBeGreaterThan(0.8);
  });

  it('Square works on flat inputs with strips, and its window schedule halves', () => {
    expect(accuracy(model, A.square(model, x, y, { eps: 0.1, queries: 100 }), y)).toBeLessThan(0.85);
    expect(A.squareSchedule(0.8, 0, 10000)).toBe(0.8);
    expect(A.squareSchedule(0.8, 30, 10000)).toBe(0.4);
    expect(A.squareSchedule(0.8, 9000, 10000)).toBeCloseTo(0.8 / 512, 12);
  });

  it('SPSA and NES estimate gradients from queries only', () => {
    const { wrapped, stats } = counting(model);
    const s = A.spsa(wrapped, x, y, { eps: 0.1, steps: 15, samples: 16, lr: 0.02 });
    expect(accuracy(model, s, y)).toBeLessThan(0.85);
    expect(stats.calls).toBeGreaterThan(15);
    const n = A.nes(model, x, y, { eps: 0.1, steps: 10, samples: 10 });
    expect(accuracy(model, n, y)).toBeLessThan(0.85);
  });
});

describe('decision-based and sparse black-box attacks', () => {
  it('one-pixel changes at most `pixels` pixels and fools some digits', () => {
    const adv = A.onePixel(model, x4, y, { pixels: 3, popSize: 40, generations: 8, key: 2 });
    expect(A.lpNorm(adv.sub(x4), 0).max().item()).toBeLessThanOrEqual(3);
    expect(accuracy(model, adv, y)).toBeLessThan(0.7);
  });

  it('HopSkipJump only needs labels, breaks every example, and shrinks the distance over iterations', () => {
    // The attack sees nothing but the decision: one-hot "logits" of the predicted class.
    const labelsOnly = (z: Tensor) => oneHot(argmax(model(z), 1), 10, 'float32');
    const short = A.hopSkipJump(labelsOnly, x, y, { iterations: 1, initEvals: 20, key: 3 });
    const long = A.hopSkipJump(labelsOnly, x, y, { iterations: 8, initEvals: 50, key: 3 });
    expect(accuracy(model, long, y)).toBe(0);
    const d1 = A.lpNorm(short.sub(x), 'l2').mean().item();
    const d8 = A.lpNorm(long.sub(x), 'l2').mean().item();
    expect(d8).toBeLessThan(d1);
    // Within a small factor of the white-box DeepFool distance.
    expect(d8).toBeLessThan(
      3 *
        A.lpNorm(A.deepfool(model, x, y).sub(x), 'l2')
          .mean()
          .item(),
    );
    const linf = A.hopSkipJump(model, x, y, { iterations: 4, initEvals: 50, norm: 'linf', key: 3 });
    expect(accuracy(model, linf, y)).toBe(0);
  });
});
