import { ShapeError, ValueError, isTensor, type Tensor } from '@difflab/tensor';

/**
 * Numeric vectors as the calibration functions accept them: a number array, a Float64Array or a
 * 1-D tensor.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { conformalQuantile, type Numbers } from '@difflab/bayes';
 * const a: Numbers = [0.1, 0.4, 0.2];
 * const b: Numbers = Float64Array.of(0.1, 0.4, 0.2);
 * const c: Numbers = tensor([0.1, 0.4, 0.2], { dtype: 'float64' });
 * conformalQuantile(c, 0.5); // 0.2: the ⌈4 · 0.5⌉ = 2nd smallest
 * ```
 */
export type Numbers = readonly number[] | Float64Array | Tensor;

export function toArray(op: string, name: string, v: Numbers): number[] {
  const a = isTensor(v) ? Array.from((v as Tensor).dataSync()) : Array.from(v as ArrayLike<number>);
  for (let i = 0; i < a.length; i++)
    if (Number.isNaN(a[i]!)) throw new ValueError(`${op}: ${name} contains NaN at index ${i}`);
  return a;
}

function checkAlpha(op: string, alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new ValueError(`${op}: alpha must lie in (0, 1), got ${alpha}`);
}

/**
 * The split-conformal threshold: the ⌈(n + 1)(1 − α)⌉-th smallest of n calibration scores
 * (Infinity when that rank exceeds n), so a fresh exchangeable score is ≤ it with probability ≥ 1 − α.
 *
 * MAPIE's / `crepes`' conformal quantile with the finite-sample correction.
 *
 * @param scores - n calibration nonconformity scores.
 * @param alpha - miscoverage level in (0, 1).
 * @returns The threshold q̂ (possibly Infinity for small n).
 * @throws {ValueError} for alpha outside (0, 1), NaN scores or no scores.
 *
 * @example
 * ```ts
 * import { conformalQuantile } from '@difflab/bayes';
 * conformalQuantile([1, 2, 3, 4, 5, 6, 7, 8, 9], 0.2); // 8: the ⌈10 · 0.8⌉-th smallest
 * conformalQuantile([1, 2, 3], 0.1); // Infinity: three scores cannot certify 90%
 * ```
 */
export function conformalQuantile(scores: Numbers, alpha: number): number {
  const op = 'conformalQuantile';
  checkAlpha(op, alpha);
  const s = toArray(op, 'scores', scores).sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) throw new ValueError(`${op}: needs at least one calibration score`);
  const k = Math.ceil((n + 1) * (1 - alpha));
  return k > n ? Infinity : s[k - 1]!;
}

/**
 * Weighted split-conformal threshold for non-exchangeable data (Tibshirani et al. 2019; Barber et
 * al. 2023): the (1 − α) quantile of Σ w̃_i δ_{s_i} + w̃_{n+1} δ_{+∞} with w̃ = w / (Σ w + w_{n+1}).
 *
 * @param scores - calibration scores.
 * @param weights - non-negative weight per score (e.g. likelihood ratios under covariate shift).
 * @param alpha - miscoverage level in (0, 1).
 * @param testWeight - weight of the test point (default 1).
 * @returns The weighted threshold (possibly Infinity).
 * @throws {ShapeError} when scores and weights differ in length.
 * @throws {ValueError} for negative weights or alpha outside (0, 1).
 *
 * @example
 * ```ts
 * import { weightedConformalQuantile } from '@difflab/bayes';
 * weightedConformalQuantile([1, 2, 3], [1, 1, 1], 0.5); // 2
 * weightedConformalQuantile([1, 2, 3], [0, 0, 5], 0.5); // 3: only the last score counts
 * ```
 */
export function weightedConformalQuantile(scores: Numbers, weights: Numbers, alpha: number, testWeight = 1): number {
  const op = 'weightedConformalQuantile';
  checkAlpha(op, alpha);
  const s = toArray(op, 'scores', scores);
  const w = toArray(op, 'weights', weights);
  if (w.length !== s.length) throw new ShapeError(`${op}: ${s.length} scores but ${w.length} weights`);
  if (w.some((v) => !(v >= 0)) || !(testWeight >= 0)) throw new ValueError(`${op}: weights must be non-negative`);
  const total = w.reduce((a, b) => a + b, 0) + testWeight;
  if (!(total > 0)) throw new ValueError(`${op}: weights sum to zero`);
  const order = s.map((_, i) => i).sort((a, b) => s[a]! - s[b]!);
  let acc = 0;
  for (const i of order) {
    acc += w[i]! / total;
    if (acc >= 1 - alpha - 1e-12) return s[i]!;
  }
  return Infinity;
}

/**
 * What {@link splitConformal} returns.
 *
 * @example
 * ```ts
 * import { splitConformal, type ConformalInterval } from '@difflab/bayes';
 * const iv: ConformalInterval = splitConformal({ predictions: [0, 0, 0, 0], targets: [0.1, -0.2, 0.3, -0.4] }, { predictions: [1] }, 0.2);
 * iv.threshold; // 0.4
 * ```
 */
