import { ValueError } from '@difflab/tensor';
import type { Schedule } from '../core/types.js';
import { checkFinite, checkInteger, checkNonNegative, checkPositive } from '../core/validate.js';

/**
 * Learning-rate schedules: pure functions `step => lr` where `step` counts completed updates
 * from 0, so an optimizer's k-th update uses `schedule(k)`. Values equal those of the
 * torch.optim.lr_scheduler class of the same name after k calls of `scheduler.step()`.
 */

function checkStep(op: string, step: number): void {
  if (!Number.isFinite(step) || step < 0) throw new ValueError(`${op}: step must be a finite number >= 0, got ${step}`);
}

/**
 * A constant learning rate as a {@link Schedule} (optax's `constant_schedule`).
 *
 * @param lr - The learning rate (>= 0).
 * @returns `step => lr`.
 * @throws {ValueError} for a negative lr, or (when called) a negative step.
 *
 * @example
 * ```ts
 * import { constantSchedule } from '@difflab/optim';
 * constantSchedule(0.1)(1000); // 0.1
 * ```
 */
export function constantSchedule(lr: number): Schedule {
  checkNonNegative('constantSchedule', 'lr', lr);
  return (step) => (checkStep('constantSchedule', step), lr);
}

/**
 * Step decay, `lr * gamma^floor(step / stepSize)` (`torch.optim.lr_scheduler.StepLR`).
 *
 * @param opts - `lr` (>= 0), `stepSize` (integer >= 1), `gamma` (default 0.1).
 * @returns The schedule.
 * @throws {ValueError} for invalid options, or (when called) a negative step.
 *
 * @example
 * ```ts
 * import { stepSchedule } from '@difflab/optim';
 * const s = stepSchedule({ lr: 1, stepSize: 10, gamma: 0.5 });
 * [s(0), s(9), s(10), s(25)]; // [1, 1, 0.5, 0.25]
 * ```
 */
export function stepSchedule(opts: { lr: number; stepSize: number; gamma?: number }): Schedule {
  const op = 'stepSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const size = checkInteger(op, 'stepSize', opts.stepSize, 1);
  const gamma = checkNonNegative(op, 'gamma', opts.gamma ?? 0.1);
  return (step) => (checkStep(op, step), lr * gamma ** Math.floor(step / size));
}

/**
 * Multiplies the learning rate by `gamma` at each milestone (`MultiStepLR`).
 *
 * @param opts - `lr` (>= 0), `milestones` (integers >= 0, any order), `gamma` (default 0.1).
 * @returns The schedule.
 * @throws {ValueError} for invalid options, or (when called) a negative step.
 *
 * @example
 * ```ts
 * import { multiStepSchedule } from '@difflab/optim';
 * const s = multiStepSchedule({ lr: 1, milestones: [2, 4] });
 * [s(1), s(2), s(4)]; // [1, 0.1, 0.01] (up to rounding)
 * ```
 */
export function multiStepSchedule(opts: { lr: number; milestones: readonly number[]; gamma?: number }): Schedule {
  const op = 'multiStepSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const gamma = checkNonNegative(op, 'gamma', opts.gamma ?? 0.1);
  const ms = [...opts.milestones].sort((a, b) => a - b);
  ms.forEach((m) => checkInteger(op, 'milestone', m, 0));
  return (step) => {
    checkStep(op, step);
    return lr * gamma ** ms.filter((m) => m <= step).length;
  };
}

/**
 * Exponential decay, `lr * gamma^step` (`ExponentialLR`).
 *
 * @param opts - `lr` (>= 0) and `gamma` (>= 0).
 * @returns The schedule.
 * @throws {ValueError} for invalid options, or (when called) a negative step.
 *
 * @example
 * ```ts
 * import { exponentialSchedule } from '@difflab/optim';
 * exponentialSchedule({ lr: 1, gamma: 0.5 })(3); // 0.125
 * ```
 */
