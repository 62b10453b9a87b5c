import { describe, expect, it } from 'vitest';
import { ValueError, tensor } from '@difflab/tensor';
import * as L from '../src/index.js';

// The seeded losses draw from @difflab/tensor's `random` through one seed-to-key rule.
describe('seed options', () => {
  const x = tensor(
    [
      [0, 0],
      [1, 0],
      [0, 1],
    ],
    { dtype: 'float64' },
  );
  const y = x.add(0.5);

  it('a seed names a stream: equal seeds agree, different seeds differ, fractions are truncated', () => {
    const sw = (seed: number) => L.slicedWasserstein(x, y, { seed, projections: 8 }).item();
    expect(sw(3)).toBe(sw(3));
    expect(sw(3)).toBe(sw(3.9));
    expect(sw(3)).not.toBe(sw(4));
    expect(L.sampleCalibratedLoss(2.5).locations).toEqual(L.sampleCalibratedLoss(2).locations);
  });

  it('float32 inputs get float32 directions from the same stream', () => {
    const sw64 = L.slicedWasserstein(x, y, { seed: 1, projections: 8 }).item();
    const sw32 = L.slicedWasserstein(x.astype('float32'), y.astype('float32'), { seed: 1, projections: 8 });
    expect(sw32.dtype).toBe('float32');
    expect(sw32.item()).toBeCloseTo(sw64, 5);
  });

  it('sampled loss parameters stay in their ranges', () => {
    for (let seed = 0; seed < 20; seed++) {
      const l = L.sampleCalibratedLoss(seed, { components: 4, locationRange: [-0.5, 1], scaleRange: [0.2, 2] });
      expect(l.weights.every((w) => w >= 0 && Number.isFinite(w))).toBe(true);
      expect(l.locations.every((m) => m >= -0.5 && m < 1)).toBe(true);
      expect(l.scales.every((s) => s >= 0.2 - 1e-12 && s <= 2 + 1e-12)).toBe(true);
    }
  });

  it('a non-finite seed throws a ValueError naming the op', () => {
    expect(() => L.slicedWasserstein(x, y, { seed: NaN })).toThrow(ValueError);
    expect(() => L.slicedWasserstein(x, y, { seed: NaN })).toThrow(/slicedWasserstein: seed must be a finite integer/);
    expect(() => L.sampleCalibratedLoss(Infinity)).toThrow(/sampleCalibratedLoss: seed must be a finite integer/);
    expect(() => L.ensLoss(tensor([1]), tensor([1]), { seed: NaN })).toThrow(ValueError);
  });
});
