import { ValueError, tidy, tree, type Tensor } from '@difflab/tensor';
import type { LossFn, Optimizer } from './core/types.js';
import { checkInteger, checkNonNegative } from './core/validate.js';

/**
 * What {@link minimize}'s `onStep` callback receives after each step.
 *
 * @example
 * ```ts
 * import type { Tensor } from '@difflab/tensor';
 * import type { StepInfo } from '@difflab/optim';
 * const log = (info: StepInfo<{ w: Tensor }, unknown>) => {
 *   if (info.step % 100 === 0) console.log(info.step, info.loss);
 * };
 * ```
 */
export interface StepInfo<P, S> {
  /** 0-based index of the step just taken. */
  step: number;
  /** Loss at the params the step started from. */
  loss: number;
  /** The params after the step. */
  params: P;
  /** The optimizer state after the step. */
  state: S;
}

/**
 * Options of {@link minimize} and {@link minimizeSync}.
 *
 * @example
 * ```ts
 * import type { Tensor } from '@difflab/tensor';
 * import type { MinimizeOptions } from '@difflab/optim';
 * const controller = new AbortController();
 * const o: MinimizeOptions<{ w: Tensor }, unknown> = { steps: 500, patience: 20, minDelta: 1e-6, signal: controller.signal };
 * ```
 */
export interface MinimizeOptions<P, S> {
  /** Maximum number of optimizer steps. */
  steps: number;
  /** Called after every step; return `false` to stop. */
  onStep?: (info: StepInfo<P, S>) => void | boolean;
  /** Stops the loop (checked before every step). */
  signal?: AbortSignal;
  /** Early stopping: stop after this many steps without an improvement larger than `minDelta`. */
  patience?: number;
  /** Minimum decrease of the loss that counts as an improvement (default 0). */
  minDelta?: number;
  /** Resume from this optimizer state instead of `opt.init(params)`. */
  state?: S;
  /** `minimize` (async) yields to the event loop every this many steps (default 1) so `signal` can fire. */
  yieldEvery?: number;
}

/**
 * Why {@link minimize} stopped: the step budget ran out, early stopping, the signal fired,
 * `onStep` returned `false`, or the loss became non-finite.
 *
 * @example
 * ```ts
 * import type { StopReason } from '@difflab/optim';
 * const ok = (r: StopReason) => r === 'steps' || r === 'patience';
 * ```
 */
export type StopReason = 'steps' | 'patience' | 'aborted' | 'callback' | 'diverged';

/**
 * Result of {@link minimize}: the final params and state, the loss history and the best iterate.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { minimizeSync, sgd, type MinimizeResult } from '@difflab/optim';
 * const r: MinimizeResult<{ w: Tensor }, unknown> = minimizeSync((p) => p.w.square().sum(), { w: tensor([1]) }, sgd({ lr: 0.25 }), { steps: 2 });
 * r.losses; // [1, 0.25]
 * ```
 */
export interface MinimizeResult<P, S> {
  /** Params after the last step. */
  params: P;
  /** Optimizer state after the last step. */
  state: S;
  /** Loss before each step. */
  losses: number[];
  /** Number of steps taken. */
  steps: number;
  /** The lowest loss seen and the params where it was measured. */
  bestLoss: number;
  /** Params at which `bestLoss` was measured. */
  bestParams: P;
  /** Why the loop ended. */
  stopReason: StopReason;
}

