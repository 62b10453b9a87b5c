import { adam, jacobianDescent, lbfgs, type Aggregator, type AggregatorName, type LearningRate } from '@difflab/optim';
import { Tensor, ValueError, stack, tidy, valueAndGrad } from '@difflab/tensor';
import { integer, nonNegative, positive } from '../internal/checks.js';
import type { Pinn, PinnParams } from './problem.js';
import { resample, type ResamplingOptions } from './resampling.js';

/**
 * What `trainPinn`’s `onStep` callback receives after every Adam step and L-BFGS chunk.
 *
 * @example
 * ```ts
 * import { type PinnStepInfo } from '@difflab/pde';
 * const onStep = (s: PinnStepInfo<unknown>) => {
 *   if (s.phase === 'lbfgs') console.log(s.step, s.loss, s.losses);
 * };
 * ```
 */
export interface PinnStepInfo<P> {
  /** The training phase. */
  phase: 'adam' | 'lbfgs';
  /** Adam steps or L-BFGS iterations completed in this phase. */
  step: number;
  /** Weighted total loss. */
  loss: number;
  /** Unweighted terms by name (on logged steps; empty otherwise). */
  losses: Record<string, number>;
  /** Parameters after this step. */
  params: PinnParams<P>;
  /** Milliseconds since training started. */
  elapsed: number;
}

/**
 * One logged step of `trainPinn` (its `history`): a {@link PinnStepInfo} without the params.
 *
 * @example
 * ```ts
 * import { type PinnHistoryEntry } from '@difflab/pde';
 * const last = (history: PinnHistoryEntry[]) => history.at(-1)?.loss;
 * ```
 */
export type PinnHistoryEntry = Omit<PinnStepInfo<unknown>, 'params'>;

/**
 * Options of {@link trainPinn}.
 *
 * @example
 * ```ts
 * import { type TrainPinnOptions } from '@difflab/pde';
 * const opts: TrainPinnOptions<unknown> = {
 *   adam: { steps: 2000, lr: 1e-3 },
 *   lbfgs: { iterations: 5000, chunk: 100 },
 *   resampling: { method: 'rad', every: 500 },
 * };
 * ```
 */
export interface TrainPinnOptions<P> {
  /** Starting params (default the problem's initial params). */
  params?: PinnParams<P>;
  /** First phase: Adam (Kingma & Ba) for `steps` steps (default lr 1e-3). */
  adam?: {
    /** Number of Adam steps. */
    steps: number;
    /** Learning rate or schedule (default 1e-3). */
    lr?: LearningRate;
    /** First-moment decay (default 0.9). */
    b1?: number;
    /** Second-moment decay (default 0.999). */
    b2?: number;
  };
  /**
   * Second phase: L-BFGS with strong-Wolfe line search for `iterations` iterations, run in chunks
   * of `chunk` iterations between callbacks (default 50); stops early at `toleranceGrad` /
   * `toleranceChange` (defaults 1e-9, 1e-12 — tight, as PINN losses get small).
   */
  lbfgs?: {
    /** Number of L-BFGS iterations. */
    iterations: number;
    /** Curvature pairs kept (default 50). */
    historySize?: number;
    /** Iterations between callbacks (default 50). */
    chunk?: number;
    /** Stop when the largest gradient entry falls below this (default 1e-9). */
    toleranceGrad?: number;
    /** Stop when the step or the loss change falls below this (default 1e-12). */
    toleranceChange?: number;
  };
  /**
   * How the loss terms are combined in the Adam phase: 'fixed' (the weighted sum, default) or a
   * multi-objective aggregator of `@difflab/optim` ('upgrad', 'mgda', 'pcgrad', 'config', 'mean' or
   * a function), applied by Jacobian descent to the per-term gradients.
   */
  balancing?: 'fixed' | AggregatorName | Aggregator;
  /** Residual-based resampling of the collocation points during the Adam phase (needs the problem's geometry). */
  resampling?: ResamplingOptions;
  /**
   * Causal training schedule (Wang et al. 2022): move to the next ε once the smallest causal weight
   * exceeds `delta` (default 0.99), checked every `every` steps (default 100).
   */
  causalSchedule?: {
    /** Increasing causality parameters ε to move through. */
    epsilons: readonly number[];
    /** Move on once the smallest causal weight exceeds this (default 0.99). */
    delta?: number;
    /** Adam steps between checks (default 100). */
    every?: number;
  };
  /** Record per-term losses every `logEvery` steps (default 100; L-BFGS: every chunk). */
  logEvery?: number;
  /** Called after every Adam step and every L-BFGS chunk; return false to stop. */
  onStep?: (info: PinnStepInfo<P>) => void | boolean;
  /** Stops training between steps when aborted. */
  signal?: AbortSignal;
}

