import {
  ValueError,
  add,
  fromTypedArray,
  maximum,
  mean,
  mul,
  sub,
  sum,
  square,
  valueAndGrad,
  type Tensor,
} from '@difflab/tensor';
import { adam, createRng } from '@difflab/optim';
import type { InputLike, TargetLike } from '../gp/data.js';
import { toMatrix, toVector } from '../gp/data.js';
import type { Posterior, Surrogate } from '../gp/surrogate.js';
import { conformalQuantile } from '../calibration/conformal.js';
import { normIcdf } from '../internal/special.js';
import { network, scaleData, scaleInputs, type NetworkOptions } from './common.js';

/**
 * Options of {@link conformalQuantileRegression}.
 *
 * @example
 * ```ts
 * import type { ConformalQuantileOptions } from '@difflab/bayes';
 * const opts: ConformalQuantileOptions = { levels: [0.05, 0.5, 0.95], calibrationFraction: 0.25, steps: 500, hidden: [32] };
 * ```
 */
export interface ConformalQuantileOptions extends NetworkOptions {
  /** Quantile levels, symmetric around 0.5 (each α < 0.5 is paired with 1 − α). Default [0.1, 0.25, 0.5, 0.75, 0.9]. */
  levels?: readonly number[];
  /** Fraction of the data held out for conformal calibration. Default 0.3 (at least 2 points). */
  calibrationFraction?: number;
  /** Full-batch Adam steps. Default 1000. */
  steps?: number;
  /** Adam learning rate. Default 0.01. */
  lr?: number;
  /** Seed of the initialization and the calibration split. Default 0. */
  seed?: number;
}

/**
 * What {@link conformalQuantileRegression} returns.
 *
 * @example
 * ```ts
 * import { conformalQuantileRegression, type ConformalQuantileSurrogate } from '@difflab/bayes';
 * const X = Array.from({ length: 20 }, (_, i) => [i / 19]);
 * const s: ConformalQuantileSurrogate = conformalQuantileRegression(X, X.map(([x]) => x! * x!), { steps: 200 });
 * s.quantiles([[0.5]]).shape; // [1, 5]: one value per level
 * s.sample([[0.1], [0.9]], 0); // two sampled values
 * ```
 */
export interface ConformalQuantileSurrogate extends Surrogate {
  /** Quantile levels, ascending. */
  readonly levels: number[];
  /** Additive conformal corrections per level (negative below the median, positive above). */
  readonly corrections: number[];
  /** Conformalized quantiles `[m, levels]` in the original units. */
  quantiles(X: InputLike): Tensor;
  /**
   * Thompson-style draw of Salinas et al.: for each candidate a random level, and that level's
   * conformalized quantile as the candidate's sampled value.
   */
  sample(X: InputLike, seed: number): number[];
}

/**
 * Pinball (quantile) loss ρ_α(r) = max(α r, (α − 1) r) with r = y − q.
 *
 * The loss of quantile regression (PyTorch Forecasting's `QuantileLoss`, elementwise).
 *
 * @param y - targets.
 * @param q - predicted quantiles (broadcast against y).
 * @param alpha - quantile level(s) in (0, 1).
 * @returns Elementwise losses (broadcast shape).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { pinballLoss } from '@difflab/bayes';
 * pinballLoss(tensor([1, 1]), tensor([0, 2]), 0.9); // tensor([0.9, 0.1])
 * ```
 */
export function pinballLoss(y: Tensor, q: Tensor, alpha: Tensor | number): Tensor {
  const r = sub(y, q);
  return maximum(mul(r, alpha), mul(r, typeof alpha === 'number' ? alpha - 1 : sub(alpha, 1)));
}

/**
 * Conformalized quantile regression surrogate (Romano et al. 2019; used for HPO by Salinas et al.
 * 2023): an MLP with one output per level trained with the pinball loss on part of the data; on
 * the held-out part, each pair (α, 1 − α) is widened by the split-conformal quantile of the
 * scores max(q_α(x) − y, y − q_{1−α}(x)), so [q_α, q_{1−α}] covers with probability ≥ 1 − 2α
 * under exchangeability, whatever the noise. `predict` gives a Gaussian summary (median and the
 * variance implied by the interquartile range) so analytic acquisitions can also use it.
 *
 * @param X - inputs `[n, d]`.
 * @param y - targets `[n]`.
 * @param opts - see {@link ConformalQuantileOptions}.
 * @returns The calibrated surrogate.
 *
 * @example
 * ```ts
 * import { conformalQuantileRegression, bayesOpt } from '@difflab/bayes';
 * const res = await bayesOpt({
 *   objective: ([x]) => Math.abs(x! - 0.7),
 *   bounds: [[0, 1]],
 *   budget: 10,
 *   surrogate: (X, y, { seed }) => conformalQuantileRegression(X, y, { steps: 200, seed }),
 * });
 * ```
 */
