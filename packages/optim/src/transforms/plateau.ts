import { ValueError, mul, type Tensor } from '@difflab/tensor';
import { matchLeaves, num, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { checkInteger, checkNonNegative, checkRange } from '../core/validate.js';

export interface PlateauOptions {
  /** Multiply the scale by this on a plateau (default 0.1). */
  factor?: number;
  /** Number of non-improving steps tolerated before reducing (default 10). */
  patience?: number;
  /** Minimum significant improvement (default 1e-4). */
  threshold?: number;
  /** 'rel': better than best * (1 - threshold); 'abs': better than best - threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting bad steps again (default 0). */
  cooldown?: number;
  /** Lower bound of the scale (PyTorch's min_lr divided by the base lr; default 0). */
  minScale?: number;
  /** 'min' (a loss, default) or 'max' (an accuracy). */
  mode?: 'min' | 'max';
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

export interface PlateauState {
  scale: number;
  best: number;
  numBad: number;
  cooldownCounter: number;
}

/** One ReduceLROnPlateau step on a metric value: the new state (PyTorch's rules). */
export function plateauStep(state: PlateauState, metric: number, opts: PlateauOptions = {}): PlateauState {
  const factor = opts.factor ?? 0.1;
  const patience = opts.patience ?? 10;
  const threshold = opts.threshold ?? 1e-4;
  const relMode = (opts.thresholdMode ?? 'rel') === 'rel';
  const maxMode = (opts.mode ?? 'min') === 'max';
  const better = maxMode
    ? relMode
      ? metric > state.best * (1 + threshold)
      : metric > state.best + threshold
    : relMode
      ? metric < state.best * (1 - threshold)
      : metric < state.best - threshold;
  let { best, numBad, cooldownCounter, scale } = state;
  if (better) {
    best = metric;
    numBad = 0;
  } else numBad++;
  if (cooldownCounter > 0) {
    cooldownCounter--;
    numBad = 0;
  }
  if (numBad > patience) {
    const next = Math.max(scale * factor, opts.minScale ?? 0);
    if (scale - next > (opts.eps ?? 1e-8)) scale = next;
    cooldownCounter = opts.cooldown ?? 0;
    numBad = 0;
  }
  return { scale, best, numBad, cooldownCounter };
}

/**
 * ReduceLROnPlateau as a gradient transformation: scales the updates by a factor that drops
 * by `factor` when the loss stops improving. Put it after the optimizer:
 * `chain(adam({lr}), reduceOnPlateau({patience: 5}))`. It reads the loss of the step
 * (`step(lossFn, …)`, or `update(grads, state, params, {loss})`).
 */
export function reduceOnPlateau(opts: PlateauOptions = {}): GradientTransformation<PlateauState> {
  const name = 'reduceOnPlateau';
  checkRange(name, 'factor', opts.factor ?? 0.1, 0, 1);
  checkInteger(name, 'patience', opts.patience ?? 10, 0);
  checkNonNegative(name, 'threshold', opts.threshold ?? 1e-4);
  checkInteger(name, 'cooldown', opts.cooldown ?? 0, 0);
  checkNonNegative(name, 'minScale', opts.minScale ?? 0);
  if (opts.mode !== undefined && opts.mode !== 'min' && opts.mode !== 'max') throw new ValueError(`${name}: mode must be 'min' or 'max', got ${String(opts.mode)}`);
  if (opts.thresholdMode !== undefined && opts.thresholdMode !== 'rel' && opts.thresholdMode !== 'abs')
    throw new ValueError(`${name}: thresholdMode must be 'rel' or 'abs', got ${String(opts.thresholdMode)}`);
  const worst = opts.mode === 'max' ? -Infinity : Infinity;
  return {
    name,
    init: () => ({ scale: 1, best: worst, numBad: 0, cooldownCounter: 0 }),
    transform(updates, state, params, ctx) {
      if (ctx.loss === undefined)
        throw new ValueError(`${name}: needs the loss; use step(lossFn, params, state) or update(grads, state, params, {loss})`);
      const p = paramLeaves(name, params);
      const u = matchLeaves(name, 'updates', params, updates);
      // As with PyTorch's scheduler.step(loss) after optimizer.step(), this step uses the current
      // scale and the loss decides the scale of the next one.
      const next = plateauStep(state, num(ctx.loss as number | Tensor), opts);
      return { updates: rebuild(p.treedef, u.map((x) => mul(x, state.scale))), state: next };
    },
  };
}
