import { ValueError } from '@difflab/tensor';
import type { Schedule } from '../core/types.js';
import { checkInteger, checkPositive, checkRange } from '../core/validate.js';

/**
 * Options of {@link oneCycleSchedule}; names and defaults follow `torch.optim.lr_scheduler.OneCycleLR`.
 *
 * @example
 * ```ts
 * import { oneCycleSchedule, type OneCycleOptions } from '@difflab/optim';
 * const o: OneCycleOptions = { maxLr: 0.1, totalSteps: 1000, pctStart: 0.25, annealStrategy: 'linear' };
 * const s = oneCycleSchedule(o);
 * ```
 */
export interface OneCycleOptions {
  /** Peak learning rate (> 0). */
  maxLr: number;
  /** Length of the cycle in steps (integer >= 1). */
  totalSteps: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'` interpolation within each phase. */
  annealStrategy?: 'cos' | 'linear';
  /** Initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Up, down to the initial lr, then annihilate (fast.ai's variant) instead of up then down. */
  threePhase?: boolean;
}

/**
 * The 1cycle policy (Smith & Topin, "Super-Convergence"): warm up from `maxLr / divFactor` to
 * `maxLr`, then anneal to `initial / finalDivFactor`; phase boundaries exactly as PyTorch's `OneCycleLR`.
 *
 * Defined for steps 0…`totalSteps`.
 *
 * @param opts - See {@link OneCycleOptions}.
 * @returns The schedule.
 * @throws {ValueError} for invalid options, or (when called) a step outside [0, totalSteps].
 *
 * @example
 * ```ts
 * import { oneCycleSchedule } from '@difflab/optim';
 * const s = oneCycleSchedule({ maxLr: 1, totalSteps: 100 });
 * s(0); // 0.04: maxLr / divFactor
 * s(29); // 1: the peak, at pctStart * totalSteps - 1
 * ```
 */
export function oneCycleSchedule(opts: OneCycleOptions): Schedule {
  const op = 'oneCycleSchedule';
  const maxLr = checkPositive(op, 'maxLr', opts.maxLr);
  const total = checkInteger(op, 'totalSteps', opts.totalSteps, 1);
  const pct = checkRange(op, 'pctStart', opts.pctStart ?? 0.3, 0, 1, true);
  const div = checkPositive(op, 'divFactor', opts.divFactor ?? 25);
  const finalDiv = checkPositive(op, 'finalDivFactor', opts.finalDivFactor ?? 1e4);
  const strategy = opts.annealStrategy ?? 'cos';
  if (strategy !== 'cos' && strategy !== 'linear') throw new ValueError(`${op}: annealStrategy must be 'cos' or 'linear', got ${String(strategy)}`);
  const anneal =
    strategy === 'cos'
      ? (a: number, b: number, p: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1)
      : (a: number, b: number, p: number) => (b - a) * p + a;
  const initial = maxLr / div;
  const minLr = initial / finalDiv;
  const phases = opts.threePhase
    ? [
        { end: pct * total - 1, from: initial, to: maxLr },
        { end: 2 * pct * total - 2, from: maxLr, to: initial },
        { end: total - 1, from: initial, to: minLr },
      ]
    : [
        { end: pct * total - 1, from: initial, to: maxLr },
        { end: total - 1, from: maxLr, to: minLr },
      ];
  return (step) => {
    if (!Number.isFinite(step) || step < 0 || step > total)
      throw new ValueError(`${op}: step ${step} outside the cycle of ${total} steps`);
    let start = 0;
    for (let i = 0; i < phases.length; i++) {
      const ph = phases[i]!;
      if (step <= ph.end || i === phases.length - 1) return anneal(ph.from, ph.to, (step - start) / (ph.end - start));
      start = ph.end;
    }
    return minLr;
  };
}
