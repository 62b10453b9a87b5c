import { ValueError, add, fromTypedArray, mul, sum, valueAndGrad, type Tensor } from '@difflab/tensor';
import { sobol, SOBOL_MAX_DIM } from '../design/sobol.js';
import { latinHypercube } from '../design/lhs.js';
import { toBox, type BoundsLike, type Box } from '../design/bounds.js';
import type { AcquisitionFunction } from './types.js';

/**
 * Options of {@link optimizeAcquisition}; BoTorch's `optimize_acqf` arguments.
 *
 * @example
 * ```ts
 * import type { OptimizeAcquisitionOptions } from '@difflab/bayes';
 * const opts: OptimizeAcquisitionOptions = { bounds: [[0, 1], [-5, 5]], q: 1, restarts: 10, rawSamples: 512, steps: 100, seed: 0 };
 * ```
 */
export interface OptimizeAcquisitionOptions {
  /** Box in which candidates live (the model's input units). */
  bounds: BoundsLike;
  /** Points per candidate batch, optimized jointly. Default 1. */
  q?: number;
  /** Gradient-ascent starts. Default 8. */
  restarts?: number;
  /** Quasi-random candidates whose best become the starts. Default 512. */
  rawSamples?: number;
  /** Extra start candidates `[k][q][d]` or `[k][d]` (e.g. around the incumbent), scored with the raw samples. */
  initial?: readonly (readonly number[])[] | readonly (readonly (readonly number[])[])[];
  /** Projected Adam steps per start. Default 100. */
  steps?: number;
  /** Initial step size in unit-cube coordinates (cosine-decayed to 1% of it). Default 0.05. */
  lr?: number;
  /** Seed of the randomness. Default 0. */
  seed?: number;
  /** Batch size for scoring raw samples. Default 256. */
  chunk?: number;
}

/**
 * What {@link optimizeAcquisition} returns.
 *
 * @example
 * ```ts
 * import { fitGP, expectedImprovement, optimizeAcquisition, type OptimizeAcquisitionResult } from '@difflab/bayes';
 * const gp = fitGP([[0.1], [0.5], [0.9]], [1.0, 0.2, 0.7]);
 * const res: OptimizeAcquisitionResult = optimizeAcquisition(expectedImprovement(gp, { maximize: false }), { bounds: [[0, 1]] });
 * res.x; // [[x]]: the proposal
 * res.value; // its EI
 * ```
 */
export interface OptimizeAcquisitionResult {
  /** Best candidate batch `[q][d]`. */
  x: number[][];
  /** Its acquisition value. */
  value: number;
  /** Value of every start after ascent. */
  values: number[];
}

/**
 * Maximizes an acquisition function over a box by multi-start projected gradient ascent
 * (BoTorch's recipe): score `rawSamples` scrambled-Sobol batches (plus `initial`), keep the
 * `restarts` best, then run Adam steps in unit-cube coordinates with projection onto the box,
 * gradients from autodiff through the acquisition. The best iterate seen is returned.
 *
 * BoTorch's `optimize_acqf`.
 *
 * @param acq - the acquisition to maximize.
 * @param opts - bounds, q, restarts, raw samples and Adam settings.
 * @returns The best batch found, its value and every start's final value.
 * @throws {ValueError} for invalid bounds or a q above the acquisition's `maxQ`.
 *
 * @example
 * ```ts
 * import { fitGP, upperConfidenceBound, optimizeAcquisition } from '@difflab/bayes';
 * const gp = fitGP([[0, 0], [1, 1], [0.5, 0.2]], [0.3, 1.2, 0.1]);
 * const { x, value } = optimizeAcquisition(upperConfidenceBound(gp, { beta: 1 }), {
 *   bounds: [[0, 1], [0, 1]],
 *   restarts: 4,
 *   rawSamples: 128,
 * });
 * ```
 */
