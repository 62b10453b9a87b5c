import {
  ValueError,
  abs,
  add,
  concat,
  max,
  mul,
  neg,
  reshape,
  split,
  sub,
  sum,
  tidy,
  valueAndGrad,
  type Tensor,
} from '@difflab/tensor';
import { asOptimizer } from '../core/optimizer.js';
import { paramLeaves, rebuild, matchLeaves, num } from '../core/tree-utils.js';
import type { LearningRate, LossFn, Optimizer } from '../core/types.js';
import { checkInteger, checkLr, checkNonNegative, lrAt } from '../core/validate.js';
import { strongWolfe, type StrongWolfeOptions } from './strong-wolfe.js';

/**
 * Options of {@link lbfgs}; names and defaults follow `torch.optim.LBFGS`.
 *
 * @example
 * ```ts
 * import { lbfgs, type LBFGSOptions } from '@difflab/optim';
 * const o: LBFGSOptions = { maxIter: 50, historySize: 10, lineSearch: 'strong-wolfe' };
 * const opt = lbfgs(o);
 * ```
 */
export interface LBFGSOptions {
  /** Initial step length of each iteration (default 1). */
  lr?: LearningRate;
  /** Iterations per `step` call (default 20). */
  maxIter?: number;
  /** Function evaluations per `step` call (default floor(1.25 maxIter)). */
  maxEval?: number;
  /** Stop when max |g| <= this (default 1e-7). */
  toleranceGrad?: number;
  /** Stop when the loss or the step changes less than this (default 1e-9). */
  toleranceChange?: number;
  /** Number of (s, y) pairs kept (default 100). */
  historySize?: number;
  /** `'strong-wolfe'` for a line search; otherwise fixed steps of length lr. */
  lineSearch?: 'strong-wolfe' | null;
  /** Constants of the strong-Wolfe search (c1, c2, maxLs). */
  lineSearchOptions?: Omit<StrongWolfeOptions, 'toleranceChange'>;
}

/**
 * State of {@link lbfgs}, carried across `step` calls as PyTorch keeps it in `optimizer.state`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lbfgs, type LBFGSState } from '@difflab/optim';
 * const s: LBFGSState = lbfgs().init({ w: tensor([1]) });
 * s.nIter; // 0
 * ```
 */
export interface LBFGSState {
  /** Number of `step` calls. */
  count: number;
  /** Total iterations and function evaluations over all calls. */
  nIter: number;
  /** Total function evaluations over all calls. */
  funcEvals: number;
  /** Last direction and step length. */
  d: Tensor | null;
  /** Last step length. */
  t: number;
  /** Curvature pairs: y (gradient differences), s (steps), rho = 1 / y·s. */
  oldDirs: Tensor[];
  /** Steps s of the kept curvature pairs. */
  oldStps: Tensor[];
  /** 1 / (y·s) of the kept curvature pairs. */
  ro: number[];
  /** Scale of the initial inverse-Hessian approximation, y·s / y·y. */
  hDiag: number;
  /** Flattened gradient at the last iterate. */
  prevFlatGrad: Tensor | null;
  /** Loss at the last iterate. */
  prevLoss: number | null;
}

const dot = (a: Tensor, b: Tensor): number => sum(mul(a, b)).item();
const maxAbs = (a: Tensor): number => max(abs(a)).item();

/**
 * L-BFGS (Nocedal 1980; Liu & Nocedal 1989) with the two-loop recursion and an optional
 * strong-Wolfe line search.
 *
 * Each `step(lossFn, params, state)` runs up to `maxIter` iterations, like one call of
 * `torch.optim.LBFGS.step(closure)`, whose algorithm (and so trajectory) it reproduces; the
 * returned loss is the one at the start of the call. Needs the closure form: `update(grads, …)` throws.
 *
 * @param opts - See {@link LBFGSOptions}.
 * @returns The optimizer (`needsClosure: true`).
 * @throws {ValueError} for non-positive integer limits, a negative tolerance or an unknown `lineSearch`.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { lbfgs } from '@difflab/optim';
 * const opt = lbfgs({ lineSearch: 'strong-wolfe' });
 * const params = { w: tensor([1, -2], { dtype: 'float64' }) };
 * const r = opt.step((p) => p.w.sub(3).square().sum(), params, opt.init(params));
 * r.params.w.toArray(); // [3, 3]
 * ```
 */