export function exponentialSchedule(opts: { lr: number; gamma: number }): Schedule {
  const op = 'exponentialSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const gamma = checkNonNegative(op, 'gamma', opts.gamma);
  return (step) => (checkStep(op, step), lr * gamma ** step);
}

/**
 * Cosine annealing, `etaMin + (lr - etaMin)(1 + cos(pi step / tMax)) / 2` (`CosineAnnealingLR`).
 *
 * Past `tMax` the cosine continues (rising again), as PyTorch's scheduler does; combine with
 * {@link joinSchedules} to hold the final value instead.
 *
 * @param opts - `lr` (>= 0), `tMax` (> 0), `etaMin` (default 0).
 * @returns The schedule.
 * @throws {ValueError} for invalid options, or (when called) a negative step.
 *
 * @example
 * ```ts
 * import { cosineSchedule } from '@difflab/optim';
 * const s = cosineSchedule({ lr: 1, tMax: 100 });
 * [s(0), s(50), s(100)]; // [1, 0.5, 0] (up to rounding)
 * ```
 */
export function cosineSchedule(opts: { lr: number; tMax: number; etaMin?: number }): Schedule {
  const op = 'cosineSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const tMax = checkPositive(op, 'tMax', opts.tMax);
  const etaMin = checkNonNegative(op, 'etaMin', opts.etaMin ?? 0);
  return (step) => (checkStep(op, step), etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * step) / tMax))) / 2);
}

/**
 * Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter; `CosineAnnealingWarmRestarts`):
 * cosine over periods `t0, t0 tMult, t0 tMult^2, …`, restarting at `lr`.
 *
 * @param opts - `lr` (>= 0), `t0` (integer >= 1), `tMult` (integer >= 1, default 1), `etaMin` (default 0).
 * @returns The schedule.
 * @throws {ValueError} for invalid options, or (when called) a negative step.
 *
 * @example
 * ```ts
 * import { cosineRestartsSchedule } from '@difflab/optim';
 * const s = cosineRestartsSchedule({ lr: 1, t0: 10, tMult: 2 });
 * [s(5), s(10), s(20)]; // [0.5, 1, 0.5] (up to rounding): periods 10, then 20
 * ```
 */
export function cosineRestartsSchedule(opts: { lr: number; t0: number; tMult?: number; etaMin?: number }): Schedule {
  const op = 'cosineRestartsSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const t0 = checkInteger(op, 't0', opts.t0, 1);
  const tMult = checkInteger(op, 'tMult', opts.tMult ?? 1, 1);
  const etaMin = checkNonNegative(op, 'etaMin', opts.etaMin ?? 0);
  return (step) => {
    checkStep(op, step);
    let tCur = step;
    let tI = t0;
    while (tCur >= tI) {
      tCur -= tI;
      tI *= tMult;
    }
    return etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  };
}

/**
 * Linear ramp of the factor from `startFactor` to `endFactor` over `totalIters` steps, then
 * constant (`LinearLR`).
 *
 * @param opts - `lr` (>= 0), `startFactor` (default 1/3), `endFactor` (default 1), `totalIters` (default 5).
 * @returns The schedule.
 * @throws {ValueError} for invalid options, or (when called) a negative step.
 *
 * @example
 * ```ts
 * import { linearSchedule } from '@difflab/optim';
 * const s = linearSchedule({ lr: 1, startFactor: 0, totalIters: 4 });
 * [s(0), s(2), s(10)]; // [0, 0.5, 1]
 * ```
 */
export function linearSchedule(opts: { lr: number; startFactor?: number; endFactor?: number; totalIters?: number }): Schedule {
  const op = 'linearSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const s = checkNonNegative(op, 'startFactor', opts.startFactor ?? 1 / 3);
  const e = checkNonNegative(op, 'endFactor', opts.endFactor ?? 1);
  const n = checkInteger(op, 'totalIters', opts.totalIters ?? 5, 1);
  return (step) => (checkStep(op, step), lr * (s + ((e - s) * Math.min(n, step)) / n));
}

