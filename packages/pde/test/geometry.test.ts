import { ValueError, ShapeError, tensor } from '@difflab/tensor';
import { describe, expect, it } from 'vitest';
import {
  box,
  cuboid,
  disk,
  haltonSequence,
  interval,
  latinHypercube,
  polygon,
  rectangle,
  sobolSequence,
  spaceTime,
  timeDomain,
} from '../src/index.js';
import fixtures from './fixtures/sampling.json' with { type: 'json' };

const rows = (t: { toArray(): unknown }) => t.toArray() as number[][];

describe('low-discrepancy sequences', () => {
  it('Sobol matches scipy.stats.qmc.Sobol(scramble=False) in 21 dimensions', () => {
    const { dim, n, skip, points } = fixtures.sobol;
    const got = sobolSequence(n, dim, skip);
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) expect(got[i * dim + d]).toBe(points[i]![d]);
    const first = sobolSequence(16, 3);
    expect(Array.from(first)).toEqual(fixtures.sobolFirst.flat());
  });

  it('Halton matches scipy.stats.qmc.Halton(scramble=False)', () => {
    const { dim, n, skip, points } = fixtures.halton;
    const got = haltonSequence(n, dim, skip);
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) expect(got[i * dim + d]).toBeCloseTo(points[i]![d]!, 14);
  });

  it('Latin hypercube puts one point in every stratum of every axis', () => {
    const n = 37;
    const dim = 4;
    const x = latinHypercube(n, dim, { seed: 3 });
    for (let d = 0; d < dim; d++) {
      const strata = new Set<number>();
      for (let i = 0; i < n; i++) strata.add(Math.floor(x[i * dim + d]! * n));
      expect(strata.size).toBe(n);
    }
    expect(Array.from(latinHypercube(n, dim, { seed: 3 }))).toEqual(Array.from(x));
    expect(Array.from(latinHypercube(n, dim, { seed: 4 }))).not.toEqual(Array.from(x));
    const c = latinHypercube(4, 1, { centered: true });
    expect(Array.from(c).sort()).toEqual([0.125, 0.375, 0.625, 0.875]);
  });

  it('rejects bad sizes', () => {
    expect(() => sobolSequence(4, 22)).toThrow(ValueError);
    expect(() => sobolSequence(-1, 2)).toThrow(/sobol: n/);
    expect(() => haltonSequence(3, 0)).toThrow(ValueError);
  });
});

