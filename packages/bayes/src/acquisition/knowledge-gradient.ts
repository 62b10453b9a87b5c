import {
  ShapeError,
  ValueError,
  abs,
  add,
  broadcastTo,
  concat,
  div,
  exp,
  expandDims,
  fmtShape,
  fromTypedArray,
  gather,
  mul,
  neg,
  slice,
  sqrt,
  clamp,
  sub,
  sum,
  type Tensor,
} from '@difflab/tensor';
import type { InputLike } from '../gp/data.js';
import type { Surrogate } from '../gp/surrogate.js';
import { logH } from '../ops/normal.js';
import { asBatch, makeAcquisition, type AcquisitionFunction } from './types.js';

/**
 * Options of {@link knowledgeGradient}.
 *
 * @example
 * ```ts
 * import { sobol, type KnowledgeGradientOptions } from '@difflab/bayes';
 * const opts: KnowledgeGradientOptions = { discretization: sobol(64, 2, { seed: 0 }), maximize: false };
 * ```
 */
export interface KnowledgeGradientOptions {
  /** Discretization `[M, d]` of the domain on which the next posterior mean is maximized (e.g. Sobol points plus the observed inputs). */
  discretization: InputLike;
  /** Observation-noise variance of the fantasy observation (y units²). Default: the model's `noiseVariance`, else 0. */
  noise?: number;
  /** Maximize (default) or minimize the objective. */
  maximize?: boolean;
}

/**
 * Discretized knowledge gradient (Frazier, Powell & Dayanik 2009), computed exactly: with
 * `A = D ∪ {x}`, `a = μ_n(A)` and `b = Σ_n(A, x)/√(Σ_n(x, x) + σ²)`,
 * `KG(x) = E_Z[max_i a_i + b_i Z] − max_i a_i`, which equals `Σ_j (b_{j+1} − b_j) h(−|c_j|)` over
 * the upper envelope of the lines `a_i + b_i z` (breakpoints `c_j`, h(z) = φ(z) + zΦ(z)). The
 * envelope's combinatorics are computed on the host; the value is a differentiable function of the
 * gathered `a`, `b`, hence of x.
 *
 * BoTorch's `qKnowledgeGradient` with q = 1 solved on a discrete set instead of by fantasies;
 * useful when the final answer is the posterior-mean maximizer rather than an evaluated point.
 *
 * @param model - a surrogate with `predict`, `predictJoint` or `predictCross` (a {@link GaussianProcess}).
 * @param opts - discretization, fantasy noise and direction.
 * @returns An acquisition over `[b, 1, d]` (or `[b, d]`) candidates.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fitGP, knowledgeGradient, sobol } from '@difflab/bayes';
 * const gp = fitGP([[0.1], [0.5], [0.9]], [1.0, 0.2, 0.7]);
 * const kg = knowledgeGradient(gp, { discretization: sobol(32, 1, { seed: 0 }), maximize: false });
 * kg(tensor([[0.3], [0.7]], { dtype: 'float64' })); // [2], non-negative
 * ```
 */
export function knowledgeGradient(model: Surrogate, opts: KnowledgeGradientOptions): AcquisitionFunction {
  if (!model.predictJoint) throw new ValueError('knowledgeGradient: the model has no joint posterior (predictJoint)');
  const D = toTensor(opts.discretization, model.dim);
  const M = D.shape[0]!;
  const noise = opts.noise ?? (model as { noiseVariance?: number }).noiseVariance ?? 0;
  if (!(noise >= 0)) throw new ValueError(`knowledgeGradient: noise must be >= 0, got ${noise}`);
  const sign = opts.maximize === false ? -1 : 1;
  let cachedMuD: Tensor | null = null;
  const muD = () => (cachedMuD ??= model.predict(D).mean);
  return makeAcquisition('kg', 1, (X) => {
    const x = asBatch('knowledgeGradient', X, model.dim, 1); // [B, 1, d]
    const B = x.shape[0]!;
    let a: Tensor;
    let cross: Tensor; // Σ_n(A, x): [B, M+1]
    let vx: Tensor; // Σ_n(x, x): [B, 1]
    if (model.predictCross) {
      const Db = broadcastTo(expandDims(D, 0), [B, M, model.dim]);
      const px = model.predict(x);
      a = concat([broadcastTo(expandDims(muD(), 0), [B, M]), px.mean], 1);
      vx = px.variance;
      cross = concat([model.predictCross(Db, x).reshape([B, M]), vx], 1);
    } else {
      const A = concat([broadcastTo(expandDims(D, 0), [B, M, model.dim]), x], 1); // [B, M+1, d]
      const { mean, covariance } = model.predictJoint!(A);
      a = mean;
      const cx = slice(covariance, null, null, `${M}:${M + 1}`); // [B, M+1, 1]
      cross = cx.reshape([B, M + 1]);
      vx = slice(cx, null, `${M}:${M + 1}`, null).reshape([B, 1]);
    }
    a = mul(a, sign);
    const b = mul(div(cross, sqrt(clamp(add(vx, noise), 1e-18))), sign);
    return envelopeExpectation(a, b);
  });
}

