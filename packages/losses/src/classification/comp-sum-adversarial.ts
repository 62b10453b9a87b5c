import {
  ValueError,
  add,
  clamp,
  grad,
  maximum,
  minimum,
  mul,
  norm,
  reshape,
  sign,
  stopGradient,
  sub,
  sum,
  tensor,
  type Tensor,
} from '@difflab/tensor';
import { Prng } from '../core/prng.js';
import { reduce } from '../core/reduction.js';
import { checkPositiveNumber } from '../core/validate.js';
import { compSum, type CompSumOptions } from './comp-sum.js';

/**
 * Options of {@link smoothAdvCompSum}: the comp-sum `tau` plus the inner maximisation's settings.
 *
 * @example
 * ```ts
 * import type { SmoothAdvCompSumOptions } from '@difflab/losses';
 * const o: SmoothAdvCompSumOptions = { radius: 8 / 255, norm: 'inf', steps: 10, bounds: [0, 1], nu: 6 };
 * ```
 */
export interface SmoothAdvCompSumOptions extends CompSumOptions {
  /** Radius γ of the input perturbation ball. Required. */
  radius: number;
  /** Weight ν of the smoothness term. Default 1. */
  nu?: number;
  /** Norm of the ball: 2 (default) or 'inf'. */
  norm?: 2 | 'inf';
  /** Projected gradient-ascent steps of the inner maximisation. Default 10. */
  steps?: number;
  /** Ascent step size. Default 2.5 γ / steps. */
  stepSize?: number;
  /** Inputs are clipped into this box after every step (e.g. [0, 1] for images). */
  bounds?: [number, number];
  /** Seed of the small random start (the objective is flat at δ = 0). Default 0. */
  seed?: number;
}

/** Per-sample projection of δ [N, ...] onto the ball of the given norm and radius. */
function project(delta: Tensor, radius: number, kind: 2 | 'inf'): Tensor {
  if (kind === 'inf') return clamp(delta, -radius, radius);
  const n = delta.shape[0]!;
  const flat = reshape(delta, [n, -1]);
  const scale = minimum(mul(maximum(norm(flat, 2, 1, true), 1e-12).reciprocal(), radius), 1);
  return reshape(mul(flat, scale), delta.shape);
}

function ascentStep(delta: Tensor, g: Tensor, step: number, kind: 2 | 'inf'): Tensor {
  if (kind === 'inf') return add(delta, mul(sign(g), step));
  const n = g.shape[0]!;
  const flat = reshape(g, [n, -1]);
  const unit = reshape(flat.div(maximum(norm(flat, 2, 1, true), 1e-12)), g.shape);
  return add(delta, mul(unit, step));
}

/**
 * Smooth adversarial comp-sum loss (Mao, Mohri & Zhong, ICML 2023, Section 6): the comp-sum loss of
 * the clean logits plus ν·sup_{‖x' - x‖ ≤ γ} ‖h(x') - h(x)‖₂, a TRADES-like smoothness penalty on the
 * score vector. The supremum is approximated per sample by projected gradient ascent from a small
 * random start; the maximiser is treated as a constant (as in adversarial training), so gradients
 * reach the model's parameters through h(x) and h(x*). `model` maps inputs [N, ...] to logits [N, C].
 *
 * @param model - Maps inputs `[N, ...]` to logits `[N, C]`.
 * @param x - Clean inputs `[N, ...]`.
 * @param labels - int32 class indices `[N]`.
 * @param opts - See {@link SmoothAdvCompSumOptions}; `radius` is required.
 * @returns The reduced loss (differentiable in the model's parameters).
 * @throws {ValueError} for a missing or negative radius, an unknown norm or invalid steps.
 *
 * @example
 * ```ts
 * import { matmul, tensor, type Tensor } from '@difflab/tensor';
 * import { smoothAdvCompSum } from '@difflab/losses';
 * const W = tensor([[1, -1], [-1, 1]]);
 * const model = (x: Tensor) => matmul(x, W);
 * const x = tensor([[1, 0], [0, 1]]);
 * const loss = smoothAdvCompSum(model, x, tensor([0, 1], { dtype: 'int32' }), { radius: 0.1, steps: 5 });
 * loss.item() > 0; // true
 * ```
 */
export function smoothAdvCompSum(
  model: (x: Tensor) => Tensor,
  x: Tensor,
  labels: Tensor,
  opts: SmoothAdvCompSumOptions,
): Tensor {
  const op = 'smoothAdvCompSum';
  if (!opts || opts.radius === undefined)
    throw new ValueError(`${op}: opts.radius (the perturbation radius γ) is required`);
  const radius = opts.radius;
  checkPositiveNumber(op, 'radius', radius);
  const nu = opts.nu ?? 1;
  checkPositiveNumber(op, 'nu', nu, true);
  const steps = opts.steps ?? 10;
  if (!Number.isInteger(steps) || steps < 1)
    throw new ValueError(`${op}: steps must be a positive integer, got ${steps}`);
  const step = opts.stepSize ?? (2.5 * radius) / steps;
  checkPositiveNumber(op, 'stepSize', step);
  const kind = opts.norm ?? 2;
  if (kind !== 2 && kind !== 'inf') throw new ValueError(`${op}: norm must be 2 or 'inf', got ${String(kind)}`);
  if (x.ndim < 1) throw new ValueError(`${op}: x must have a batch dimension`);

  const logits = model(x);
  const clean = stopGradient(logits);
  const x0 = stopGradient(x);
  const rng = new Prng(opts.seed ?? 0);
  const init = Array.from({ length: x.size }, () => 1e-3 * radius * rng.normal());
  let delta = project(reshape(tensor(init, { dtype: x.dtype, device: x.device }), x.shape), radius, kind);
  const inBox = (d: Tensor) => (opts.bounds ? sub(clamp(add(x0, d), opts.bounds[0], opts.bounds[1]), x0) : d);
  const objective = (d: Tensor) => sum(norm(sub(model(add(x0, d)), clean), 2, 1));
  for (let i = 0; i < steps; i++) {
    const g = stopGradient(grad(objective)(delta) as Tensor);
    delta = stopGradient(inBox(project(ascentStep(delta, g, step, kind), radius, kind)));
  }
  const base = compSum(logits, labels, { tau: opts.tau, reduction: 'none' });
  const smooth = norm(sub(model(add(x0, delta)), logits), 2, 1);
  return reduce(op, add(reshape(base, [-1]), mul(smooth, nu)), opts.reduction);
}
