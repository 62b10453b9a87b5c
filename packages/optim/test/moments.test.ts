import { describe, expect, it } from 'vitest';
import { ValueError, tensor } from '@difflab/tensor';
import * as optim from '../src/index.js';

// adamax, nadam, radam and lamb validate their shared options and state through one helper.
const family = { adamax: optim.adamax, nadam: optim.nadam, radam: optim.radam, lamb: optim.lamb } as const;

describe('Adam-style moment optimizers share validation and state', () => {
  for (const [name, make] of Object.entries(family)) {
    it(`${name}: options are checked lr first, then betas, eps, weight decay`, () => {
      expect(() => make({ lr: -1, b1: 2, eps: -1 })).toThrow(new RegExp(`^${name}: lr must be`));
      expect(() => make({ b1: 1.5, eps: -1 })).toThrow(ValueError);
      expect(() => make({ b1: 1.5, eps: -1 })).toThrow(new RegExp(`^${name}: .*b1`));
      expect(() => make({ eps: -1, weightDecay: -1 })).toThrow(new RegExp(`^${name}: eps must be >= 0`));
      expect(() => make({ weightDecay: -1 })).toThrow(new RegExp(`^${name}: weightDecay must be >= 0`));
    });

    it(`${name}: zero moments at init, one step advances the count, foreign state is rejected`, () => {
      const opt = make({ lr: 0.1 });
      const params = { a: tensor([1, -2]), b: tensor([[0.5]]) };
      const s0 = opt.init(params) as { count: number } & Record<string, unknown>;
      expect(s0.count).toBe(0);
      const r = opt.step((p) => p.a.square().sum().add(p.b.sum()), params, s0);
      expect((r.state as { count: number }).count).toBe(1);
      expect(() => opt.update(params, { count: 0 }, params)).toThrow(new RegExp(`^${name}: state\\.`));
      expect(() => opt.update(params, opt.init({ a: tensor([1, -2]) }), params)).toThrow(ValueError);
    });
  }
});
