import { describe, expect, it } from 'vitest';
import { ValueError } from '@difflab/tensor';
import {
  SOBOL_MAX_DIM,
  ackley,
  branin,
  hartmann3,
  hartmann6,
  latinHypercube,
  levy,
  rosenbrock,
  sobol,
  styblinskiTang,
  toBox,
} from '../src/index.js';
import { fixtures } from './helpers/fixtures.js';

describe('Sobol sequence', () => {
  for (const d of ['1', '2', '5', '10', '21']) {
    it(`unscrambled d = ${d} equals scipy.stats.qmc.Sobol (64 points)`, () => {
      const ours = sobol(64, Number(d), { scramble: false });
      expect(ours).toEqual(fixtures.sobol[d]);
    });
  }

  it('scrambled points keep the net property: 2^k points fill every dyadic interval of each axis once', () => {
    const pts = sobol(32, 6, { seed: 42 });
    for (let j = 0; j < 6; j++) {
      const cells = new Set(pts.map((p) => Math.floor(p[j]! * 32)));
      expect(cells.size).toBe(32);
    }
    // 2-D projections of the first two (t = 0) dimensions are (0, m, 2)-nets: one point per 4×8 box.
    const boxes = new Set(pts.map((p) => `${Math.floor(p[0]! * 4)},${Math.floor(p[1]! * 8)}`));
    expect(boxes.size).toBe(32);
    expect(sobol(8, 3, { seed: 1 })).toEqual(sobol(8, 3, { seed: 1 }));
    expect(sobol(8, 3, { seed: 1 })).not.toEqual(sobol(8, 3, { seed: 2 }));
    expect(sobol(4, 3, { seed: 1, skip: 4 })).toEqual(sobol(8, 3, { seed: 1 }).slice(4));
  });

  it('rejects unsupported dimensions and sizes', () => {
    expect(() => sobol(4, SOBOL_MAX_DIM + 1)).toThrow(/latinHypercube/);
    expect(() => sobol(4, 0)).toThrow(ValueError);
    expect(() => sobol(-1, 2)).toThrow(ValueError);
  });
});

describe('Latin hypercube', () => {
  it('puts exactly one point in every stratum of every axis', () => {
    const pts = latinHypercube(20, 7, { seed: 3 });
    for (let j = 0; j < 7; j++) expect(new Set(pts.map((p) => Math.floor(p[j]! * 20))).size).toBe(20);
    expect(() => latinHypercube(3, 0)).toThrow(ValueError);
  });
});

describe('bounds', () => {
  it('accepts pairs or {lower, upper}, rejects empty, inverted and non-finite boxes', () => {
    expect(
      toBox('t', [
        [0, 1],
        [-2, 3],
      ]),
    ).toEqual({ lower: [0, -2], upper: [1, 3], dim: 2 });
    expect(toBox('t', { lower: [0], upper: [2] }).dim).toBe(1);
    expect(() => toBox('t', [[1, 1]])).toThrow(/lower < upper/);
    expect(() => toBox('t', [[2, 1]])).toThrow(/dimension 0/);
    expect(() => toBox('t', [])).toThrow(ValueError);
    expect(() => toBox('t', [[0, Infinity]])).toThrow(/finite/);
    expect(() => toBox('t', { lower: [0, 0], upper: [1] })).toThrow(/entries/);
    expect(() => toBox('t', [[0, 1, 2]] as never)).toThrow(/pair/);
  });
});

describe('test functions', () => {
  const all = [branin, hartmann3, hartmann6, ackley(3), rosenbrock(4), levy(5), styblinskiTang(3)];

  it('take their known minimum value at their known minimizers', () => {
    for (const f of all) for (const x of f.optimum.x) expect(Math.abs(f(x) - f.optimum.value)).toBeLessThan(1e-5);
    expect(branin.optimum.value).toBeCloseTo(0.397887357729738, 12);
    expect(hartmann6([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573])).toBeCloseTo(-3.32237, 5);
    expect(hartmann3([0.114614, 0.555649, 0.852547])).toBeCloseTo(-3.86278, 5);
    expect(styblinskiTang(2).optimum.value).toBeCloseTo(-78.33233140754282, 10);
  });

  it('minimizers are local minima inside the bounds, and random points are worse', () => {
    for (const f of all) {
      const x = f.optimum.x[0]!;
      x.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(f.bounds[i]![0]);
        expect(v).toBeLessThanOrEqual(f.bounds[i]![1]);
      });
      for (let i = 0; i < f.dim; i++)
        for (const h of [1e-3, -1e-3]) {
          const y = [...x];
          y[i]! += h;
          expect(f(y)).toBeGreaterThan(f.optimum.value - 1e-6);
        }
      for (const u of sobol(64, f.dim, { seed: 1 }))
        expect(f(u.map((v, i) => f.bounds[i]![0] + v * (f.bounds[i]![1] - f.bounds[i]![0])))).toBeGreaterThan(
          f.optimum.value - 1e-6,
        );
    }
  });

  it('check the dimension of their input', () => {
    expect(() => branin([1, 2, 3])).toThrow(/2 coordinates/);
    expect(() => ackley(0)).toThrow(ValueError);
    expect(() => rosenbrock(1)).toThrow(ValueError);
    expect(branin.name).toBe('branin');
    expect(hartmann6.dim).toBe(6);
  });
});