function toTensor(X: InputLike, d: number): Tensor {
  const t = Array.isArray(X)
    ? fromTypedArray(Float64Array.from((X as number[][]).flat()), [X.length, d], { dtype: 'float64' })
    : (X as Tensor).astype('float64');
  if (t.ndim !== 2 || t.shape[1] !== d)
    throw new ShapeError(`knowledgeGradient: discretization of shape ${fmtShape(t.shape)} needs [M, ${d}]`);
  return t;
}

/**
 * `E[max_i a_i + b_i Z] − max_i a_i` per row of `a, b: [B, M]` (Z ~ N(0, 1)), differentiable in a, b.
 *
 * The closed form at the heart of {@link knowledgeGradient}, exported for custom look-ahead criteria.
 *
 * @param a - intercepts `[B, M]`.
 * @param b - slopes `[B, M]`.
 * @returns `[B]` expectations (≥ 0).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { envelopeExpectation } from '@difflab/bayes';
 * const f64 = (v: number[][]) => tensor(v, { dtype: 'float64' });
 * envelopeExpectation(f64([[0, 0]]), f64([[1, -1]])); // tensor([0.7979]) = E|Z| = √(2/π)
 * ```
 */
export function envelopeExpectation(a: Tensor, b: Tensor): Tensor {
  const [B, M] = a.shape as [number, number];
  const ah = a.dataSync();
  const bh = b.dataSync();
  // Consecutive envelope pairs (i, j) for every row, flattened with a row index.
  const lo: number[] = [];
  const hi: number[] = [];
  const rows: number[] = [];
  for (let r = 0; r < B; r++) {
    const env = upperEnvelope(ah.subarray(r * M, (r + 1) * M), bh.subarray(r * M, (r + 1) * M));
    for (let k = 0; k + 1 < env.length; k++) {
      lo.push(r * M + env[k]!);
      hi.push(r * M + env[k + 1]!);
      rows.push(r);
    }
  }
  if (lo.length === 0) return mul(sum(a, -1), 0);
  const af = a.reshape([B * M]);
  const bf = b.reshape([B * M]);
  const a0 = gather(af, lo);
  const a1 = gather(af, hi);
  const b0 = gather(bf, lo);
  const b1 = gather(bf, hi);
  const db = sub(b1, b0);
  const c = div(sub(a0, a1), db); // breakpoint z where line hi overtakes line lo
  const terms = mul(db, exp(logH(neg(abs(c)))));
  // Sum the terms of each row: scatter through a one-hot [B, P] matrix.
  const P = lo.length;
  const sel = new Float64Array(B * P);
  rows.forEach((r, p) => (sel[r * P + p] = 1));
  return sum(mul(fromTypedArray(sel, [B, P], { dtype: 'float64' }), expandDims(terms, 0)), -1);
}

/** Indices of the lines on the upper envelope of {a_i + b_i z}, ordered by increasing slope. */
function upperEnvelope(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const idx = Array.from({ length: a.length }, (_, i) => i).sort((i, j) => b[i]! - b[j]! || a[i]! - a[j]!);
  // Equal slopes: keep only the highest intercept (the last after the sort).
  const uniq: number[] = [];
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (k + 1 < idx.length && b[idx[k + 1]!] === b[i]) continue;
    uniq.push(i);
  }
  const env: number[] = [];
  const cross = (i: number, j: number) => (a[i]! - a[j]!) / (b[j]! - b[i]!);
  for (const i of uniq) {
    while (env.length > 0) {
      const top = env[env.length - 1]!;
      if (env.length >= 2 && cross(env[env.length - 2]!, top) >= cross(top, i)) env.pop();
      else break;
    }
    env.push(i);
  }
  return env;
}