/**
 * Result of {@link trainPinn}.
 *
 * @example
 * ```ts
 * import { interval, pinn, pinnMlp, trainPinn, type TrainPinnResult } from '@difflab/pde';
 * const problem = pinn({ model: pinnMlp([1, 8, 1]), collocation: interval(0, 1).sample(16), pde: (D) => D.d2(0, 0).add(1) });
 * const r: TrainPinnResult<typeof problem.initialParams.net> = await trainPinn(problem, { adam: { steps: 10 } });
 * r.stopReason; // 'done'
 * ```
 */
export interface TrainPinnResult<P> {
  /** The trained parameters. */
  params: PinnParams<P>;
  /** Loss after every step (per-term losses on logged steps). */
  history: PinnHistoryEntry[];
  /** Why training ended: all steps run ('done'), the signal, the callback, a non-finite loss ('diverged') or L-BFGS convergence. */
  stopReason: 'done' | 'aborted' | 'callback' | 'diverged' | 'converged';
  /** Milliseconds of training. */
  elapsed: number;
  /** Collocation points at the end (changed by resampling). */
  collocation: Tensor;
}

/**
 * Trains a PINN: Adam (optionally with loss balancing, resampling and a causal schedule), then
 * L-BFGS on the weighted loss — the usual recipe. Yields to the event loop between steps so an
 * `AbortSignal` can stop it; the callback sees every step.
 *
 * @example
 * ```ts
 * import { hardConstraint, interval, pinn, pinnMlp, trainPinn } from '@difflab/pde';
 * import { mul, sin, square, sub } from '@difflab/tensor';
 * const I = interval(-1, 1);
 * const problem = pinn({
 *   model: pinnMlp([1, 16, 16, 1], { dtype: 'float64' }),
 *   geometry: I,
 *   collocation: I.sample(64, { method: 'sobol', dtype: 'float64' }),
 *   pde: (D) => D.d2(0, 0).add(mul(sin(mul(D.x, Math.PI)), Math.PI ** 2)),
 *   transform: hardConstraint({ distance: (x) => sub(1, square(x)) }),
 * });
 * const { params } = await trainPinn(problem, { adam: { steps: 300, lr: 5e-3 }, lbfgs: { iterations: 300 } });
 * const u = problem.predict(params, I.grid(101, { dtype: 'float64' })); // ≈ sin(πx)
 * ```
 */
