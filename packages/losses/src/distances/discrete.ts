import { ValueError, abs, add, equal, log, mul, square, sub, sum, where, type Tensor } from '@difflab/tensor';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkPositive, checkSimplex, requireFloat, requireSameShape } from '../core/validate.js';
import { safeSqrt } from './pairwise.js';

/** Probability vectors along the last axis; the batch shape is everything before it. */
function checkPair(op: string, p: Tensor, q: Tensor): void {
  requireFloat(op, 'p', p);
  requireFloat(op, 'q', q);
  requireSameShape(op, ['p', 'q'], p, q);
  if (p.ndim === 0) throw new ValueError(`${op}: p and q must be probability vectors, got scalars`);
  checkSimplex(op, 'p', p, -1);
  checkSimplex(op, 'q', q, -1);
}

/** Σ a log(a / b) with 0 log(0/b) = 0 (and +∞ where a > 0 = b). */
function klTerms(a: Tensor, b: Tensor): Tensor {
  const zero = equal(a, 0);
  const safeA = where(zero, 1, a);
  return where(zero, 0, mul(a, sub(log(safeA), log(b))));
}

/**
 * KL(p ‖ q) = Σ p log(p/q) between probability vectors along the last axis (one value per vector).
 *
 * @param p - Probability vectors along the last axis.
 * @param q - Probability vectors of the same shape.
 * @param opts - The {@link Reduction}.
 * @returns One value per vector, reduced (batch-shaped with `'none'`).
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for negative entries.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { kl } from '@difflab/losses';
 * kl(tensor([0.9, 0.1]), tensor([0.5, 0.5])).item(); // 0.3681
 * ```
 */
export function kl(p: Tensor, q: Tensor, opts: ReductionOptions = {}): Tensor {
  checkPair('kl', p, q);
  return reduce('kl', sum(klTerms(p, q), -1), opts.reduction);
}

/**
 * Jensen-Shannon divergence ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2, in nats; bounded by log 2.
 *
 * @param p - Probability vectors along the last axis.
 * @param q - Probability vectors of the same shape.
 * @param opts - The {@link Reduction}.
 * @returns One value per vector, reduced (batch-shaped with `'none'`).
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for negative entries.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { js } from '@difflab/losses';
 * js(tensor([1, 0]), tensor([0, 1])).item(); // 0.6931: log 2, the maximum
 * ```
 */
export function js(p: Tensor, q: Tensor, opts: ReductionOptions = {}): Tensor {
  checkPair('js', p, q);
  const m = mul(add(p, q), 0.5);
  return reduce('js', mul(sum(add(klTerms(p, m), klTerms(q, m)), -1), 0.5), opts.reduction);
}

/**
 * Named generators of {@link fDivergence}, f convex with f(1) = 0.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fDivergence, type FDivergenceName } from '@difflab/losses';
 * const name: FDivergenceName = 'totalVariation';
 * fDivergence(tensor([1, 0]), tensor([0.5, 0.5]), { f: name }).item(); // 0.5
 * ```
 */
export type FDivergenceName = 'kl' | 'reverseKl' | 'hellinger' | 'totalVariation' | 'chiSquared' | 'js';

/**
 * Options of {@link fDivergence}.
 *
 * @example
 * ```ts
 * import type { FDivergenceOptions } from '@difflab/losses';
 * const o: FDivergenceOptions = { f: (t) => t.sub(1).square() }; // Pearson chi-squared as a custom generator
 * ```
 */
export interface FDivergenceOptions extends ReductionOptions {
  /** A named divergence (default 'kl') or a convex generator f with f(1) = 0, applied to t = p/q. */
  f?: FDivergenceName | ((t: Tensor) => Tensor);
}

/**
 * f-divergence D_f(p ‖ q) = Σ q f(p/q) (Csiszár 1967; Ali & Silvey 1966) along the last axis. The
 * named members are evaluated in closed forms that allow zeros in p or q:
 * kl: f = t log t; reverseKl: f = -log t; hellinger: f = (√t - 1)², i.e. Σ (√p - √q)²;
 * totalVariation: f = ½|t - 1|; chiSquared (Pearson): f = (t - 1)²; js: f = ½[t log t - (t + 1) log((t + 1)/2)].
 * A custom f needs q > 0.
 *
 * @param p - Probability vectors along the last axis.
 * @param q - Probability vectors of the same shape.
 * @param opts - See {@link FDivergenceOptions}.
 * @returns One value per vector, reduced (batch-shaped with `'none'`).
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for negative entries, an unknown name, or zeros in q with a custom f.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { fDivergence } from '@difflab/losses';
 * const p = tensor([0.9, 0.1]);
 * const q = tensor([0.5, 0.5]);
 * fDivergence(p, q, { f: 'hellinger' }).item(); // 0.2111
 * fDivergence(p, q, { f: 'chiSquared' }).item(); // 0.64
 * ```
 */
export function fDivergence(p: Tensor, q: Tensor, opts: FDivergenceOptions = {}): Tensor {
  const op = 'fDivergence';
  checkPair(op, p, q);
  const f = opts.f ?? 'kl';
  let terms: Tensor;
  if (typeof f === 'function') {
    checkPositive(op, 'q (with a custom f)', q);
    terms = mul(q, f(p.div(q)));
  } else if (f === 'kl') terms = klTerms(p, q);
  else if (f === 'reverseKl') terms = klTerms(q, p);
  else if (f === 'hellinger') terms = square(sub(safeSqrt(p), safeSqrt(q)));
  else if (f === 'totalVariation') terms = mul(abs(sub(p, q)), 0.5);
  else if (f === 'chiSquared') {
    const qZero = equal(q, 0);
    terms = where(qZero, where(equal(p, 0), 0, Infinity), square(sub(p, q)).div(where(qZero, 1, q)));
  } else if (f === 'js') {
    const m = mul(add(p, q), 0.5);
    terms = mul(add(klTerms(p, m), klTerms(q, m)), 0.5);
  } else throw new ValueError(`${op}: unknown f '${String(f)}'`);
  return reduce(op, sum(terms, -1), opts.reduction);
}
