// Bayesian optimization of Branin–Hoo (three global minima, f* = 5/(4π)) against two
// derivative-free baselines with the same evaluation budget.
import { bayesOpt, branin, type IterationInfo } from '@difflab/bayes';
import { cmaes, randomSearch, type SearchResult } from '@difflab/optim';

export interface BayesOptBraninOptions {
  /** Evaluations per run (default 30). */
  budget?: number;
  /** Independent seeds per method (default 3). */
  seeds?: number;
  /** Called after every BO round. */
  onIteration?: (info: { seed: number; evaluations: number; budget: number; best: number }) => void;
}

export interface MethodTrace {
  method: string;
  /** Per seed: best value found after each evaluation. */
  traces: number[][];
  /** Per seed: the best point and its value. */
  best: { x: number[]; y: number }[];
  seconds: number;
}

export interface BayesOptBraninResult {
  optimum: number;
  budget: number;
  methods: MethodTrace[];
  /** Every point BO evaluated with the first seed, in order. */
  boPoints: number[][];
}

/** Running minimum of the values in evaluation order. */
function incumbent(values: readonly number[]): number[] {
  let best = Infinity;
  return values.map((v) => (best = Math.min(best, v)));
}

/** Incumbent after each of the first `budget` evaluations, padded if the search stopped early. */
function padded(values: readonly number[], budget: number): number[] {
  const t = incumbent(values.slice(0, budget));
  while (t.length < budget) t.push(t.at(-1) ?? Infinity);
  return t;
}

export async function bayesOptBranin(opts: BayesOptBraninOptions = {}): Promise<BayesOptBraninResult> {
  const budget = opts.budget ?? 30;
  const seeds = opts.seeds ?? 3;
  const bounds = branin.bounds;
  const methods: MethodTrace[] = [];
  let boPoints: number[][] = [];

  let t0 = performance.now();
  const bo: MethodTrace = { method: 'Bayesian optimization (GP, log-EI)', traces: [], best: [], seconds: 0 };
  for (let seed = 0; seed < seeds; seed++) {
    const r = await bayesOpt({
      objective: (x) => branin(x),
      bounds,
      budget,
      seed,
      onIteration: (info: IterationInfo) =>
        opts.onIteration?.({ seed, evaluations: info.evaluations, budget, best: info.best?.y ?? NaN }),
    });
    bo.traces.push(r.trace);
    bo.best.push(r.best);
    if (seed === 0) boPoints = r.history.map((h) => [...h.x]);
  }
  bo.seconds = (performance.now() - t0) / 1000;
  methods.push(bo);

  const baseline = (method: string, search: (f: (x: Float64Array) => number, seed: number) => SearchResult) => {
    t0 = performance.now();
    const m: MethodTrace = { method, traces: [], best: [], seconds: 0 };
    for (let seed = 0; seed < seeds; seed++) {
      // The searches report the best value per generation; record every evaluation instead.
      const values: number[] = [];
      const r = search((x) => {
        const v = branin(Array.from(x));
        values.push(v);
        return v;
      }, seed);
      m.traces.push(padded(values, budget));
      m.best.push({ x: Array.from(r.x), y: r.value });
    }
    m.seconds = (performance.now() - t0) / 1000;
    methods.push(m);
  };
  baseline('random search', (f, seed) => randomSearch(f, { bounds, budget, seed }));
  baseline('CMA-ES', (f, seed) => cmaes(f, { bounds, budget, seed, x0: [2.5, 7.5], sigma0: 3 }));

  return { optimum: branin.optimum.value, budget, methods, boPoints };
}