function* loop<P, S>(lossFn: LossFn<P>, params0: P, opt: Optimizer<S>, o: MinimizeOptions<P, S>): Generator<void, MinimizeResult<P, S>> {
  const name = 'minimize';
  if (typeof lossFn !== 'function') throw new ValueError(`${name}: lossFn must be a function (params => scalar Tensor)`);
  if (!opt || typeof opt.step !== 'function') throw new ValueError(`${name}: opt must be an optimizer (with init and step)`);
  const steps = checkInteger(name, 'steps', o?.steps, 0);
  const patience = o.patience === undefined ? Infinity : checkInteger(name, 'patience', o.patience, 1);
  const minDelta = checkNonNegative(name, 'minDelta', o.minDelta ?? 0);

  // Tensors minimize created itself are freed once nothing refers to them, so device memory stays flat.
  const userOwned = new Set<Tensor>([...tree.leaves(params0), ...(o.state === undefined ? [] : tree.leaves(o.state))]);
  let params = params0;
  let state = o.state ?? opt.init(params0);
  let bestLoss = Infinity;
  let bestParams = params0;
  let sinceBest = 0;
  const losses: number[] = [];
  let reason: StopReason = 'steps';
  const release = (old: unknown[], keepers: unknown[]) => {
    const keep = new Set<Tensor>(keepers.flatMap((k) => tree.leaves(k)));
    for (const t of old.flatMap((x) => tree.leaves(x))) if (!keep.has(t) && !userOwned.has(t)) t.dispose();
  };

  for (let k = 0; k < steps; k++) {
    if (o.signal?.aborted) {
      reason = 'aborted';
      break;
    }
    const r = tidy(() => opt.step(lossFn, params, state));
    const loss = r.loss.item();
    r.loss.dispose();
    losses.push(loss);
    const prevParams = params;
    const prevState = state;
    params = r.params;
    state = r.state;
    if (!Number.isFinite(loss)) {
      reason = 'diverged';
      release([prevParams, prevState], [params, state, bestParams]);
      break;
    }
    if (loss < bestLoss - minDelta || bestLoss === Infinity) {
      const oldBest = bestParams;
      bestLoss = loss;
      bestParams = prevParams;
      sinceBest = 0;
      release([prevState, oldBest], [params, state, bestParams]);
    } else {
      sinceBest++;
      release([prevParams, prevState], [params, state, bestParams]);
    }
    if (o.onStep && o.onStep({ step: k, loss, params, state }) === false) {
      reason = 'callback';
      break;
    }
    if (sinceBest >= patience) {
      reason = 'patience';
      break;
    }
    yield;
  }
  return { params, state, losses, steps: losses.length, bestLoss, bestParams, stopReason: reason };
}

/**
 * Runs `opt.step(lossFn, …)` up to `steps` times with early stopping (`patience`), an `onStep`
 * callback and an `AbortSignal`, yielding to the event loop between steps so the signal can fire
 * and a UI can repaint.
 *
 * Intermediate tensors (including those created by `lossFn`) are freed after each step; the
 * caller's own params and state are never disposed.
 *
 * @param lossFn - Scalar loss of the params.
 * @param params - Initial params pytree.
 * @param opt - Any optimizer (closure-only methods included).
 * @param opts - See {@link MinimizeOptions}; `steps` is required.
 * @returns A promise of the {@link MinimizeResult}.
 * @throws {ValueError} for a non-function lossFn, a non-optimizer, or invalid counts.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { adam, minimize } from '@difflab/optim';
 * const r = await minimize((p) => p.w.sub(2).square().sum(), { w: tensor([0]) }, adam({ lr: 0.1 }), {
 *   steps: 300,
 *   patience: 10,
 *   onStep: ({ step, loss }) => { if (step % 100 === 0) console.log(step, loss); },
 * });
 * r.bestParams.w.item(); // about 2
 * ```
 */
export async function minimize<P, S>(lossFn: LossFn<P>, params: P, opt: Optimizer<S>, opts: MinimizeOptions<P, S>): Promise<MinimizeResult<P, S>> {
  const every = checkInteger('minimize', 'yieldEvery', opts?.yieldEvery ?? 1, 1);
  const it = loop(lossFn, params, opt, opts);
  let n = 0;
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    if (++n % every === 0) await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * Synchronous {@link minimize}: the same loop without yielding, so the signal is only seen when it
 * fires from `onStep` or before the call.
 *
 * @param lossFn - Scalar loss of the params.
 * @param params - Initial params pytree.
 * @param opt - Any optimizer.
 * @param opts - See {@link MinimizeOptions} (`yieldEvery` is ignored).
 * @returns The {@link MinimizeResult}.
 * @throws {ValueError} for a non-function lossFn, a non-optimizer, or invalid counts.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lbfgs, minimizeSync } from '@difflab/optim';
 * const r = minimizeSync((p) => p.w.sub(2).square().sum(), { w: tensor([0], { dtype: 'float64' }) }, lbfgs(), { steps: 1 });
 * r.params.w.item(); // 2
 * r.stopReason; // 'steps'
 * ```
 */
export function minimizeSync<P, S>(lossFn: LossFn<P>, params: P, opt: Optimizer<S>, opts: MinimizeOptions<P, S>): MinimizeResult<P, S> {
  const it = loop(lossFn, params, opt, opts);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}
