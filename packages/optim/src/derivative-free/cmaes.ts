import { ValueError } from '@difflab/tensor';
import { createRng } from '../core/prng.js';
import { checkInteger, checkNonNegative, checkPositive } from '../core/validate.js';
import { symEig } from '../internal/host-linalg.js';
import { Tracker, checkBounds, clip, type BlackBoxFn, type Bounds, type SearchOptions, type SearchResult } from './common.js';

/**
 * Options of {@link cmaes} (pycma's `x0`, `sigma0`, `popsize` and IPOP restarts, in camelCase).
 *
 * @example
 * ```ts
 * import type { CMAESOptions } from '@difflab/optim';
 * const o: CMAESOptions = { x0: [1, 1], sigma0: 0.5, restarts: 3, budget: 5000, seed: 0 };
 * ```
 */
export interface CMAESOptions extends SearchOptions {
  /** Initial mean; defaults to the centre of `bounds`. */
  x0?: ArrayLike<number>;
  /** Initial step size (default 0.3 of the smallest bound width, else 0.5). */
  sigma0?: number;
  /** Box constraints: candidates are projected into the box for evaluation; restarts start uniformly inside. */
  bounds?: Bounds;
  /** Population size λ (default 4 + floor(3 ln n)). */
  popSize?: number;
  /** IPOP restarts with doubled population after a stall (default 0). */
  restarts?: number;
  /** Stall criteria: best-value range over recent generations below tolFun, or step size below tolX. */
  tolFun?: number;
  /** Stall when the step size falls below this (see `tolFun`). */
  tolX?: number;
}

/**
 * CMA-ES (Hansen & Ostermeier, 2001; Hansen's 2016 tutorial): a (μ/μ_w, λ) evolution strategy
 * with cumulative step-size adaptation and rank-one + rank-μ covariance updates, plus optional
 * IPOP restarts (Auger & Hansen, 2005) for multimodal functions such as Rastrigin.
 *
 * @param f - The objective to minimise.
 * @param opts - See {@link CMAESOptions}; needs `x0` or `bounds`.
 * @returns The best point found.
 * @throws {ValueError} for missing x0/bounds, mismatched dimensions or invalid settings.
 *
 * @example
 * ```ts
 * import { cmaes } from '@difflab/optim';
 * const rosen = (x: Float64Array) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
 * const r = cmaes(rosen, { x0: [-1, 1], sigma0: 0.5, budget: 3000, seed: 0 });
 * r.value < 1e-6; // true
 * ```
 */
