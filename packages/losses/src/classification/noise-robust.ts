import { ValueError, expm1, mul, neg, sum, type Tensor } from '@difflab/tensor';
import type { ReductionOptions } from '../core/reduction.js';
import { finishRows, logProbRows } from '../core/rows.js';
import { checkFiniteNumber, checkPositiveNumber } from '../core/validate.js';
import { focalTerm, oneMinusExp } from '../core/focal-term.js';

/**
 * Options of {@link gce}.
 *
 * @example
 * ```ts
 * import type { GceOptions } from '@difflab/losses';
 * const o: GceOptions = { q: 0.7 };
 * ```
 */
export interface GceOptions extends ReductionOptions {
  /** q in (0, 1]: q → 0 approaches CE, q = 1 is the MAE 1 - p_y. Default 0.7 (the paper's choice). */
  q?: number;
}

/**
 * Generalised cross-entropy L_q (Zhang & Sabuncu, "Generalized Cross Entropy Loss for Training Deep
 * Neural Networks with Noisy Labels", NeurIPS 2018, eq. 6): (1 - p_y^q) / q, computed as
 * -expm1(q log p_y) / q. Equals {@link compSum} with τ = 1 + q.
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link GceOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { gce } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * gce(logits, labels, { q: 0.7 }).item(); // 0.6713
 * ```
 */
export function gce(logits: Tensor, labels: Tensor, opts: GceOptions = {}): Tensor {
  const op = 'gce';
  const q = opts.q ?? 0.7;
  if (!(q > 0 && q <= 1)) throw new ValueError(`${op}: q must be in (0, 1], got ${q}`);
  const { logpy, batchShape } = logProbRows(op, logits, labels);
  return finishRows(op, mul(expm1(mul(logpy, q)), -1 / q), batchShape, opts.reduction);
}

/**
 * Options of {@link rce}.
 *
 * @example
 * ```ts
 * import type { RceOptions } from '@difflab/losses';
 * const o: RceOptions = { A: -6 };
 * ```
 */
export interface RceOptions extends ReductionOptions {
  /** The value that replaces log 0 in the one-hot label distribution. Default -4 (the paper's). */
  A?: number;
}

/**
 * Reverse cross-entropy (Wang et al., "Symmetric Cross Entropy for Robust Learning with Noisy
 * Labels", ICCV 2019): -Σ_k p_k log q_k with q the one-hot label and log 0 := A, i.e. -A (1 - p_y).
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link RceOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { rce } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * rce(logits, labels).item(); // 2.297
 * ```
 */
export function rce(logits: Tensor, labels: Tensor, opts: RceOptions = {}): Tensor {
  const op = 'rce';
  const A = opts.A ?? -4;
  if (!(Number.isFinite(A) && A < 0)) throw new ValueError(`${op}: A must be a negative number, got ${A}`);
  const { logpy, batchShape } = logProbRows(op, logits, labels);
  return finishRows(op, mul(oneMinusExp(logpy), -A), batchShape, opts.reduction);
}

/**
 * Options of {@link sce}.
 *
 * @example
 * ```ts
 * import type { SceOptions } from '@difflab/losses';
 * const o: SceOptions = { alpha: 0.1, beta: 1, A: -4 };
 * ```
 */
export interface SceOptions extends RceOptions {
  /** Weight of CE. Default 0.1 (the paper's CIFAR-10 setting). */
  alpha?: number;
  /** Weight of RCE. Default 1. */
  beta?: number;
}

/**
 * Symmetric cross-entropy SL = α CE + β RCE (Wang et al., ICCV 2019, eq. 4).
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link SceOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sce } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * sce(logits, labels).item(); // 2.401
 * ```
 */
export function sce(logits: Tensor, labels: Tensor, opts: SceOptions = {}): Tensor {
  const op = 'sce';
  const alpha = opts.alpha ?? 0.1;
  const beta = opts.beta ?? 1;
  checkPositiveNumber(op, 'alpha', alpha, true);
  checkPositiveNumber(op, 'beta', beta, true);
  const A = opts.A ?? -4;
  if (!(Number.isFinite(A) && A < 0)) throw new ValueError(`${op}: A must be a negative number, got ${A}`);
  const { logpy, batchShape } = logProbRows(op, logits, labels);
  const perRow = mul(neg(logpy), alpha).add(mul(oneMinusExp(logpy), -A * beta));
  return finishRows(op, perRow, batchShape, opts.reduction);
}

/**
 * Normalised cross-entropy (Ma et al., "Normalized Loss Functions for Deep Learning with Noisy
 * Labels", ICML 2020, eq. 3 applied to CE): log p_y / Σ_j log p_j, in [0, 1].
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - The {@link Reduction}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { normalizedCE } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * normalizedCE(logits, labels).item(); // 0.2855
 * ```
 */
export function normalizedCE(logits: Tensor, labels: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'normalizedCE';
  const { logp, logpy, batchShape } = logProbRows(op, logits, labels);
  return finishRows(op, logpy.div(sum(logp, 1)), batchShape, opts.reduction);
}

