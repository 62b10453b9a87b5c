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

/** A constant learning rate. */
export function constantSchedule(lr: number): Schedule {
  checkNonNegative('constantSchedule', 'lr', lr);
  return (step) => (checkStep('constantSchedule', step), lr);
}

/** StepLR: lr * gamma^floor(step / stepSize). */
export function stepSchedule(opts: { lr: number; stepSize: number; gamma?: number }): Schedule {
  const op = 'stepSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const size = checkInteger(op, 'stepSize', opts.stepSize, 1);
  const gamma = checkNonNegative(op, 'gamma', opts.gamma ?? 0.1);
  return (step) => (checkStep(op, step), lr * gamma ** Math.floor(step / size));
}

/** MultiStepLR: multiply by gamma at each milestone. */
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

/** ExponentialLR: lr * gamma^step. */
export function exponentialSchedule(opts: { lr: number; gamma: number }): Schedule {
  const op = 'exponentialSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const gamma = checkNonNegative(op, 'gamma', opts.gamma);
  return (step) => (checkStep(op, step), lr * gamma ** step);
}

/**
 * CosineAnnealingLR: etaMin + (lr - etaMin)(1 + cos(pi step / tMax)) / 2. Past tMax the cosine
 * continues (rising again), as PyTorch's scheduler does.
 */
export function cosineSchedule(opts: { lr: number; tMax: number; etaMin?: number }): Schedule {
  const op = 'cosineSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const tMax = checkPositive(op, 'tMax', opts.tMax);
  const etaMin = checkNonNegative(op, 'etaMin', opts.etaMin ?? 0);
  return (step) => (checkStep(op, step), etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * step) / tMax))) / 2);
}

/**
 * CosineAnnealingWarmRestarts (SGDR, Loshchilov & Hutter): cosine over periods t0, t0 tMult,
 * t0 tMult^2, …, restarting at lr.
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

/** LinearLR: factor moves linearly from startFactor to endFactor over totalIters steps, then stays. */
export function linearSchedule(opts: { lr: number; startFactor?: number; endFactor?: number; totalIters?: number }): Schedule {
  const op = 'linearSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const s = checkNonNegative(op, 'startFactor', opts.startFactor ?? 1 / 3);
  const e = checkNonNegative(op, 'endFactor', opts.endFactor ?? 1);
  const n = checkInteger(op, 'totalIters', opts.totalIters ?? 5, 1);
  return (step) => (checkStep(op, step), lr * (s + ((e - s) * Math.min(n, step)) / n));
}

/** PolynomialLR: lr (1 - min(step, totalIters) / totalIters)^power. */
export function polynomialSchedule(opts: { lr: number; totalIters?: number; power?: number }): Schedule {
  const op = 'polynomialSchedule';
  const lr = checkNonNegative(op, 'lr', opts.lr);
  const n = checkInteger(op, 'totalIters', opts.totalIters ?? 5, 1);
  const power = checkFinite(op, 'power', opts.power ?? 1);
  return (step) => (checkStep(op, step), lr * (1 - Math.min(n, step) / n) ** power);
}

/**
 * Linear warm-up from `startFactor * lr` to `lr` over `warmupSteps`, then `after(step - warmupSteps)`
 * (constant `lr` by default). With `after = cosineSchedule(...)` it equals PyTorch's
 * SequentialLR([LinearLR, CosineAnnealingLR], milestones=[warmupSteps]).
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
 * Concatenates schedules (SequentialLR): `schedules[i]` runs from `boundaries[i-1]`, restarted at 0.
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