export function cmaes(f: BlackBoxFn, opts: CMAESOptions): SearchResult {
  const op = 'cmaes';
  if (!opts || (opts.x0 === undefined && opts.bounds === undefined)) throw new ValueError(`${op}: needs x0 or bounds`);
  const bounds = opts.bounds === undefined ? undefined : checkBounds(op, opts.bounds, opts.x0?.length);
  const n = opts.x0?.length ?? bounds!.length;
  if (n < 1) throw new ValueError(`${op}: x0 must have at least one coordinate`);
  const x0 = opts.x0 ? Float64Array.from(opts.x0) : Float64Array.from(bounds!, ([lo, hi]) => (lo + hi) / 2);
  x0.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ValueError(`${op}: x0[${i}] is ${v}`);
  });
  const sigma0 = checkPositive(op, 'sigma0', opts.sigma0 ?? (bounds ? 0.3 * Math.min(...bounds.map(([lo, hi]) => hi - lo)) : 0.5));
  const lambda0 = checkInteger(op, 'popSize', opts.popSize ?? 4 + Math.floor(3 * Math.log(n)), 2);
  const restarts = checkInteger(op, 'restarts', opts.restarts ?? 0, 0);
  const tolFun = checkNonNegative(op, 'tolFun', opts.tolFun ?? 1e-12);
  const tolX = checkNonNegative(op, 'tolX', opts.tolX ?? 1e-12);
  const rng = createRng(opts.seed ?? 0);
  const tr = new Tracker(op, f, n, opts, 1000 * n * n);

  let start = x0;
  for (let run = 0; run <= restarts && tr.stop === null; run++) {
    const lambda = lambda0 * 2 ** run;
    if (run > 0) start = bounds ? Float64Array.from(bounds, ([lo, hi]) => lo + (hi - lo) * rng.uniform()) : Float64Array.from(x0, (v) => v + sigma0 * rng.normal());
    runOnce(start, lambda);
  }
  if (tr.stop === null) tr.stop = 'tolerance';
  return tr.result();

  function runOnce(mean0: Float64Array, lambda: number): void {
    const mu = Math.floor(lambda / 2);
    const wRaw = Array.from({ length: mu }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
    const wSum = wRaw.reduce((a, b) => a + b, 0);
    const w = wRaw.map((v) => v / wSum);
    const mueff = 1 / w.reduce((a, b) => a + b * b, 0);
    const cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n);
    const cs = (mueff + 2) / (n + mueff + 5);
    const c1 = 2 / ((n + 1.3) ** 2 + mueff);
    const cmu = Math.min(1 - c1, (2 * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + mueff));
    const damps = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + cs;
    const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));

    const mean = Float64Array.from(mean0);
    let sigma = sigma0;
    const pc = new Float64Array(n);
    const ps = new Float64Array(n);
    let C: Float64Array = new Float64Array(n * n);
    for (let i = 0; i < n; i++) C[i * n + i] = 1;
    let B: Float64Array = Float64Array.from(C);
    let D: Float64Array = new Float64Array(n).fill(1);
    const recent: number[] = [];
    const histLen = 10 + Math.ceil((30 * n) / lambda);

    for (let gen = 0; ; gen++) {
      // Sample and evaluate λ candidates x = m + σ B D z.
      const ys: Float64Array[] = [];
      const fs: number[] = [];
      const dz = new Float64Array(n);
      for (let k = 0; k < lambda && !tr.exhausted; k++) {
        for (let j = 0; j < n; j++) dz[j] = D[j]! * rng.normal();
        const y = new Float64Array(n);
        const x = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += B[i * n + j]! * dz[j]!;
          y[i] = s;
          x[i] = mean[i]! + sigma * s;
        }
        clip(x, bounds);
        ys.push(y);
        fs.push(tr.eval(x));
      }
      if (ys.length < mu) {
        tr.endIteration();
        return;
      }
      const order = fs.map((_, i) => i).sort((a, b) => fs[a]! - fs[b]!);
      const yw = new Float64Array(n);
      for (let i = 0; i < mu; i++) {
        const y = ys[order[i]!]!;
        for (let j = 0; j < n; j++) yw[j]! += w[i]! * y[j]!;
      }
      for (let j = 0; j < n; j++) mean[j]! += sigma * yw[j]!;
      clip(mean, bounds);

      // C^{-1/2} yw = B D^{-1} Bᵀ yw.
      const bty = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += B[j * n + i]! * yw[j]!;
        bty[i] = s / D[i]!;
      }
      const csy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += B[i * n + j]! * bty[j]!;
        csy[i] = s;
      }
      const kps = Math.sqrt(cs * (2 - cs) * mueff);
      for (let i = 0; i < n; i++) ps[i] = (1 - cs) * ps[i]! + kps * csy[i]!;
      const psNorm = Math.hypot(...ps);
      const hsig = psNorm / Math.sqrt(1 - (1 - cs) ** (2 * (gen + 1))) < (1.4 + 2 / (n + 1)) * chiN ? 1 : 0;
      const kpc = hsig * Math.sqrt(cc * (2 - cc) * mueff);
      for (let i = 0; i < n; i++) pc[i] = (1 - cc) * pc[i]! + kpc * yw[i]!;

      const Cn = new Float64Array(n * n);
      const keep = 1 - c1 - cmu + (1 - hsig) * c1 * cc * (2 - cc);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          let rmu = 0;
          for (let k = 0; k < mu; k++) {
            const y = ys[order[k]!]!;
            rmu += w[k]! * y[i]! * y[j]!;
          }
          const v = keep * C[i * n + j]! + c1 * pc[i]! * pc[j]! + cmu * rmu;
          Cn[i * n + j] = v;
          Cn[j * n + i] = v;
        }
      C = Cn;
      sigma *= Math.exp((cs / damps) * (psNorm / chiN - 1));

      const eig = symEig(C, n);
      B = eig.vectors;
      D = Float64Array.from(eig.values, (v) => Math.sqrt(Math.max(v, 1e-300)));

      if (tr.endIteration()) return;
      recent.push(fs[order[0]!]!);
      if (recent.length > histLen) recent.shift();
      const flat = recent.length === histLen && Math.max(...recent, ...fs) - Math.min(...recent, ...fs) < tolFun;
      const tiny = sigma * Math.max(...D) < tolX;
      const illCond = Math.max(...D) / Math.min(...D) > 1e7;
      if (flat || tiny || illCond || !Number.isFinite(sigma)) return;
    }
  }
}
