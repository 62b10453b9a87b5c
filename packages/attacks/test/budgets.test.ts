import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tensor, type Tensor } from '@difflab/tensor';
import { apgd, fgsm, lpNorm, pgd, square, type Bounds, type Model } from '../src/index.js';
import { catalog } from './helpers/catalog.js';
import { correctDigits, fixtureMlp } from './helpers/model.js';

function check(adv: Tensor, x: Tensor, bounds: Bounds, budget: { norm: 'linf' | 'l2' | 'l1' | 'l0'; eps: number }) {
  expect(adv.shape).toEqual(x.shape);
  expect(adv.dtype).toBe(x.dtype);
  const a = adv.dataSync();
  for (let i = 0; i < a.length; i++) {
    expect(Number.isNaN(a[i]!)).toBe(false);
    expect(a[i]!).toBeGreaterThanOrEqual(bounds[0]);
    expect(a[i]!).toBeLessThanOrEqual(bounds[1]);
  }
  const norms = lpNorm(adv.sub(x), budget.norm === 'l0' ? 0 : budget.norm).dataSync();
  // float32 rounding of x + delta can add an ulp per coordinate.
  const tol = x.dtype === 'float64' ? 1e-12 : 1e-6;
  for (const v of norms) expect(v).toBeLessThanOrEqual(budget.eps * (1 + tol) + tol);
}

describe('every attack stays inside the bounds and its budget', () => {
  const { model } = fixtureMlp();
  const { x, y } = correctDigits(model, 6);
  // Pixels at 0 and at 1 make the box active; the second setting shifts the box to [-1, 2].
  const settings: { name: string; bounds: Bounds; model: Model; x: Tensor; scale: number }[] = [
    { name: '[0, 1]', bounds: [0, 1], model, x, scale: 1 },
    { name: '[-1, 2]', bounds: [-1, 2], model: (z: Tensor) => model(z.add(1).div(3)), x: x.mul(3).sub(1), scale: 3 },
  ];
  for (const s of settings)
    for (const entry of catalog(s.scale)) {
      it(`${entry.name} with bounds ${s.name}`, () => {
        const xx = entry.images ? s.x.reshape([6, 1, 8, 8]) : s.x;
        const adv = entry.run(s.model, xx, y, s.bounds);
        check(adv, xx, s.bounds, entry.budget);
      });
    }

  it('float64 inputs give float64 outputs inside the budget (exact to 1e-12)', () => {
    const m64 = fixtureMlp('float64').model;
    const d = correctDigits(m64, 4, 'float64');
    for (const entry of catalog(1).filter((e) =>
      ['pgd', 'pgd-l2', 'pgd-l1', 'apgd-ce', 'fab', 'square-l2', 'cw'].includes(e.name),
    )) {
      const xx = entry.images ? d.x.reshape([4, 1, 8, 8]) : d.x;
      check(entry.run(m64, xx, d.y, [0, 1]), xx, [0, 1], entry.budget);
    }
  });

  it('eps = 0 returns the inputs unchanged for the L-inf attacks', () => {
    const zero = catalog(0).filter(
      (e) => e.budget.norm === 'linf' && !e.images && e.name !== 'fab' && e.name !== 'autoAttack',
    );
    for (const entry of zero) {
      const adv = entry.run(model, x, y, [0, 1]);
      expect(Array.from(adv.dataSync())).toEqual(Array.from(x.dataSync()));
    }
  });

  it('labels may be plain arrays', () => {
    const adv = catalog(1)[0]!.run(model, x, tensor(Array.from(y.dataSync()), { dtype: 'int32' }), [0, 1]);
    check(adv, x, [0, 1], { norm: 'linf', eps: 0.1 });
  });

  it('property: random eps, steps, norms and keys never leave the ball or the box', () => {
    const x4 = x.reshape([6, 1, 8, 8]);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('linf' as const, 'l2' as const, 'l1' as const),
        fc.integer({ min: 0, max: 1000 }),
        (e, steps, norm, key) => {
          const eps = norm === 'linf' ? e : 5 * e;
          check(pgd(model, x, y, { eps, steps, norm, key, alpha: eps }), x, [0, 1], { norm, eps });
          check(fgsm(model, x, y, { eps: e }), x, [0, 1], { norm: 'linf', eps: e });
          if (norm !== 'l1') {
            check(apgd(model, x, y, { eps, norm, steps, key }), x, [0, 1], { norm, eps });
            check(square(model, x4, y, { eps, norm, queries: steps, key }), x4, [0, 1], { norm, eps });
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
