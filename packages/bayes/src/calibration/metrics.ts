import { ShapeError, ValueError } from '@difflab/tensor';
import { normCdf, normIcdf, normPdf } from '../internal/special.js';
import { toArray, type Numbers } from './conformal.js';

function pair(op: string, a: Numbers, b: Numbers, na: string, nb: string): [number[], number[]] {
  const x = toArray(op, na, a);
  const y = toArray(op, nb, b);
  if (x.length !== y.length) throw new ShapeError(`${op}: ${na} has ${x.length} entries but ${nb} has ${y.length}`);
  if (x.length === 0) throw new ValueError(`${op}: empty input`);
  return [x, y];
}

function gaussian(op: string, mean: Numbers, std: Numbers, y: Numbers): { mu: number[]; sd: number[]; t: number[] } {
  const [mu, sd] = pair(op, mean, std, 'mean', 'std');
  const t = toArray(op, 'targets', y);
  if (t.length !== mu.length) throw new ShapeError(`${op}: ${mu.length} predictions but ${t.length} targets`);
  sd.forEach((s, i) => {
    if (!(s > 0)) throw new ValueError(`${op}: std must be positive, got ${s} at index ${i}`);
  });
  return { mu, sd, t };
}

/**
 * Probability integral transform u_i = F_i(y_i) of Gaussian predictions N(μ_i, σ_i²). Uniform iff calibrated.
 *
 * @param mean - predictive means.
 * @param std - predictive standard deviations (> 0).
 * @param targets - observed values.
 * @returns One PIT value in [0, 1] per target.
 * @throws {ShapeError} for mismatched lengths.
 * @throws {ValueError} for non-positive std or empty input.
 *
 * @example
 * ```ts
 * import { pitValues } from '@difflab/bayes';
 * pitValues([0, 0], [1, 1], [0, 1.96]); // [0.5, 0.975]
 * ```
 */
export function pitValues(mean: Numbers, std: Numbers, targets: Numbers): number[] {
  const { mu, sd, t } = gaussian('pitValues', mean, std, targets);
  return t.map((y, i) => normCdf((y - mu[i]!) / sd[i]!));
}

/**
 * Empirical CDF of PIT values at the levels: the calibration curve (perfect: the identity).
 *
 * @param pit - PIT values (from {@link pitValues}).
 * @param levels - nominal levels (default 0.05, 0.10, …, 0.95).
 * @returns Per level, the observed fraction of PIT values ≤ it.
 *
 * @example
 * ```ts
 * import { calibrationCurve } from '@difflab/bayes';
 * calibrationCurve([0.1, 0.5, 0.9], [0.5]); // [{ level: 0.5, observed: 0.6667 }]
 * ```
 */
export function calibrationCurve(
  pit: Numbers,
  levels: readonly number[] = Array.from({ length: 19 }, (_, i) => (i + 1) / 20),
): {
  /** Nominal level α. */
  level: number;
  /** Fraction of PIT values ≤ α. */
  observed: number;
}[] {
  const u = toArray('calibrationCurve', 'pit', pit);
  if (u.length === 0) throw new ValueError('calibrationCurve: empty input');
  return levels.map((a) => ({ level: a, observed: u.filter((v) => v <= a).length / u.length }));
}

/**
 * Probabilistic calibration error PCE = mean_α |α − (1/n) Σ 1[u_i ≤ α]| over the levels
 * (Dheur & Ben Taieb 2023); 0 for perfectly calibrated PIT values.
 *
 * @param pit - PIT values.
 * @param levels - nominal levels (default 0.05, 0.10, …, 0.95).
 * @returns The PCE in [0, 1].
 *
 * @example
 * ```ts
 * import { probabilisticCalibrationError } from '@difflab/bayes';
 * probabilisticCalibrationError([0.1, 0.5, 0.9], [0.5]); // 0.1667
 * ```
 */
export function probabilisticCalibrationError(pit: Numbers, levels?: readonly number[]): number {
  const c = calibrationCurve(pit, levels);
  return c.reduce((s, { level, observed }) => s + Math.abs(level - observed), 0) / c.length;
}