/**
 * Options of {@link normalizedFocal}.
 *
 * @example
 * ```ts
 * import type { NormalizedFocalOptions } from '@difflab/losses';
 * const o: NormalizedFocalOptions = { gamma: 0.5 };
 * ```
 */
export interface NormalizedFocalOptions extends ReductionOptions {
  /** Focusing parameter γ >= 0. Default 0.5 (used for NFL in the paper's experiments). */
  gamma?: number;
}

/**
 * Normalised focal loss (Ma et al. 2020): FL(y) / Σ_j FL(j) with FL(j) = -(1 - p_j)^γ log p_j.
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link NormalizedFocalOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { normalizedFocal } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * normalizedFocal(logits, labels).item(); // 0.286
 * ```
 */
export function normalizedFocal(logits: Tensor, labels: Tensor, opts: NormalizedFocalOptions = {}): Tensor {
  const op = 'normalizedFocal';
  const gamma = opts.gamma ?? 0.5;
  checkPositiveNumber(op, 'gamma', gamma, true);
  const { logp, logpy, batchShape } = logProbRows(op, logits, labels);
  return finishRows(op, focalTerm(logpy, gamma).div(sum(focalTerm(logp, gamma), 1)), batchShape, opts.reduction);
}

/**
 * Mean absolute error between the softmax and the one-hot label, Σ_k |p_k - 1[k = y]| = 2 (1 - p_y)
 * (Ghosh et al. 2017; the passive MAE of Ma et al. 2020). Its own gradient is bounded, which makes
 * it noise-tolerant but slow to fit.
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - The {@link Reduction}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { classMae } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * classMae(logits, labels).item(); // 1.148
 * ```
 */
export function classMae(logits: Tensor, labels: Tensor, opts: ReductionOptions = {}): Tensor {
  const op = 'classMae';
  const { logpy, batchShape } = logProbRows(op, logits, labels);
  return finishRows(op, mul(oneMinusExp(logpy), 2), batchShape, opts.reduction);
}

/**
 * Options of {@link apl}.
 *
 * @example
 * ```ts
 * import type { AplOptions } from '@difflab/losses';
 * const o: AplOptions = { active: 'nfl', passive: 'rce', alpha: 1, beta: 1 };
 * ```
 */
export interface AplOptions extends ReductionOptions {
  /** Active term: normalised CE (default) or normalised focal. */
  active?: 'nce' | 'nfl';
  /** Passive term: reverse CE (default) or MAE. */
  passive?: 'rce' | 'mae';
  /** Weight of the active term. Default 1. */
  alpha?: number;
  /** Weight of the passive term. Default 1. */
  beta?: number;
  /** γ of the normalised focal term. Default 0.5. */
  gamma?: number;
  /** log 0 replacement of RCE. Default -4. */
  A?: number;
}

/**
 * Active-passive loss (Ma et al., ICML 2020, eq. 6): α·L_active + β·L_passive with a normalised
 * active loss (NCE or NFL) and a passive one (RCE or MAE); e.g. NCE+RCE, NFL+RCE, NCE+MAE.
 *
 * @param logits - Scores `[N, C]` (or `[C]`).
 * @param labels - int32 class indices `[N]` (or `[]`).
 * @param opts - See {@link AplOptions}.
 * @returns The reduced loss.
 * @throws {ShapeError} when the label shape does not match the batch shape.
 * @throws {ValueError} for invalid options or a class index out of range.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { apl } from '@difflab/losses';
 * const logits = tensor([[2, 0, 1], [0.5, 1, 0]]);
 * const labels = tensor([0, 2], { dtype: 'int32' });
 * apl(logits, labels, { active: 'nce', passive: 'mae' }).item(); // 1.434
 * ```
 */
export function apl(logits: Tensor, labels: Tensor, opts: AplOptions = {}): Tensor {
  const op = 'apl';
  const alpha = opts.alpha ?? 1;
  const beta = opts.beta ?? 1;
  checkPositiveNumber(op, 'alpha', alpha, true);
  checkPositiveNumber(op, 'beta', beta, true);
  const gamma = opts.gamma ?? 0.5;
  checkPositiveNumber(op, 'gamma', gamma, true);
  const A = opts.A ?? -4;
  checkFiniteNumber(op, 'A', A);
  const active = opts.active ?? 'nce';
  const passive = opts.passive ?? 'rce';
  if (active !== 'nce' && active !== 'nfl')
    throw new ValueError(`${op}: active must be 'nce' or 'nfl', got '${String(active)}'`);
  if (passive !== 'rce' && passive !== 'mae')
    throw new ValueError(`${op}: passive must be 'rce' or 'mae', got '${String(passive)}'`);
  if (passive === 'rce' && !(A < 0)) throw new ValueError(`${op}: A must be negative, got ${A}`);
  const { logp, logpy, batchShape } = logProbRows(op, logits, labels);
  const fl = (lp: Tensor) => focalTerm(lp, active === 'nce' ? 0 : gamma);
  const act = fl(logpy).div(sum(fl(logp), 1));
  const pas = mul(oneMinusExp(logpy), passive === 'rce' ? -A : 2);
  return finishRows(op, mul(act, alpha).add(mul(pas, beta)), batchShape, opts.reduction);
}
