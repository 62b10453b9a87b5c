import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromTypedArray, random, tensor, type Tensor } from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import {
  dlrLoss,
  dlrTargetedLoss,
  klFromLogits,
  lpNorm,
  marginLoss,
  projectBall,
  projectHyperplaneBox,
  randomInBall,
  steepestDirection,
} from '../src/index.js';

const f64 = (a: number[], shape: number[]) => fromTypedArray(Float64Array.from(a), shape, { dtype: 'float64' });

describe('ball projections', () => {
  it('L1 projection equals the soft-threshold found by bisection, and is the identity inside the ball', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0.01, max: 4, noNaN: true }),
        (v, eps) => {
          const p = projectBall(f64(v, [1, v.length]), eps, 'l1').dataSync();
          const l1 = v.reduce((a, b) => a + Math.abs(b), 0);
          if (l1 <= eps) {
            v.forEach((t, i) => expect(p[i]).toBe(t));
            return;
          }
          let lo = 0;
          let hi = Math.max(...v.map(Math.abs));
          for (let k = 0; k < 200; k++) {
            const th = (lo + hi) / 2;
            const s = v.reduce((a, b) => a + Math.max(Math.abs(b) - th, 0), 0);
            if (s > eps) lo = th;
            else hi = th;
          }
          v.forEach((t, i) => expect(p[i]).toBeCloseTo(Math.sign(t) * Math.max(Math.abs(t) - hi, 0), 9));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('L2 and L-inf projections land inside the ball and do not move points already inside', () => {
    const d = random.normal(random.key(0), [20, 7], { dtype: 'float64' });
    for (const p of ['l2', 'linf', 'l1'] as const) {
      const r = projectBall(d, 0.7, p);
      for (const v of lpNorm(r, p).dataSync()) expect(v).toBeLessThanOrEqual(0.7 + 1e-12);
      const small = d.mul(1e-3);
      expect(Array.from(projectBall(small, 0.7, p).dataSync())).toEqual(Array.from(small.dataSync()));
    }
  });

  it('random starts are inside the ball and fill it', () => {
    for (const p of ['linf', 'l2', 'l1'] as const) {
      const s = randomInBall(random.key(3), [500, 6], 0.5, p, 'float64');
      const n = Array.from(lpNorm(s, p).dataSync());
      for (const v of n) expect(v).toBeLessThanOrEqual(0.5 + 1e-12);
      // Uniform in a d-ball: P(||x|| <= r) = (r / eps)^d, so about 1/64 of the points lie in the half-radius ball.
      const inner = n.filter((v) => v <= 0.25).length / n.length;
      expect(inner).toBeLessThan(0.05);
      expect(Math.max(...n)).toBeGreaterThan(0.45);
    }
  });

  it('steepest directions have unit size in their norm', () => {
    const g = random.normal(random.key(1), [5, 40], { dtype: 'float64' });
    expect(Array.from(lpNorm(steepestDirection(g, 'l2'), 'l2').dataSync()).every((v) => Math.abs(v - 1) < 1e-9)).toBe(
      true,
    );
    const l1 = steepestDirection(g, 'l1', 0.1);
    expect(Array.from(lpNorm(l1, 'l1').dataSync()).every((v) => Math.abs(v - 1) < 1e-12)).toBe(true);
    expect(Array.from(lpNorm(l1, 0).dataSync())).toEqual([4, 4, 4, 4, 4]);
    expect(Array.from(lpNorm(steepestDirection(g, 'linf'), 'linf').dataSync())).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('projection onto a hyperplane inside a box (FAB)', () => {
  // In 2-D the feasible set {w.z = b} ∩ box is a segment; a fine scan along it gives the optimum.
  const brute = (p: number[], w: number[], b: number, lo: number, hi: number, q: 'linf' | 'l2' | 'l1') => {
    let best = Infinity;
    const dirx = -w[1]!;
    const diry = w[0]!;
    const ww = w[0]! ** 2 + w[1]! ** 2;
    const z0 = [(w[0]! * b) / ww, (w[1]! * b) / ww];
    for (let k = -20000; k <= 20000; k++) {
      const t = k * 2e-4;
      const z = [z0[0]! + t * dirx, z0[1]! + t * diry];
      if (z[0]! < lo || z[0]! > hi || z[1]! < lo || z[1]! > hi) continue;
      const dx = Math.abs(z[0]! - p[0]!);
      const dy = Math.abs(z[1]! - p[1]!);
      best = Math.min(best, q === 'linf' ? Math.max(dx, dy) : q === 'l2' ? Math.hypot(dx, dy) : dx + dy);
    }
    return best;
  };
  it('matches a brute-force scan in 2-D for L-inf, L2 and L1', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.tuple(fc.double({ min: 0.2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.constantFrom('linf' as const, 'l2' as const, 'l1' as const),
        (p, w, s, q) => {
          // A hyperplane through the box: it passes through (s, 0.5).
          const b = w[0] * s + w[1] * 0.5;
          const d = projectHyperplaneBox(Float64Array.from(p), Float64Array.from(w), b, 0, 1, q);
          const z = [p[0] + d[0]!, p[1] + d[1]!];
          expect(Math.abs(w[0] * z[0]! + w[1] * z[1]! - b)).toBeLessThan(1e-9);
          for (const v of z) {
            expect(v).toBeGreaterThanOrEqual(-1e-12);
            expect(v).toBeLessThanOrEqual(1 + 1e-12);
          }
          const n =
            q === 'linf'
              ? Math.max(Math.abs(d[0]!), Math.abs(d[1]!))
              : q === 'l2'
                ? Math.hypot(d[0]!, d[1]!)
                : Math.abs(d[0]!) + Math.abs(d[1]!);
          expect(n).toBeLessThanOrEqual(brute(p, w, b, 0, 1, q) + 1e-9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('returns the closest reachable point when the box cannot reach the hyperplane', () => {
    const d = projectHyperplaneBox(Float64Array.from([0.5, 0.5]), Float64Array.from([1, 1]), 5, 0, 1, 'l2');
    expect(Array.from(d)).toEqual([0.5, 0.5]);
  });
});

describe('objective gradients (float64 finite differences)', () => {
  const z = random.normal(random.key(7), [4, 6], { dtype: 'float64' });
  const y = tensor([0, 2, 5, 1], { dtype: 'int32' });
  const t = tensor([3, 3, 0, 4], { dtype: 'int32' });
  it('DLR, targeted DLR, margin, KL', () => {
    gradcheck((a: Tensor) => dlrLoss(a, y), [z]);
    gradcheck((a: Tensor) => dlrTargetedLoss(a, y, t), [z]);
    gradcheck((a: Tensor) => marginLoss(a, y), [z]);
    gradcheck((a: Tensor, b: Tensor) => klFromLogits(a, b), [z, z.mul(0.5).add(0.3)]);
  });
});