/**
 * Quantile recalibration (Kuleshov et al. 2018): Ĝ = empirical CDF of calibration PIT values;
 * returns the map from a nominal level p to the recalibrated one, and its inverse for building
 * recalibrated quantiles: `inverse(p)` is the nominal level whose recalibrated level is p.
 *
 * @param pitCalibration - PIT values of a held-out calibration set.
 * @returns `forward` (nominal → recalibrated level) and `inverse`.
 * @throws {ValueError} for empty input.
 *
 * @example
 * ```ts
 * import { quantileRecalibration } from '@difflab/bayes';
 * const { forward, inverse } = quantileRecalibration([0.25, 0.5, 0.75]);
 * forward(0.5); // 0.6667
 * inverse(0.5); // 0.375: ask the model for its 37.5% quantile to get a calibrated median
 * ```
 */
export function quantileRecalibration(pitCalibration: Numbers): {
  /** Nominal level → calibrated level (the empirical CDF of the PIT values). */
  forward: (p: number) => number;
  /** Calibrated level → the nominal level to request from the model. */
  inverse: (p: number) => number;
} {
  const u = toArray('quantileRecalibration', 'pit', pitCalibration).sort((a, b) => a - b);
  const n = u.length;
  if (n === 0) throw new ValueError('quantileRecalibration: empty input');
  // Piecewise-linear interpolation of the ECDF through (0, 0), (u_(i), i/n), (1, 1).
  const xs = [0, ...u, 1];
  const ys = [0, ...u.map((_, i) => (i + 1) / n), 1];
  const interp = (x: number, X: number[], Y: number[]) => {
    if (x <= X[0]!) return Y[0]!;
    for (let i = 1; i < X.length; i++)
      if (x <= X[i]!)
        return X[i]! === X[i - 1]! ? Y[i]! : Y[i - 1]! + ((Y[i]! - Y[i - 1]!) * (x - X[i - 1]!)) / (X[i]! - X[i - 1]!);
    return Y[Y.length - 1]!;
  };
  return { forward: (p) => interp(p, xs, ys), inverse: (p) => interp(p, ys, xs) };
}

/**
 * Fraction of targets inside [lower, upper].
 *
 * @param lower - interval lower bounds.
 * @param upper - interval upper bounds.
 * @param targets - observed values.
 * @returns The empirical coverage in [0, 1].
 * @throws {ShapeError} for mismatched lengths.
 *
 * @example
 * ```ts
 * import { intervalCoverage } from '@difflab/bayes';
 * intervalCoverage([0, 0], [1, 1], [0.5, 2]); // 0.5
 * ```
 */
export function intervalCoverage(lower: Numbers, upper: Numbers, targets: Numbers): number {
  const [lo, hi] = pair('intervalCoverage', lower, upper, 'lower', 'upper');
  const t = toArray('intervalCoverage', 'targets', targets);
  if (t.length !== lo.length) throw new ShapeError(`intervalCoverage: ${lo.length} intervals but ${t.length} targets`);
  return t.filter((y, i) => y >= lo[i]! && y <= hi[i]!).length / t.length;
}

/**
 * Mean Gaussian negative log-likelihood −log N(y | μ, σ²).
 *
 * Like PyTorch's `GaussianNLLLoss(full=True)` with std instead of variance, averaged.
 *
 * @param mean - predictive means.
 * @param std - predictive standard deviations (> 0).
 * @param targets - observed values.
 * @returns The mean NLL.
 *
 * @example
 * ```ts
 * import { gaussianNll } from '@difflab/bayes';
 * gaussianNll([0], [1], [0]); // 0.9189 = ½ log 2π
 * ```
 */
export function gaussianNll(mean: Numbers, std: Numbers, targets: Numbers): number {
  const { mu, sd, t } = gaussian('gaussianNll', mean, std, targets);
  return (
    t.reduce((s, y, i) => s + 0.5 * ((y - mu[i]!) / sd[i]!) ** 2 + Math.log(sd[i]!) + 0.5 * Math.log(2 * Math.PI), 0) /
    t.length
  );
}

/**
 * Mean continuous ranked probability score of Gaussian predictions (closed form, Gneiting & Raftery 2007).
 *
 * `properscoring.crps_gaussian`, averaged.
 *
 * @param mean - predictive means.
 * @param std - predictive standard deviations (> 0).
 * @param targets - observed values.
 * @returns The mean CRPS (in the units of y; lower is better).
 *
 * @example
 * ```ts
 * import { crpsGaussian } from '@difflab/bayes';
 * crpsGaussian([0], [1], [0]); // 0.2337 = 2φ(0) − 1/√π
 * ```
 */