describe('geometries', () => {
  const methods = ['pseudo', 'sobol', 'halton', 'lhs'] as const;
  const shapes = {
    interval: interval(-1, 2),
    rectangle: rectangle([0, -1], [2, 1]),
    cuboid: cuboid([0, 0, 0], [1, 2, 3]),
    disk: disk([1, -1], 0.5),
    lshape: polygon([
      [0, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1, 2],
      [0, 2],
    ]),
  };

  for (const [name, g] of Object.entries(shapes))
    for (const method of methods)
      it(`${name}: ${method} samples lie inside and boundary samples on the boundary`, () => {
        const x = g.sample(200, { method, seed: 1, dtype: 'float64' });
        expect(x.shape).toEqual([200, g.dim]);
        expect(g.contains(x).every(Boolean)).toBe(true);
        const b = g.sampleBoundary(50, { method, seed: 1, dtype: 'float64' });
        expect(b.shape).toEqual([50, g.dim]);
        expect(g.onBoundary(b).every(Boolean)).toBe(true);
      });

  it('samples are uniform in measure (mean and sub-region fractions)', () => {
    const d = disk([1, -1], 0.5);
    const x = rows(d.sample(4000, { method: 'sobol', dtype: 'float64' }));
    const inner = x.filter(([a, b]) => Math.hypot(a! - 1, b! + 1) < 0.25).length / x.length;
    expect(inner).toBeCloseTo(0.25, 2);
    const mx = x.reduce((s, p) => s + p[0]!, 0) / x.length;
    expect(mx).toBeCloseTo(1, 2);
    const l = shapes.lshape;
    const y = rows(l.sample(3000, { method: 'halton', dtype: 'float64' }));
    // The L-shape has area 3; the unit square [1,2]x[0,1] holds a third of it.
    expect(y.filter(([a, b]) => a! > 1 && b! < 1).length / y.length).toBeCloseTo(1 / 3, 1);
    expect(l.measure).toBe(3);
    expect(l.boundaryMeasure).toBe(8);
  });

  it('pseudo sampling is reproducible from the seed', () => {
    const g = shapes.rectangle;
    expect(rows(g.sample(5, { seed: 7 }))).toEqual(rows(g.sample(5, { seed: 7 })));
    expect(rows(g.sample(5, { seed: 7 }))).not.toEqual(rows(g.sample(5, { seed: 8 })));
  });

  it('box boundary sampling is proportional to face area', () => {
    const g = rectangle([0, 0], [3, 1]);
    const b = rows(g.sampleBoundary(800, { method: 'sobol', dtype: 'float64' }));
    const bottom = b.filter(([, y]) => y === 0).length / b.length;
    const left = b.filter(([x]) => x === 0).length / b.length;
    expect(bottom).toBeCloseTo(3 / 8, 1);
    expect(left).toBeCloseTo(1 / 8, 1);
  });

  it('outward normals', () => {
    const r = rectangle([0, 0], [2, 1]);
    expect(
      rows(
        r.boundaryNormal([
          [1, 0],
          [2, 0.5],
          [0, 0.3],
          [0.5, 1],
        ]),
      ),
    ).toEqual([
      [0, -1],
      [1, 0],
      [-1, 0],
      [0, 1],
    ]);
    const corner = rows(r.boundaryNormal([[2, 1]], { dtype: 'float64' }))[0]!;
    expect(corner[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(corner[1]).toBeCloseTo(Math.SQRT1_2, 12);
    const d = disk([1, 1], 2);
    const n = rows(
      d.boundaryNormal(
        [
          [3, 1],
          [1, -1],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(n[0]![0]).toBeCloseTo(1, 12);
    expect(n[1]![1]).toBeCloseTo(-1, 12);
    // The L-shape listed counter-clockwise and clockwise gives the same outward normals.
    const ccw = shapes.lshape;
    const cw = polygon([...ccw.vertices].reverse());
    for (const g of [ccw, cw]) {
      const m = rows(
        g.boundaryNormal(
          [
            [1.5, 1],
            [1, 1.5],
            [0, 1],
            [1, 0],
          ],
          { dtype: 'float64' },
        ),
      );
      expect(m.map((p) => p.map((v) => Math.round(v * 1e12) / 1e12 + 0))).toEqual([
        [0, 1],
        [1, 0],
        [-1, 0],
        [0, -1],
      ]);
    }
    expect(() => r.boundaryNormal([[1, 0.5]])).toThrow(/not on the boundary/);
  });

  it('contains / onBoundary with tolerance', () => {
    const g = shapes.lshape;
    expect(
      g.contains([
        [0.5, 0.5],
        [1.5, 1.5],
        [1.5, 0.5],
        [2 + 1e-9, 0.5],
      ]),
    ).toEqual([true, false, true, true]);
    expect(g.contains([[2 + 1e-3, 0.5]])).toEqual([false]);
    expect(
      g.onBoundary([
        [1, 1.5],
        [0.5, 0.5],
      ]),
    ).toEqual([true, false]);
    const i = interval(0, 1);
    expect(i.contains(tensor([[0], [1], [1.5]]))).toEqual([true, true, false]);
    expect(rows(i.sampleBoundary(4))).toEqual([[0], [1], [0], [1]]);
  });

  it('grids', () => {
    const r = rectangle([0, 0], [2, 1]);
    const m = rows(r.meshgrid([3, 2]));
    expect(m).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [2, 0],
      [2, 1],
    ]);
    const g = disk([0, 0], 1).grid(300);
    expect(g.shape[0]).toBeGreaterThan(250);
    expect(g.shape[0]).toBeLessThan(350);
    expect(disk([0, 0], 1).contains(g).every(Boolean)).toBe(true);
  });

  it('space-time cylinders', () => {
    const st = spaceTime(interval(-1, 1), timeDomain(0, 1));
    expect(st.dim).toBe(2);
    const x = rows(st.sample(100, { method: 'lhs', dtype: 'float64' }));
    expect(x.every(([a, t]) => a! >= -1 && a! <= 1 && t! >= 0 && t! <= 1)).toBe(true);
    const b = rows(st.sampleBoundary(10, { method: 'sobol' }));
    expect(b.map((p) => p[0])).toEqual([-1, 1, -1, 1, -1, 1, -1, 1, -1, 1]);
    const i0 = st.sampleInitial(20, { dtype: 'float64' });
    expect(rows(i0).every(([, t]) => t === 0)).toBe(true);
    expect(st.onInitial(i0).every(Boolean)).toBe(true);
    const dt = spaceTime(disk([0, 0], 1), timeDomain(0, 2));
    const lat = dt.sampleBoundary(30, { method: 'halton', dtype: 'float64' });
    expect(dt.onBoundary(lat).every(Boolean)).toBe(true);
    const n = rows(dt.boundaryNormal(lat));
    expect(n.every((p) => p[2] === 0 && Math.abs(Math.hypot(p[0]!, p[1]!) - 1) < 1e-6)).toBe(true);
    expect(dt.measure).toBeCloseTo(2 * Math.PI, 12);
  });

  it('rejects empty or invalid domains and bad points', () => {
    expect(() => interval(1, 1)).toThrow(/empty domain/);
    expect(() => rectangle([0, 0], [1, Number.NaN] as [number, number])).toThrow(ValueError);
    expect(() => box([0, 0], [1])).toThrow(ShapeError);
    expect(() => disk([0, 0], 0)).toThrow(/radius must be positive/);
    expect(() => disk([0, Infinity], 1)).toThrow(ValueError);
    expect(() =>
      polygon([
        [0, 0],
        [1, 0],
      ]),
    ).toThrow(/at least 3 vertices/);
    expect(() =>
      polygon([
        [0, 0],
        [1, 0],
        [2, 0],
      ]),
    ).toThrow(/zero area/);
    expect(() =>
      polygon([
        [0, 0],
        [2, 2],
        [2, 0],
        [0, 1],
      ]),
    ).toThrow(/cross/);
    expect(() => timeDomain(1, 0)).toThrow(ValueError);
    const r = rectangle([0, 0], [1, 1]);
    expect(() => r.sample(10, { method: 'nope' as never })).toThrow(/unknown sampling method/);
    expect(() => r.contains(tensor([[0, 0, 0]]))).toThrow(/shape \[n, 2\], got \[1, 3\]/);
    expect(() => r.contains([[0, Number.NaN]])).toThrow(ValueError);
    expect(() =>
      r.assertContains('pinn', [
        [0.5, 0.5],
        [2, 0.5],
      ]),
    ).toThrow(/pinn: point 1 \(2, 0.5\) lies outside/);
  });
});
