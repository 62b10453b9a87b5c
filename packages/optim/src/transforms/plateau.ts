import { ValueError, mul, type Tensor } from '@difflab/tensor';
import { matchLeaves, num, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { GradientTransformation } from '../core/types.js';
import { checkInteger, checkNonNegative, checkRange } from '../core/validate.js';

/**
 * Options of {@link reduceOnPlateau} and {@link plateauStep}; names and defaults follow
 * `torch.optim.lr_scheduler.ReduceLROnPlateau`.
 *
 * @example
 * ```ts
 * import { reduceOnPlateau, type PlateauOptions } from '@difflab/optim';
 * const o: PlateauOptions = { factor: 0.5, patience: 3, cooldown: 1 };
 * const t = reduceOnPlateau(o);
 * ```
 */
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

/**
 * State of {@link reduceOnPlateau}: the current scale and PyTorch's bookkeeping.
 *
 * @example
 * ```ts
 * import { plateauStep, type PlateauState } from '@difflab/optim';
 * const s: PlateauState = { scale: 1, best: Infinity, numBad: 0, cooldownCounter: 0 };
 * plateauStep(s, 0.5).best; // 0.5
 * ```
 */
export interface PlateauState {
  /** Factor applied to the updates (the learning-rate multiplier). */
  scale: number;
  /** Best metric seen so far. */
  best: number;
  /** Consecutive non-improving steps. */
  numBad: number;
  /** Steps of cooldown left. */
  cooldownCounter: number;
}

/**
 * One `ReduceLROnPlateau.step(metric)` with PyTorch's rules: returns the new state (scale,
 * best, bad-step count, cooldown). Useful to drive a schedule from a validation metric by hand.
 *
 * @param state - The current state.
 * @param metric - The new metric value (a loss in `'min'` mode).
 * @param opts - See {@link PlateauOptions}.
 * @returns The new state.
 *
 * @example
 * ```ts
 * import { plateauStep } from '@difflab/optim';
 * let s = { scale: 1, best: Infinity, numBad: 0, cooldownCounter: 0 };
 * for (const loss of [1, 1, 1]) s = plateauStep(s, loss, { patience: 1, factor: 0.5 });
 * s.scale; // 0.5
 * ```
 */
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
 * by `factor` when the loss stops improving.
 *
 * Put it after the optimizer: `chain(adam({lr}), reduceOnPlateau({patience: 5}))`. It reads the
 * loss of the step (`step(lossFn, …)`, or `update(grads, state, params, {loss})`); as PyTorch's
 * `scheduler.step(loss)` after `optimizer.step()`, a step uses the current scale and its loss sets the next one's.
 *
 * @param opts - See {@link PlateauOptions}.
 * @returns The gradient transformation.
 * @throws {ValueError} for invalid options, or (at transform time) when no loss is available.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { chain, reduceOnPlateau, sgd } from '@difflab/optim';
 * const opt = chain(sgd({ lr: 0.1 }), reduceOnPlateau({ patience: 0, factor: 0.5 }));
 * let params = { w: tensor([1]) };
 * let state = opt.init(params);
 * for (let i = 0; i < 3; i++) ({ params, state } = opt.update({ w: tensor([0]) }, state, params, { loss: 1 }));
 * (state[1] as { scale: number }).scale; // 0.25
 * ```
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