export function lbfgs(opts: LBFGSOptions = {}): Optimizer<LBFGSState> {
  const name = 'lbfgs';
  const lr = checkLr(name, opts.lr ?? 1);
  const maxIter = checkInteger(name, 'maxIter', opts.maxIter ?? 20, 1);
  const maxEval = checkInteger(name, 'maxEval', opts.maxEval ?? Math.floor((maxIter * 5) / 4), 1);
  const tolGrad = checkNonNegative(name, 'toleranceGrad', opts.toleranceGrad ?? 1e-7);
  const tolChange = checkNonNegative(name, 'toleranceChange', opts.toleranceChange ?? 1e-9);
  const history = checkInteger(name, 'historySize', opts.historySize ?? 100, 1);
  const ls = opts.lineSearch ?? null;
  if (ls !== null && ls !== 'strong-wolfe')
    throw new ValueError(`${name}: lineSearch must be 'strong-wolfe' or null, got ${String(ls)}`);
  return asOptimizer<LBFGSState>({
    name,
    needsClosure: true,
    init: (params) => {
      paramLeaves(name, params);
      return {
        count: 0,
        nIter: 0,
        funcEvals: 0,
        d: null,
        t: 0,
        oldDirs: [],
        oldStps: [],
        ro: [],
        hDiag: 1,
        prevFlatGrad: null,
        prevLoss: null,
      };
    },
    transform(grads, state, params, ctx) {
      if (!ctx.lossFn) throw new ValueError(`${name}: needs the loss function; use step(lossFn, params, state)`);
      const lossFn = ctx.lossFn as LossFn;
      const p = paramLeaves(name, params);
      const g0 = matchLeaves(name, 'grads', params, grads);
      const shapes = p.leaves.map((l) => l.shape);
      const sizes = p.leaves.map((l) => l.size);
      const flatten = (ls: readonly Tensor[]) =>
        ls.length === 1 ? reshape(ls[0]!, [-1]) : concat(ls.map((l) => reshape(l, [-1])));
      const unflatten = (v: Tensor) =>
        rebuild(
          p.treedef,
          (sizes.length === 1 ? [v] : split(v, sizes)).map((part, i) =>
            reshape(part, shapes[i]!).astype(p.leaves[i]!.dtype),
          ),
        );
      // Each evaluation frees its forward/backward intermediates at once: one step runs up to
      // maxIter iterations, and a caller's enclosing tidy would otherwise hold all of them.
      const evaluate = (x: Tensor) =>
        tidy(() => {
          const [f, gr] = valueAndGrad(lossFn)(unflatten(x)) as [Tensor, unknown];
          return { f: f.item(), g: flatten(matchLeaves(name, 'grads', params, gr)) };
        });

      const x0 = flatten(p.leaves);
      let x = x0;
      const origLoss = ctx.loss === undefined ? evaluate(x).f : num(ctx.loss);
      let loss = origLoss;
      let flatGrad = flatten(g0);
      let currentEvals = 1;
      let funcEvals = state.funcEvals + 1;
      let nIterTotal = state.nIter;
      let { d, t, hDiag, prevFlatGrad, prevLoss } = state;
      const oldDirs = [...state.oldDirs];
      const oldStps = [...state.oldStps];
      const ro = [...state.ro];
      const eta = lrAt(name, lr, state.count);

      const finish = () => ({
        updates: unflatten(sub(x, x0)),
        state: {
          count: state.count + 1,
          nIter: nIterTotal,
          funcEvals,
          d,
          t,
          oldDirs,
          oldStps,
          ro,
          hDiag,
          prevFlatGrad,
          prevLoss,
        },
      });
      if (maxAbs(flatGrad) <= tolGrad) return finish();

      let nIter = 0;
      while (nIter < maxIter) {
        nIter++;
        nIterTotal++;
        if (nIterTotal === 1) {
          d = neg(flatGrad);
          oldDirs.length = 0;
          oldStps.length = 0;
          ro.length = 0;
          hDiag = 1;
        } else {
          const y = sub(flatGrad, prevFlatGrad!);
          const s = mul(d!, t);
          const ys = dot(y, s);
          if (ys > 1e-10) {
            if (oldDirs.length === history) {
              oldDirs.shift();
              oldStps.shift();
              ro.shift();
            }
            oldDirs.push(y);
            oldStps.push(s);
            ro.push(1 / ys);
            hDiag = ys / dot(y, y);
          }
          // Two-loop recursion: d = -H g with H the L-BFGS inverse-Hessian estimate.
          const al = new Array<number>(oldDirs.length);
          let q = neg(flatGrad);
          for (let i = oldDirs.length - 1; i >= 0; i--) {
            al[i] = dot(oldStps[i]!, q) * ro[i]!;
            q = sub(q, mul(oldDirs[i]!, al[i]!));
          }
          let r = mul(q, hDiag);
          for (let i = 0; i < oldDirs.length; i++) {
            const be = dot(oldDirs[i]!, r) * ro[i]!;
            r = add(r, mul(oldStps[i]!, al[i]! - be));
          }
          d = r;
        }
        prevFlatGrad = flatGrad;
        prevLoss = loss;

        t = nIterTotal === 1 ? Math.min(1, 1 / sum(abs(flatGrad)).item()) * eta : eta;
        const gtd = dot(flatGrad, d!);
        if (gtd > -tolChange) break;

        let lsEvals = 0;
        let optCond = false;
        if (ls === 'strong-wolfe') {
          const dir = d!;
          const xs = x;
          const res = strongWolfe((tt) => evaluate(add(xs, mul(dir, tt))), t, dir, loss, flatGrad, gtd, {
            ...opts.lineSearchOptions,
            toleranceChange: tolChange,
          });
          loss = res.f;
          flatGrad = res.g;
          t = res.t;
          lsEvals = res.evals;
          x = add(x, mul(dir, t));
          optCond = maxAbs(flatGrad) <= tolGrad;
        } else {
          x = add(x, mul(d!, t));
          if (nIter !== maxIter) {
            const e = evaluate(x);
            loss = e.f;
            flatGrad = e.g;
            optCond = maxAbs(flatGrad) <= tolGrad;
            lsEvals = 1;
          }
        }
        currentEvals += lsEvals;
        funcEvals += lsEvals;

        if (nIter === maxIter) break;
        if (currentEvals >= maxEval) break;
        if (optCond) break;
        if (maxAbs(mul(d!, t)) <= tolChange) break;
        if (Math.abs(loss - prevLoss) < tolChange) break;
      }
      return finish();
    },
  });
}