export interface ConformalInterval {
  /** Lower bounds, one per test point. */
  lower: number[];
  /** Upper bounds, one per test point. */
  upper: number[];
  /** The score threshold q̂ (half-width for absolute residuals). */
  threshold: number;
}

/**
 * Split-conformal prediction intervals for regression from absolute residuals |y − ŷ| on a
 * calibration set (Vovk et al.; Lei et al. 2018): ŷ ± q̂, marginal coverage ≥ 1 − α. With `scale`
 * (e.g. predictive standard deviations), the normalized score |y − ŷ|/σ gives ŷ ± q̂σ.
 *
 * MAPIE's `MapieRegressor(method='base', cv='split')`, or its normalized-residual variant with `scale`.
 *
 * @param calibration - predictions, targets and optional scales on held-out data.
 * @param test - predictions (and scales) where intervals are wanted.
 * @param alpha - miscoverage level in (0, 1).
 * @returns Interval bounds per test point and the threshold.
 * @throws {ShapeError} for mismatched lengths.
 * @throws {ValueError} when `scale` is given for only one of the two sets.
 *
 * @example
 * ```ts
 * import { splitConformal } from '@difflab/bayes';
 * const cal = { predictions: [0, 0, 0, 0], targets: [0.1, -0.2, 0.3, -0.4] };
 * const { lower, upper } = splitConformal(cal, { predictions: [1, 2] }, 0.2);
 * lower; // [0.6, 1.6]
 * upper; // [1.4, 2.4]
 * ```
 */
export function splitConformal(
  calibration: { predictions: Numbers; targets: Numbers; scale?: Numbers },
  test: { predictions: Numbers; scale?: Numbers },
  alpha: number,
): ConformalInterval {
  const op = 'splitConformal';
  const p = toArray(op, 'calibration predictions', calibration.predictions);
  const y = toArray(op, 'calibration targets', calibration.targets);
  if (p.length !== y.length) throw new ShapeError(`${op}: ${p.length} calibration predictions but ${y.length} targets`);
  const sc = calibration.scale ? toArray(op, 'calibration scale', calibration.scale) : null;
  if (sc && sc.length !== p.length) throw new ShapeError(`${op}: scale has ${sc.length} entries, expected ${p.length}`);
  if ((calibration.scale === undefined) !== (test.scale === undefined))
    throw new ValueError(`${op}: pass scale for both calibration and test, or for neither`);
  const scores = p.map((v, i) => Math.abs(y[i]! - v) / (sc ? sc[i]! : 1));
  const q = conformalQuantile(scores, alpha);
  const tp = toArray(op, 'test predictions', test.predictions);
  const ts = test.scale ? toArray(op, 'test scale', test.scale) : null;
  if (ts && ts.length !== tp.length)
    throw new ShapeError(`${op}: test scale has ${ts.length} entries, expected ${tp.length}`);
  return {
    lower: tp.map((v, i) => v - q * (ts ? ts[i]! : 1)),
    upper: tp.map((v, i) => v + q * (ts ? ts[i]! : 1)),
    threshold: q,
  };
}

/**
 * Options of {@link conformalRiskControl}.
 *
 * @example
 * ```ts
 * import type { RiskControlOptions } from '@difflab/bayes';
 * const opts: RiskControlOptions = { alpha: 0.1, B: 1, lambdas: [0, 0.25, 0.5, 0.75, 1] };
 * ```
 */
export interface RiskControlOptions {
  /** Target risk level α. */
  alpha: number;
  /** Upper bound B of the loss. Default 1. */
  B?: number;
  /** Candidate λ values, searched in increasing order (losses must be non-increasing in λ). */
  lambdas: readonly number[];
  /** Non-exchangeable weights of the calibration points (weighted CRC); default all 1. */
  weights?: Numbers;
  /** Weight of the test point in the weighted version. Default 1. */
  testWeight?: number;
}

/**
 * What {@link conformalRiskControl} returns.
 *
 * @example
 * ```ts
 * import { conformalRiskControl, type RiskControlResult } from '@difflab/bayes';
 * const scores = [0.1, 0.2, 0.3, 0.4];
 * const r: RiskControlResult = conformalRiskControl((i, lam) => +(scores[i]! > lam), 4, { alpha: 0.4, lambdas: [0, 0.1, 0.2, 0.3, 0.4] });
 * r.lambda; // 0.3
 * r.risk; // 0.25
 * ```
 */
export interface RiskControlResult {
  /** The chosen λ̂ (Infinity-free: the largest candidate when no candidate satisfies the bound). */
  lambda: number;
  /** Index of λ̂ among the candidates. */
  index: number;
  /** Empirical (weighted) calibration risk at λ̂. */
  risk: number;
  /** Whether some candidate met the bound. */
  feasible: boolean;
}

