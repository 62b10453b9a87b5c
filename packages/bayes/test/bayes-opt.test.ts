import { describe, expect, it } from 'vitest';
import { DifflabError, ShapeError, ValueError } from '@difflab/tensor';
import {
  BayesOptimizer,
  bayesOpt,
  branin,
  deepEnsemble,
  upperConfidenceBound,
  type AcquisitionName,
  type BayesOptState,
} from '../src/index.js';

const quad = (x: number[]) => (x[0]! - 0.3) ** 2 + 2 * (x[1]! + 0.2) ** 2;
const box: [number, number][] = [
  [-1, 1],
  [-1, 1],
];
// Cheap settings for the functional checks (quality is checked on Branin with the defaults).
const fast = { fit: { restarts: 0, maxIter: 40 }, optimizer: { restarts: 3, rawSamples: 64, steps: 25 } };

describe('bayesOpt', () => {
  it('reaches Branin regret < 1e-2 within 30 evaluations (defaults: Sobol design, Matérn-5/2 GP, log-EI)', async () => {
    const r = await bayesOpt({ objective: branin, bounds: branin.bounds, budget: 30, seed: 0 });
    expect(r.history.length).toBe(30);
    expect(r.evaluations).toBe(30);
    expect(r.stopReason).toBe('budget');
    expect(r.best.y - branin.optimum.value).toBeLessThan(1e-2);
    expect(r.best.y).toBe(Math.min(...r.history.map((o) => o.y)));
    for (let i = 1; i < r.trace.length; i++) expect(r.trace[i]).toBeLessThanOrEqual(r.trace[i - 1]!);
    expect(r.trace[29]).toBe(r.best.y);
    // 2(d + 1) = 6 initial Sobol points, then one model-based point per round.
    expect(r.history.slice(0, 6).every((o, i) => o.iteration === i)).toBe(true);
    expect(r.history.every((o) => o.x.every((v, j) => v >= branin.bounds[j]![0] && v <= branin.bounds[j]![1]))).toBe(
      true,
    );
  });

  it('records NaN/Infinity/non-number results as invalid and keeps them out of the model', async () => {
    let calls = 0;
    const r = await bayesOpt({
      objective: (x) => {
        calls++;
        if (calls === 2) return Infinity;
        if (calls === 3) return 'oops' as unknown as number;
        return x[0]! > 0.6 ? NaN : quad(x);
      },
      bounds: box,
      budget: 14,
      seed: 3,
      ...fast,
    });
    const invalid = r.history.filter((o) => !o.valid);
    expect(invalid.length).toBeGreaterThanOrEqual(2);
    expect(invalid.every((o) => Number.isNaN(o.y))).toBe(true);
    expect(Number.isFinite(r.best.y)).toBe(true);
    expect(r.best.y).toBe(Math.min(...r.history.filter((o) => o.valid).map((o) => o.y)));
    expect(JSON.stringify(r.state).includes('NaN')).toBe(false);
    expect(r.state.observations.filter((o) => o.y === null).length).toBe(invalid.length);
  });

  it('evaluates async objectives in concurrent batches (joint qEI and kriging-believer log-EI)', async () => {
    for (const acquisition of ['qEi', 'logEi'] as const) {
      let inFlight = 0;
      let peak = 0;
      const r = await bayesOpt({
        objective: async (x) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((res) => setTimeout(res, 2));
          inFlight--;
          return quad(x);
        },
        bounds: box,
        budget: 12,
        batchSize: 3,
        acquisition,
        acquisitionSettings: { samples: 64 },
        seed: 1,
        ...fast,
      });
      expect(peak).toBe(3);
      expect(r.history.length).toBe(12);
      const rounds = new Map<number, number>();
      for (const o of r.history) rounds.set(o.iteration, (rounds.get(o.iteration) ?? 0) + 1);
      expect([...rounds.values()].every((c) => c === 3)).toBe(true);
      // Points of a model-based batch are distinct.
      const last = r.history.slice(9).map((o) => o.x.join());
      expect(new Set(last).size).toBe(3);
      expect(r.best.y).toBeLessThan(0.2);
    }
  });

  it('resumes from a JSON state exactly where it stopped', async () => {
    const base = { objective: quad, bounds: box, seed: 5, ...fast };
    let saved: BayesOptState | null = null;
    const full = await bayesOpt({
      ...base,
      budget: 9,
      onIteration: ({ evaluations, state }) => {
        if (evaluations === 7) saved = JSON.parse(JSON.stringify(state));
      },
    });
    expect(saved).not.toBeNull();
    const resumed = await bayesOpt({ ...base, budget: 9, state: saved! });
    expect(resumed.history.map((o) => [o.x, o.y])).toEqual(full.history.map((o) => [o.x, o.y]));
    expect(resumed.best).toEqual(full.best);
    expect(() => new BayesOptimizer({ bounds: [[0, 1]], state: saved! })).toThrow(/bounds differ/);
  });

  it('stops on AbortSignal and when onIteration returns false', async () => {
    const ac = new AbortController();
    const aborted = await bayesOpt({
      objective: quad,
      bounds: box,
      budget: 50,
      seed: 2,
      signal: ac.signal,
      onIteration: ({ iteration }) => {
        if (iteration === 3) ac.abort();
      },
      ...fast,
    });
    expect(aborted.stopReason).toBe('aborted');
    expect(aborted.history.length).toBe(4);
    const stopped = await bayesOpt({
      objective: quad,
      bounds: box,
      budget: 50,
      seed: 2,
      onIteration: ({ evaluations }) => evaluations < 5,
      ...fast,
    });
    expect(stopped.stopReason).toBe('callback');
    expect(stopped.history.length).toBe(5);
  });

  it('maximizes when asked and accepts a custom acquisition factory', async () => {
    let used = 0;
    const r = await bayesOpt({
      objective: (x) => -quad(x),
      bounds: { lower: [-1, -1], upper: [1, 1] },
      budget: 14,
      maximize: true,
      seed: 4,
      acquisition: (model, ctx) => {
        used++;
        expect(ctx.dim).toBe(2);
        return upperConfidenceBound(model, { beta: 1 });
      },
      ...fast,
    });
    expect(used).toBe(8);
    expect(r.best.y).toBeGreaterThan(-0.1);
    expect(r.best.y).toBe(Math.max(...r.history.map((o) => o.y)));
  });

  it('drives the loop with a custom surrogate (deep ensemble), including fantasized batches', async () => {
    let built = 0;
    const r = await bayesOpt({
      objective: quad,
      bounds: box,
      budget: 10,
      batchSize: 2,
      seed: 6,
      surrogate: (X, y, { seed }) => {
        built++;
        return deepEnsemble(X, y, { members: 2, hidden: [16], steps: 120, seed });
      },
      ...fast,
    });
    expect(r.history.length).toBe(10);
    // Two rounds of two points after the 6-point design: a fit plus one fantasy refit per round.
    expect(built).toBe(4);
    await expect(
      bayesOpt({
        objective: quad,
        bounds: box,
        budget: 8,
        acquisition: 'thompson',
        surrogate: (X, y) => deepEnsemble(X, y, { members: 2, hidden: [8], steps: 20 }),
      }),
    ).rejects.toThrow(/needs the GP/);
  });

  it('rejects bad bounds, budgets, batch sizes and objectives with DifflabErrors', async () => {
    await expect(
      bayesOpt({
        objective: quad,
        bounds: [
          [0, 0],
          [0, 1],
        ],
        budget: 5,
      }),
    ).rejects.toThrow(/lower < upper/);
    await expect(bayesOpt({ objective: quad, bounds: [[1, 0]], budget: 5 })).rejects.toThrow(ValueError);
    await expect(bayesOpt({ objective: quad, bounds: [], budget: 5 })).rejects.toThrow(ValueError);
    await expect(bayesOpt({ objective: quad, bounds: box, budget: 0 })).rejects.toThrow(/budget/);
    await expect(bayesOpt({ objective: quad, bounds: box, budget: 3, batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(bayesOpt({ objective: null as never, bounds: box, budget: 3 })).rejects.toThrow(DifflabError);
    await expect(
      bayesOpt({ objective: quad, bounds: box, budget: 3, acquisition: 'nope' as AcquisitionName }),
    ).rejects.toThrow(/unknown acquisition/);
    await expect(bayesOpt({ objective: () => NaN, bounds: box, budget: 3 })).rejects.toThrow(
      /no evaluation returned a finite value/,
    );
    await expect(
      bayesOpt({
        objective: () => {
          throw new Error('boom');
        },
        bounds: box,
        budget: 3,
      }),
    ).rejects.toThrow('boom');
  });
});

describe('BayesOptimizer (ask/tell)', () => {
  it('every built-in acquisition proposes valid in-bounds points', () => {
    const names: AcquisitionName[] = [
      'ei',
      'logEi',
      'pi',
      'ucb',
      'nei',
      'qEi',
      'qNei',
      'qUcb',
      'kg',
      'mes',
      'thompson',
    ];
    for (const acquisition of names) {
      const bo = new BayesOptimizer({
        bounds: box,
        seed: 7,
        initialPoints: 5,
        acquisition,
        acquisitionSettings: { samples: 32, kgPoints: 16, mesPoints: 64, features: 256 },
        ...fast,
      });
      const init = bo.ask(5);
      bo.tell(init, init.map(quad));
      const [x] = bo.ask(1);
      expect(x!.length).toBe(2);
      expect(x!.every((v) => v >= -1 && v <= 1)).toBe(true);
      expect(bo.model).not.toBeNull();
    }
  });

  it('pending points are fantasized so consecutive asks do not collide; degenerate duplicates are fine', () => {
    const bo = new BayesOptimizer({ bounds: box, seed: 1, initialPoints: 4, ...fast });
    const init = bo.ask(4);
    bo.tell(init, init.map(quad));
    bo.tell([init[0]!, init[0]!], [quad(init[0]!) + 0.01, quad(init[0]!) - 0.01]);
    const [a] = bo.ask();
    const [b] = bo.ask();
    expect(a).not.toEqual(b);
    bo.tell([a!, b!], [quad(a!), quad(b!)]);
    expect(bo.history.length).toBe(8);
    expect(bo.best!.y).toBe(Math.min(...bo.history.map((o) => o.y)));
  });

  it('tell validates shapes and coordinates; state is plain JSON', () => {
    const bo = new BayesOptimizer({ bounds: box, seed: 1 });
    expect(() => bo.tell([[0.1, 0.2, 0.3]], [1])).toThrow(ShapeError);
    expect(() => bo.tell([[0.1, 0.2]], [1, 2])).toThrow(ShapeError);
    expect(() => bo.tell([[0.1, NaN]], [1])).toThrow(ValueError);
    expect(() => bo.ask(0)).toThrow(ValueError);
    bo.tell([0.1, 0.2], 3);
    const s = bo.toJSON();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(() => new BayesOptimizer({ bounds: box, state: { ...s, version: 2 as 1 } })).toThrow(ValueError);
    expect(() => new BayesOptimizer({ bounds: box, initialDesign: 'grid' as 'sobol' })).toThrow(ValueError);
  });
});
