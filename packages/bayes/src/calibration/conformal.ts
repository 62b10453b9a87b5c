import { ShapeError, ValueError, isTensor, type Tensor } from '@difflab/tensor';

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

export interface ConformalInterval {
  lower: number[];
  upper: number[];
  /** The score threshold q̂ (half-width for absolute residuals). */
  threshold: number;
}

/**
 * Split-conformal prediction intervals for regression from absolute residuals |y − ŷ| on a
 * calibration set (Vovk et al.; Lei et al. 2018): ŷ ± q̂, marginal coverage ≥ 1 − α. With `scale`
 * (e.g. predictive standard deviations), the normalized score |y − ŷ|/σ gives ŷ ± q̂σ.
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

export interface ACIState {
  /** Current working miscoverage level α_t. */
  alphaT: number;
}

/**
 * Adaptive conformal inference (Gibbs & Candès 2021): after each step with miscoverage indicator
 * err_t, α_{t+1} = α_t + γ(α − err_t); long-run miscoverage → α under arbitrary distribution shift.
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