/**
 * Conformal risk control (Angelopoulos et al. 2024): for losses L_i(λ) ∈ [0, B] non-increasing in
 * λ, λ̂ = inf{λ : n/(n+1)·R̂_n(λ) + B/(n+1) ≤ α} guarantees E[L_{n+1}(λ̂)] ≤ α. With `weights`,
 * the non-exchangeable version (Farinhas et al. 2024): λ̂ = inf{λ : Σ w̃_i L_i(λ) + w̃_{n+1}B ≤ α},
 * w̃_i = w_i/(Σ_j w_j + w_{n+1}). `loss(i, λ)` is the loss of calibration point i.
 *
 * With the miscoverage indicator as loss it reduces to split conformal prediction; other losses
 * (false-negative rate, set size) give other guarantees.
 *
 * @param loss - `loss(i, λ)` ∈ [0, B] of calibration point i, non-increasing in λ.
 * @param n - number of calibration points.
 * @param opts - α, B, candidate λs and optional weights.
 * @returns λ̂, its index, the calibration risk there and whether the bound was met.
 * @throws {ValueError} for a loss outside [0, B], unsorted λs or a bad α.
 *
 * @example
 * ```ts
 * import { conformalRiskControl } from '@difflab/bayes';
 * const scores = [0.1, 0.2, 0.3, 0.4];
 * const { lambda, feasible } = conformalRiskControl((i, lam) => +(scores[i]! > lam), 4, { alpha: 0.4, lambdas: [0, 0.1, 0.2, 0.3, 0.4, 0.5] });
 * lambda; // 0.3
 * feasible; // true
 * ```
 */
export function conformalRiskControl(
  loss: (i: number, lambda: number) => number,
  n: number,
  opts: RiskControlOptions,
): RiskControlResult {
  const op = 'conformalRiskControl';
  checkAlpha(op, opts.alpha);
  const B = opts.B ?? 1;
  if (!(B > 0)) throw new ValueError(`${op}: B must be positive, got ${B}`);
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`${op}: n must be a positive integer, got ${n}`);
  const lambdas = [...opts.lambdas];
  if (lambdas.length === 0) throw new ValueError(`${op}: lambdas must not be empty`);
  for (let i = 1; i < lambdas.length; i++)
    if (!(lambdas[i]! > lambdas[i - 1]!)) throw new ValueError(`${op}: lambdas must be strictly increasing`);
  const w = opts.weights ? toArray(op, 'weights', opts.weights) : new Array<number>(n).fill(1);
  if (w.length !== n) throw new ShapeError(`${op}: ${w.length} weights for ${n} calibration points`);
  const wTest = opts.testWeight ?? 1;
  const total = w.reduce((a, b) => a + b, 0) + wTest;
  let last = { lambda: lambdas[lambdas.length - 1]!, index: lambdas.length - 1, risk: NaN, feasible: false };
  for (let k = 0; k < lambdas.length; k++) {
    const lam = lambdas[k]!;
    let r = 0;
    for (let i = 0; i < n; i++) {
      const l = loss(i, lam);
      if (!(l >= 0 && l <= B)) throw new ValueError(`${op}: loss(${i}, ${lam}) = ${l} is outside [0, B = ${B}]`);
      r += (w[i]! / total) * l;
    }
    const risk = (r * total) / (total - wTest);
    if (r + (wTest / total) * B <= opts.alpha) return { lambda: lam, index: k, risk, feasible: true };
    last = { ...last, risk };
  }
  return last;
}

/**
 * The state {@link adaptiveConformalUpdate} carries from step to step.
 *
 * @example
 * ```ts
 * import type { ACIState } from '@difflab/bayes';
 * const start: ACIState = { alphaT: 0.1 }; // start at the target level
 * ```
 */
export interface ACIState {
  /** Current working miscoverage level α_t. */
  alphaT: number;
}

/**
 * Adaptive conformal inference (Gibbs & Candès 2021): after each step with miscoverage indicator
 * err_t, α_{t+1} = α_t + γ(α − err_t); long-run miscoverage → α under arbitrary distribution shift.
 *
 * Use α_t (clipped to (0, 1)) as the level of the next split-conformal interval.
 *
 * @param state - the current α_t.
 * @param miscovered - whether the last interval missed its target.
 * @param opts - target α and step size γ (default 0.005).
 * @returns The next state.
 * @throws {ValueError} for alpha outside (0, 1).
 *
 * @example
 * ```ts
 * import { adaptiveConformalUpdate } from '@difflab/bayes';
 * let state = { alphaT: 0.1 };
 * state = adaptiveConformalUpdate(state, true, { alpha: 0.1, gamma: 0.01 });
 * state.alphaT; // 0.091: a miss makes the next interval wider
 * ```
 */
export function adaptiveConformalUpdate(
  state: ACIState,
  miscovered: boolean,
  opts: { alpha: number; gamma?: number },
): ACIState {
  checkAlpha('adaptiveConformalUpdate', opts.alpha);
  const gamma = opts.gamma ?? 0.005;
  return { alphaT: state.alphaT + gamma * (opts.alpha - (miscovered ? 1 : 0)) };
}