export function optimizeAcquisition(
  acq: AcquisitionFunction,
  opts: OptimizeAcquisitionOptions,
): OptimizeAcquisitionResult {
  const op = 'optimizeAcquisition';
  const box = toBox(op, opts.bounds);
  const d = box.dim;
  const q = opts.q ?? 1;
  if (!Number.isInteger(q) || q < 1) throw new ValueError(`${op}: q must be a positive integer, got ${q}`);
  if (q > acq.maxQ) throw new ValueError(`${op}: acquisition '${acq.kind}' supports q <= ${acq.maxQ}, got q = ${q}`);
  const restarts = opts.restarts ?? 8;
  const rawSamples = Math.max(opts.rawSamples ?? 512, restarts);
  const steps = opts.steps ?? 100;
  const lr0 = opts.lr ?? 0.05;
  const seed = opts.seed ?? 0;
  const chunk = opts.chunk ?? 256;
  const width = q * d;

  // Raw candidates in the unit cube, flattened [k, q·d].
  const raw: Float64Array[] = [];
  const pts = d * q <= SOBOL_MAX_DIM ? sobol(rawSamples, d * q, { seed }) : latinHypercube(rawSamples, d * q, { seed });
  for (const p of pts) raw.push(Float64Array.from(p));
  for (const c of opts.initial ?? []) {
    const flat = (c as unknown[]).flat(2) as number[];
    if (flat.length !== width)
      throw new ValueError(`${op}: initial candidates need ${q}×${d} values, got ${flat.length}`);
    raw.push(
      Float64Array.from(flat, (v, i) => clamp01((v - box.lower[i % d]!) / (box.upper[i % d]! - box.lower[i % d]!))),
    );
  }
  const scores = new Float64Array(raw.length);
  for (let s = 0; s < raw.length; s += chunk) {
    const part = raw.slice(s, s + chunk);
    const vals = acq(toInputs(box, part, q)).dataSync();
    for (let i = 0; i < part.length; i++) scores[s + i] = Number.isFinite(vals[i]!) ? vals[i]! : -Infinity;
  }
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  const chosen = order.slice(0, restarts).map((i) => Float64Array.from(raw[i]!));
  const k = chosen.length;

  // Batched projected Adam on u ∈ [0, 1]^{k × q × d}.
  const u = new Float64Array(k * width);
  chosen.forEach((c, i) => u.set(c, i * width));
  const m = new Float64Array(u.length);
  const v = new Float64Array(u.length);
  const bestU = Float64Array.from(u);
  const bestVal = new Float64Array(k).fill(-Infinity);
  const objective = (ut: Tensor) => {
    const vals = acq(unitToInputs(box, ut));
    return { total: sum(vals), vals };
  };
  const vg = valueAndGrad(
    (ut: Tensor) => {
      const o = objective(ut);
      return [o.total, o.vals];
    },
    { hasAux: true },
  );
  const b1 = 0.9;
  const b2 = 0.999;
  for (let t = 0; t <= steps; t++) {
    const ut = fromTypedArray(Float64Array.from(u), [k, q, d], { dtype: 'float64' });
    let g: Float64Array;
    let vals: Float64Array;
    if (t < steps) {
      const [[, aux], gt] = vg(ut) as [[Tensor, Tensor], Tensor];
      g = gt.dataSync() as Float64Array;
      vals = aux.dataSync() as Float64Array;
    } else {
      vals = objective(ut).vals.dataSync() as Float64Array;
      g = new Float64Array(u.length);
    }
    for (let i = 0; i < k; i++) {
      if (vals[i]! > bestVal[i]!) {
        bestVal[i] = vals[i]!;
        bestU.set(u.subarray(i * width, (i + 1) * width), i * width);
      }
    }
    if (t === steps) break;
    const lr = lr0 * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * t) / steps)));
    let moved = 0;
    for (let i = 0; i < u.length; i++) {
      const gi = Number.isFinite(g[i]!) ? g[i]! : 0;
      m[i] = b1 * m[i]! + (1 - b1) * gi;
      v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
      const mh = m[i]! / (1 - b1 ** (t + 1));
      const vh = v[i]! / (1 - b2 ** (t + 1));
      const next = clamp01(u[i]! + (lr * mh) / (Math.sqrt(vh) + 1e-12));
      moved = Math.max(moved, Math.abs(next - u[i]!));
      u[i] = next;
    }
    if (moved < 1e-9) {
      // Converged (or pinned at the box): score the final point and stop.
      const vals2 = objective(fromTypedArray(Float64Array.from(u), [k, q, d], { dtype: 'float64' })).vals.dataSync();
      for (let i = 0; i < k; i++)
        if (vals2[i]! > bestVal[i]!) {
          bestVal[i] = vals2[i]!;
          bestU.set(u.subarray(i * width, (i + 1) * width), i * width);
        }
      break;
    }
  }
  let best = 0;
  for (let i = 1; i < k; i++) if (bestVal[i]! > bestVal[best]!) best = i;
  const x: number[][] = [];
  for (let j = 0; j < q; j++)
    x.push(
      Array.from(
        { length: d },
        (_, c) => box.lower[c]! + bestU[best * width + j * d + c]! * (box.upper[c]! - box.lower[c]!),
      ),
    );
  return { x, value: bestVal[best]!, values: Array.from(bestVal) };
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

function toInputs(box: Box, units: Float64Array[], q: number): Tensor {
  const d = box.dim;
  const data = new Float64Array(units.length * q * d);
  units.forEach((u, i) => {
    for (let j = 0; j < q * d; j++) {
      const c = j % d;
      data[i * q * d + j] = box.lower[c]! + u[j]! * (box.upper[c]! - box.lower[c]!);
    }
  });
  return fromTypedArray(data, [units.length, q, d], { dtype: 'float64' });
}

function unitToInputs(box: Box, u: Tensor): Tensor {
  const d = box.dim;
  const lo = fromTypedArray(Float64Array.from(box.lower), [d], { dtype: 'float64' });
  const w = fromTypedArray(
    Float64Array.from(box.upper, (hi, i) => hi - box.lower[i]!),
    [d],
    { dtype: 'float64' },
  );
  return add(lo, mul(u, w));
}