export function crpsGaussian(mean: Numbers, std: Numbers, targets: Numbers): number {
  const { mu, sd, t } = gaussian('crpsGaussian', mean, std, targets);
  return (
    t.reduce((s, y, i) => {
      const z = (y - mu[i]!) / sd[i]!;
      return s + sd[i]! * (z * (2 * normCdf(z) - 1) + 2 * normPdf(z) - 1 / Math.sqrt(Math.PI));
    }, 0) / t.length
  );
}

/**
 * Central (1 − α) Gaussian intervals μ ± z_{1−α/2} σ.
 *
 * @param mean - predictive means.
 * @param std - predictive standard deviations.
 * @param alpha - miscoverage level in (0, 1).
 * @returns Lower and upper bounds per prediction.
 * @throws {ValueError} for alpha outside (0, 1).
 *
 * @example
 * ```ts
 * import { gaussianInterval } from '@difflab/bayes';
 * gaussianInterval([0], [1], 0.05); // { lower: [-1.96], upper: [1.96] }
 * ```
 */
export function gaussianInterval(
  mean: Numbers,
  std: Numbers,
  alpha: number,
): {
  /** μ − z σ per prediction. */
  lower: number[];
  /** μ + z σ per prediction. */
  upper: number[];
} {
  if (!(alpha > 0 && alpha < 1)) throw new ValueError(`gaussianInterval: alpha must lie in (0, 1), got ${alpha}`);
  const [mu, sd] = pair('gaussianInterval', mean, std, 'mean', 'std');
  const z = normIcdf(1 - alpha / 2);
  return { lower: mu.map((m, i) => m - z * sd[i]!), upper: mu.map((m, i) => m + z * sd[i]!) };
}

/**
 * Expected (and maximum) calibration error of a classifier: confidences binned into `bins` equal
 * bins, ECE = Σ_b (n_b/n)|acc_b − conf_b|, MCE = max_b |acc_b − conf_b| (Guo et al. 2017).
 *
 * @param confidences - predicted probabilities of the predicted class, in [0, 1].
 * @param correct - whether each prediction was right.
 * @param opts - number of bins (default 15).
 * @returns ECE and MCE.
 * @throws {ShapeError} for mismatched lengths.
 * @throws {ValueError} for confidences outside [0, 1] or a bad bin count.
 *
 * @example
 * ```ts
 * import { expectedCalibrationError } from '@difflab/bayes';
 * expectedCalibrationError([0.9, 0.9, 0.6, 0.6], [true, true, true, false], { bins: 10 }); // { ece: 0.1, mce: 0.1 }
 * ```
 */
export function expectedCalibrationError(
  confidences: Numbers,
  correct: readonly (boolean | number)[],
  opts: { bins?: number } = {},
): {
  /** Expected calibration error: bin-size-weighted mean gap between accuracy and confidence. */
  ece: number;
  /** Maximum calibration error: the largest gap over non-empty bins. */
  mce: number;
} {
  const c = toArray('expectedCalibrationError', 'confidences', confidences);
  if (c.length !== correct.length)
    throw new ShapeError(`expectedCalibrationError: ${c.length} confidences but ${correct.length} labels`);
  if (c.length === 0) throw new ValueError('expectedCalibrationError: empty input');
  const B = opts.bins ?? 15;
  if (!Number.isInteger(B) || B < 1)
    throw new ValueError(`expectedCalibrationError: bins must be a positive integer, got ${B}`);
  const cnt = new Array<number>(B).fill(0);
  const acc = new Array<number>(B).fill(0);
  const conf = new Array<number>(B).fill(0);
  c.forEach((p, i) => {
    if (!(p >= 0 && p <= 1))
      throw new ValueError(`expectedCalibrationError: confidence ${p} at index ${i} is outside [0, 1]`);
    const b = Math.min(B - 1, Math.max(0, Math.ceil(p * B) - 1));
    cnt[b]!++;
    acc[b]! += correct[i] ? 1 : 0;
    conf[b]! += p;
  });
  let ece = 0;
  let mce = 0;
  for (let b = 0; b < B; b++) {
    if (cnt[b] === 0) continue;
    const gap = Math.abs(acc[b]! / cnt[b]! - conf[b]! / cnt[b]!);
    ece += (cnt[b]! / c.length) * gap;
    mce = Math.max(mce, gap);
  }
  return { ece, mce };
}