export function conformalQuantileRegression(
  X: InputLike,
  y: TargetLike,
  opts: ConformalQuantileOptions = {},
): ConformalQuantileSurrogate {
  const op = 'conformalQuantileRegression';
  const levels = [...(opts.levels ?? [0.1, 0.25, 0.5, 0.75, 0.9])].sort((a, b) => a - b);
  for (const a of levels) if (!(a > 0 && a < 1)) throw new ValueError(`${op}: levels must lie in (0, 1), got ${a}`);
  for (let i = 0; i < levels.length; i++)
    if (Math.abs(levels[i]! + levels[levels.length - 1 - i]! - 1) > 1e-12)
      throw new ValueError(`${op}: levels must be symmetric around 0.5, got [${levels.join(', ')}]`);
  const Xm = toMatrix(op, X);
  const yv = toVector(op, y, Xm.rows);
  const n = Xm.rows;
  const nCal = Math.max(2, Math.round((opts.calibrationFraction ?? 0.3) * n));
  if (n - nCal < 2) throw new ValueError(`${op}: needs at least 4 observations, got ${n}`);
  const seed = opts.seed ?? 0;
  const rng = createRng(seed, 0xc9);
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const k = rng.int(i + 1);
    [perm[i], perm[k]] = [perm[k]!, perm[i]!];
  }
  const rows = (idx: number[]) => idx.map((i) => Array.from(Xm.data.subarray(i * Xm.cols, (i + 1) * Xm.cols)));
  const trainIdx = perm.slice(nCal);
  const calIdx = perm.slice(0, nCal);
  const data = scaleData(
    op,
    rows(trainIdx),
    trainIdx.map((i) => yv[i]!),
  );
  const Q = levels.length;
  const net = network(data.d, Q, opts, seed);
  const alphas = fromTypedArray(Float64Array.from(levels), [Q], { dtype: 'float64' });
  const yCol = data.y.reshape([data.n, 1]);
  const objective = (p: unknown) => {
    const q = net.apply(p as never, data.X);
    const l2 = (p as { w: Tensor }[]).reduce((acc, layer) => add(acc, sum(square(layer.w))), mul(sum(q), 0));
    return add(mean(pinballLoss(yCol, q, alphas)), mul(l2, 1e-5));
  };
  const opt = adam({ lr: opts.lr ?? 0.01 });
  let params: unknown = net.params;
  let state = opt.init(params);
  const vg = valueAndGrad(objective);
  for (let t = 0; t < (opts.steps ?? 1000); t++) {
    const [, g] = vg(params) as [Tensor, unknown];
    ({ params, state } = opt.update(g, state, params));
  }
  const raw = (Xs: InputLike) =>
    add(mul(net.apply(params as never, scaleInputs(op, Xs, data.inTf, data.d)), data.outTf.std), data.outTf.mean);
  // Conformal corrections from the calibration split.
  const qc = raw(rows(calIdx)).dataSync();
  const corrections = new Array<number>(Q).fill(0);
  for (let lo = 0; lo < Math.floor(Q / 2); lo++) {
    const hi = Q - 1 - lo;
    const scores = calIdx.map((i, r) => Math.max(qc[r * Q + lo]! - yv[i]!, yv[i]! - qc[r * Q + hi]!));
    const c = conformalQuantile(scores, 1 - (levels[hi]! - levels[lo]!));
    corrections[lo] = -c;
    corrections[hi] = c;
  }
  const corr = fromTypedArray(Float64Array.from(corrections), [Q], { dtype: 'float64' });
  const quantiles = (Xs: InputLike) => add(raw(Xs), corr);
  const mid = Math.floor(Q / 2);
  const iq = levels.findIndex((a) => a >= 0.25);
  return {
    dim: Xm.cols,
    levels,
    corrections,
    quantiles,
    predict(Xs: InputLike): Posterior {
      const q = quantiles(Xs);
      const median = Q % 2 === 1 ? q.slice('...', mid) : mul(add(q.slice('...', mid - 1), q.slice('...', mid)), 0.5);
      // Gaussian summary: σ from the spread of the innermost level pair (≥ 0.25 from the median).
      const lo = iq >= 0 && iq < mid ? iq : 0;
      const hi = Q - 1 - lo;
      const z = normIcdf(levels[hi]!);
      const spread = sub(q.slice('...', hi), q.slice('...', lo));
      return { mean: median, variance: add(square(mul(spread, 1 / (2 * z))), 1e-12) };
    },
    sample(Xs: InputLike, s: number): number[] {
      const q = quantiles(Xs).dataSync();
      const r = createRng(s, 0x5a);
      const m = q.length / Q;
      return Array.from({ length: m }, (_, i) => q[i * Q + r.int(Q)]!);
    },
  };
}