export async function trainPinn<P>(problem: Pinn<P>, opts: TrainPinnOptions<P> = {}): Promise<TrainPinnResult<P>> {
  const op = 'trainPinn';
  const t0 = performance.now();
  const history: PinnHistoryEntry[] = [];
  const logEvery = integer(op, 'logEvery', opts.logEvery ?? 100, 1);
  let params = opts.params ?? problem.initialParams;
  let stop: TrainPinnResult<P>['stopReason'] = 'done';
  const termLosses = (p: PinnParams<P>, ls?: number[]) => {
    const values = ls ?? tidy(() => stack(problem.losses(p)).dataSync() as unknown as number[]);
    return Object.fromEntries(problem.names.map((n, i) => [n, Number(values[i])]));
  };
  const report = (phase: 'adam' | 'lbfgs', step: number, loss: number, losses: Record<string, number>): boolean => {
    const elapsed = performance.now() - t0;
    history.push({ phase, step, loss, losses, elapsed });
    if (!Number.isFinite(loss)) {
      stop = 'diverged';
      return false;
    }
    if (opts.onStep && opts.onStep({ phase, step, loss, losses, params, elapsed }) === false) {
      stop = 'callback';
      return false;
    }
    if (opts.signal?.aborted) {
      stop = 'aborted';
      return false;
    }
    return true;
  };
  // setImmediate (Node) yields without setTimeout's clamped delay; browsers only have setTimeout.
  const immediate = (globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate;
  const yieldLoop = () => new Promise<void>((r) => (immediate ? immediate(r) : setTimeout(r, 0)));

  if (opts.adam) {
    const steps = integer(op, 'adam.steps', opts.adam.steps, 0);
    const base = adam({ lr: opts.adam.lr ?? 1e-3, b1: opts.adam.b1, b2: opts.adam.b2 });
    const balancing = opts.balancing ?? 'fixed';
    const jd = balancing === 'fixed' ? null : jacobianDescent({ aggregator: balancing, optimizer: base });
    let state: unknown = jd ? jd.init(params) : base.init(params);
    const rs = opts.resampling;
    if (rs) {
      if (!problem.geometry) throw new ValueError(`${op}: resampling needs the problem's geometry`);
      integer(op, 'resampling.every', rs.every, 1);
    }
    const cs = opts.causalSchedule;
    let epsIndex = 0;
    if (cs) {
      if (!problem.causal) throw new ValueError(`${op}: causalSchedule needs a problem built with causal: {...}`);
      if (!cs.epsilons.length) throw new ValueError(`${op}: causalSchedule.epsilons is empty`);
      cs.epsilons.forEach((e, i) => nonNegative(op, `causalSchedule.epsilons[${i}]`, e));
      problem.causal.epsilon = cs.epsilons[0]!;
    }
    let lastYield = performance.now();
    for (let step = 1; step <= steps; step++) {
      let loss: number;
      let losses: number[] | undefined;
      if (jd) {
        const r = tidy(() =>
          jd.step(
            (p: PinnParams<P>) => problem.losses(p).map((l, i) => l.mul(problem.weights[i]!)),
            params,
            state as never,
          ),
        );
        params = r.params;
        state = r.state;
        losses = r.losses.map((l, i) => l / problem.weights[i]!);
        loss = r.losses.reduce((a, b) => a + b, 0);
      } else {
        const r = tidy(() => {
          const [[value, parts], g] = valueAndGrad(
            (p: PinnParams<P>) => {
              const ls = problem.losses(p);
              const total = ls.reduce((acc, l, i) => acc.add(l.mul(problem.weights[i]!)), ls[0]!.mul(0));
              return [total, stack(ls)];
            },
            { hasAux: true },
          )(params) as [[Tensor, Tensor], PinnParams<P>];
          const u = base.update(g, state as never, params);
          return {
            params: u.params,
            state: u.state,
            loss: value.item(),
            parts: Array.from(parts.dataSync() as ArrayLike<number>),
          };
        });
        params = r.params;
        state = r.state;
        loss = r.loss;
        losses = r.parts;
      }
      const logged = step % logEvery === 0 || step === steps || step === 1;
      if (!report('adam', step, loss, logged ? termLosses(params, losses) : {})) break;
      if (rs && step % rs.every === 0 && step < steps) {
        const p = params;
        problem.setCollocation(
          resample(
            problem.collocation,
            problem.geometry!,
            (x) => tidy(() => problem.residual(p, x)),
            rs,
            step / rs.every,
          ),
        );
      }
      if (cs && step % (cs.every ?? 100) === 0 && epsIndex < cs.epsilons.length - 1) {
        const w = problem.causalWeights(params)!;
        if (Math.min(...w) > (cs.delta ?? 0.99)) problem.causal!.epsilon = cs.epsilons[++epsIndex]!;
      }
      if (performance.now() - lastYield > 50) {
        await yieldLoop();
        lastYield = performance.now();
        if (opts.signal?.aborted) {
          stop = 'aborted';
          break;
        }
      }
    }
  }

  if (opts.lbfgs && stop === 'done') {
    const total = integer(op, 'lbfgs.iterations', opts.lbfgs.iterations, 0);
    const chunk = integer(op, 'lbfgs.chunk', opts.lbfgs.chunk ?? 50, 1);
    const opt = lbfgs({
      maxIter: chunk,
      maxEval: Math.ceil(chunk * 1.25),
      historySize: opts.lbfgs.historySize ?? 50,
      lineSearch: 'strong-wolfe',
      toleranceGrad:
        opts.lbfgs.toleranceGrad === undefined
          ? 1e-9
          : nonNegative(op, 'lbfgs.toleranceGrad', opts.lbfgs.toleranceGrad),
      toleranceChange:
        opts.lbfgs.toleranceChange === undefined
          ? 1e-12
          : positive(op, 'lbfgs.toleranceChange', opts.lbfgs.toleranceChange),
    });
    let state = opt.init(params);
    let done = 0;
    let sinceResample = 0;
    let round = 1000;
    const rsEvery = opts.resampling?.lbfgsEvery;
    if (rsEvery !== undefined) {
      integer(op, 'resampling.lbfgsEvery', rsEvery, 1);
      if (!problem.geometry) throw new ValueError(`${op}: resampling needs the problem's geometry`);
    }
    const lossFn = (p: PinnParams<P>) => problem.loss(p);
    while (done < total) {
      const before = state.nIter;
      const r = tidy(() => opt.step(lossFn, params, state));
      params = r.params;
      state = r.state;
      const ran = state.nIter - before;
      done += ran;
      const losses = termLosses(params);
      const loss = problem.weights.reduce((a, w, i) => a + w * losses[problem.names[i]!]!, 0);
      if (!report('lbfgs', done, loss, losses)) break;
      sinceResample += ran;
      if (rsEvery !== undefined && sinceResample >= rsEvery && done < total) {
        const p = params;
        problem.setCollocation(
          resample(
            problem.collocation,
            problem.geometry!,
            (x) => tidy(() => problem.residual(p, x)),
            opts.resampling!,
            round++,
          ),
        );
        state = opt.init(params);
        sinceResample = 0;
        continue;
      }
      if (ran < chunk) {
        stop = 'converged';
        break;
      }
      await yieldLoop();
      if (opts.signal?.aborted) {
        stop = 'aborted';
        break;
      }
    }
  }
  return { params, history, stopReason: stop, elapsed: performance.now() - t0, collocation: problem.collocation };
}
