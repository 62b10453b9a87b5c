import { ShapeError, ValueError, fmtShape, mul, random, softplus, stack, sub, sum, type Tensor } from '@difflab/tensor';
import { seedKey } from '../core/seed.js';
import { reduce, type ReductionOptions } from '../core/reduction.js';
import { checkSigns, requireFloat } from '../core/validate.js';

/**
 * One random convex, classification-calibrated margin loss φ(z) = Σ_j w_j s_j softplus((μ_j - z) / s_j).
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sampleCalibratedLoss, type CalibratedLoss } from '@difflab/losses';
 * const loss: CalibratedLoss = sampleCalibratedLoss(1);
 * loss.derivativeAtZero < 0; // true
 * loss.phi(tensor([-1, 0, 3])).shape; // [3]
 * ```
 */
export interface CalibratedLoss {
  /** Mixture weights w_j (Dirichlet(1), summing to 1). */
  weights: number[];
  /** Locations μ_j where each component bends. */
  locations: number[];
  /** Scales s_j of the components. */
  scales: number[];
  /** φ applied elementwise to margins z = y f(x). */
  phi(z: Tensor): Tensor;
  /** φ'(0) < 0, the calibration condition. */
  derivativeAtZero: number;
}

/**
 * Settings of the random loss family of {@link sampleCalibratedLoss}.
 *
 * @example
 * ```ts
 * import type { CalibratedLossSampler } from '@difflab/losses';
 * const o: CalibratedLossSampler = { components: 5, locationRange: [-0.5, 1], scaleRange: [0.2, 1] };
 * ```
 */
export interface CalibratedLossSampler {
  /** Mixture components. Default 3. */
  components?: number;
  /** Range of the locations μ_j (where each component bends). Default [-1, 2]. */
  locationRange?: [number, number];
  /** Range of the scales s_j, sampled log-uniformly (small s is hinge-like, s = 1 logistic-like). Default [0.1, 3]. */
  scaleRange?: [number, number];
}

/**
 * Draws a random loss from a family in which every member is convex and classification-calibrated:
 * a Dirichlet(1)-weighted mixture of shifted, rescaled logistic losses. Each φ_j is convex with
 * φ_j'(z) = -σ((μ_j - z) / s_j), non-decreasing and negative at 0, so φ'(0) < 0 and by Bartlett,
 * Jordan & McAuliffe (2006, Thm. 6) φ is calibrated. The family interpolates hinge-like (small s)
 * and logistic-like (s ≈ 1, μ ≈ 0) losses.
 *
 * @param seed - Integer seed; the same seed gives the same loss.
 * @param opts - See {@link CalibratedLossSampler}.
 * @returns The sampled loss.
 * @throws {ValueError} for invalid component counts or ranges.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { sampleCalibratedLoss } from '@difflab/losses';
 * const phi = sampleCalibratedLoss(7, { components: 2 });
 * phi.weights.length; // 2
 * phi.phi(tensor([0])).item() > phi.phi(tensor([1])).item(); // true: decreasing in the margin
 * ```
 */
export function sampleCalibratedLoss(seed: number, opts: CalibratedLossSampler = {}): CalibratedLoss {
  const k = opts.components ?? 3;
  if (!Number.isInteger(k) || k < 1)
    throw new ValueError(`sampleCalibratedLoss: components must be a positive integer, got ${k}`);
  const [l0, l1] = opts.locationRange ?? [-1, 2];
  const [s0, s1] = opts.scaleRange ?? [0.1, 3];
  if (!(s0 > 0 && s1 >= s0) || !(l1 >= l0))
    throw new ValueError(`sampleCalibratedLoss: invalid ranges location [${l0}, ${l1}], scale [${s0}, ${s1}]`);
  const u = random
    .uniform(seedKey('sampleCalibratedLoss', seed), [3, k], { dtype: 'float64', device: 'cpu' })
    .dataSync();
  // Dirichlet(1) weights are normalised Exp(1) draws; 1 - u lies in (0, 1], so each draw is finite.
  const g = Array.from({ length: k }, (_, j) => -Math.log(1 - u[j]!));
  const total = g.reduce((a, b) => a + b, 0);
  const weights = g.map((v) => v / total);
  const locations = Array.from({ length: k }, (_, j) => l0 + (l1 - l0) * u[k + j]!);
  const [ls0, ls1] = [Math.log(s0), Math.log(s1)];
  const scales = Array.from({ length: k }, (_, j) => Math.exp(ls0 + (ls1 - ls0) * u[2 * k + j]!));
  const derivativeAtZero = -weights.reduce((acc, w, j) => acc + w / (1 + Math.exp(-locations[j]! / scales[j]!)), 0);
  const phi = (z: Tensor): Tensor => {
    const parts = weights.map((w, j) => mul(softplus(mul(sub(locations[j]!, z), 1 / scales[j]!)), w * scales[j]!));
    return sum(stack(parts, 0), 0);
  };
  return { weights, locations, scales, phi, derivativeAtZero };
}

/**
 * Options of {@link ensLoss}: the step's `seed` plus the sampler's settings.
 *
 * @example
 * ```ts
 * import type { EnsLossOptions } from '@difflab/losses';
 * const step = 12;
 * const o: EnsLossOptions = { seed: step, components: 3 };
 * ```
 */
export interface EnsLossOptions extends ReductionOptions, CalibratedLossSampler {
  /** Seed of this step's random loss; pass a new seed every minibatch (e.g. the step number). */
  seed: number;
}

/**
 * EnsLoss ("EnsLoss: Stochastic Calibrated Loss Ensembles for Preventing Overfitting in
 * Classification", 2024): each minibatch uses a freshly drawn convex, calibrated surrogate
 * φ(y f(x)), so SGD averages over an ensemble of consistent losses ("doubly stochastic" gradients).
 * This implementation draws φ from {@link sampleCalibratedLoss} rather than the authors' generator
 * of random derivatives; it keeps the two properties the method relies on (convexity and φ'(0) < 0).
 * `logits` f(x) and `labels` in {-1, 1} share a shape.
 *
 * @param logits - Scores f(x).
 * @param labels - ±1 labels of the same shape.
 * @param opts - See {@link EnsLossOptions}; `seed` is required.
 * @returns The reduced loss.
 * @throws {ShapeError} when the shapes differ.
 * @throws {ValueError} for labels other than ±1 or a missing seed.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { ensLoss } from '@difflab/losses';
 * const f = tensor([2, -0.5, 1]);
 * const y = tensor([1, 1, -1]);
 * ensLoss(f, y, { seed: 0 }).item() > 0; // true; use a new seed every minibatch
 * ```
 */
export function ensLoss(logits: Tensor, labels: Tensor, opts: EnsLossOptions): Tensor {
  const op = 'ensLoss';
  requireFloat(op, 'logits', logits);
  if (!opts || !Number.isFinite(opts.seed)) throw new ValueError(`${op}: opts.seed (a number) is required`);
  if (labels.shape.length !== logits.shape.length || labels.shape.some((d, i) => d !== logits.shape[i]))
    throw new ShapeError(
      `${op}: logits of shape ${fmtShape(logits.shape)} and labels of shape ${fmtShape(labels.shape)} must match`,
    );
  checkSigns(op, 'labels', labels);
  const { phi } = sampleCalibratedLoss(opts.seed, opts);
  return reduce(op, phi(mul(logits, labels.astype(logits.dtype))), opts.reduction);
}