/**
 * Polynomial decay, `lr (1 - min(step, totalIters) / totalIters)^power` (`PolynomialLR`).
 *
 * @param opts - `lr` (>= 0), `totalIters` (default 5), `power` (default 1).
 * @returns The schedule.
 * @throws {ValueError} for invalid options, or (when called) a negative step.
 *
 * @example
 * ```ts
 * import { polynomialSchedule } from '@difflab/optim';
 * polynomialSchedule({ lr: 1, totalIters: 4, power: 2 })(2); // 0.25
 * ```
 */
export function polynomialSchedule(opts: { lr: number; totalIters?: number; power?: number }): Schedule {
  const op = 'polynomialSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const n = checkInteger(op, 'totalIters', opts.totalIters ?? 5, 1);
  const power = checkFinite(op, 'power', opts.power ?? 1);
  return (step) => (checkStep(op, step), lr * (1 - Math.min(n, step) / n) ** power);
}

/**
 * Linear warm-up from `startFactor * lr` to `lr` over `warmupSteps`, then `after(step - warmupSteps)`
 * (constant `lr` by default).
 *
 * With `after = cosineSchedule(...)` it equals PyTorch's
 * `SequentialLR([LinearLR, CosineAnnealingLR], milestones=[warmupSteps])` (optax's `warmup_cosine_decay_schedule`).
 *
 * @param opts - `lr` (>= 0), `warmupSteps` (integer >= 0), `startFactor` (default 0), `after` (optional schedule).
 * @returns The schedule.
 * @throws {ValueError} for invalid options, or (when called) a negative step.
 *
 * @example
 * ```ts
 * import { cosineSchedule, linearWarmup } from '@difflab/optim';
 * const s = linearWarmup({ lr: 1, warmupSteps: 10, after: cosineSchedule({ lr: 1, tMax: 90 }) });
 * [s(0), s(5), s(10)]; // [0, 0.5, 1]
 * ```
 */
export function linearWarmup(opts: { lr: number; warmupSteps: number; startFactor?: number; after?: Schedule }): Schedule {
  const op = 'linearWarmup';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const w = checkInteger(op, 'warmupSteps', opts.warmupSteps, 0);
  const s = checkNonNegative(op, 'startFactor', opts.startFactor ?? 0);
  const after = opts.after ?? (() => lr);
  return (step) => {
    checkStep(op, step);
    return step < w ? lr * (s + ((1 - s) * step) / w) : after(step - w);
  };
}

/**
 * Concatenates schedules (`SequentialLR`, optax's `join_schedules`): `schedules[i]` runs from
 * `boundaries[i-1]` on, with its step restarted at 0.
 *
 * @param schedules - n schedules.
 * @param boundaries - n - 1 strictly increasing integer steps (>= 1).
 * @returns The joined schedule.
 * @throws {ValueError} for mismatched lengths or non-increasing boundaries.
 *
 * @example
 * ```ts
 * import { constantSchedule, exponentialSchedule, joinSchedules } from '@difflab/optim';
 * const s = joinSchedules([constantSchedule(1), exponentialSchedule({ lr: 1, gamma: 0.5 })], [10]);
 * [s(9), s(10), s(12)]; // [1, 1, 0.25]
 * ```
 */
export function joinSchedules(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  const op = 'joinSchedules';
  if (schedules.length === 0 || boundaries.length !== schedules.length - 1)
    throw new ValueError(`${op}: needs n schedules and n - 1 boundaries, got ${schedules.length} and ${boundaries.length}`);
  boundaries.forEach((b, i) => {
    checkInteger(op, 'boundary', b, 1);
    if (i > 0 && b <= boundaries[i - 1]!) throw new ValueError(`${op}: boundaries must increase, got ${JSON.stringify(boundaries)}`);
  });
  return (step) => {
    checkStep(op, step);
    let i = 0;
    while (i < boundaries.length && step >= boundaries[i]!) i++;
    return schedules[i]!(step - (i > 0 ? boundaries[i - 1]! : 0));
  };
}
