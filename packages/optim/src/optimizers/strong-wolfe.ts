import { abs, max, mul, sum, type Tensor } from '@difflab/tensor';

/**
 * Objective along a ray, as {@link strongWolfe} consumes it: the loss `f` and the flat gradient
 * `g` at `x + t d`.
 *
 * @example
 * ```ts
 * import { mul, tensor } from '@difflab/tensor';
 * import type { LineObjective } from '@difflab/optim';
 * // f(x) = x^2 from x = 1 along d = -1
 * const obj: LineObjective = (t) => ({ f: (1 - t) ** 2, g: mul(tensor([1 - t]), 2) });
 * ```
 */
export type LineObjective = (t: number) => {
  /** Loss at x + t d. */
  f: number;
  /** Flat gradient at x + t d. */
  g: Tensor;
};

/**
 * Options of {@link strongWolfe}; defaults are those of `torch.optim.LBFGS`.
 *
 * @example
 * ```ts
 * import type { StrongWolfeOptions } from '@difflab/optim';
 * const o: StrongWolfeOptions = { c1: 1e-4, c2: 0.9, maxLs: 25 };
 * ```
 */
export interface StrongWolfeOptions {
  /** Sufficient-decrease constant (default 1e-4). */
  c1?: number;
  /** Curvature constant (default 0.9). */
  c2?: number;
  /** Stop zooming once the bracket is shorter than this in the max-norm of t·d (default 1e-9). */
  toleranceChange?: number;
  /** Maximum number of function evaluations (default 25). */
  maxLs?: number;
}

/**
 * Result of {@link strongWolfe}.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import type { StrongWolfeResult } from '@difflab/optim';
 * const r: StrongWolfeResult = { f: 0, g: tensor([0]), t: 1, evals: 2 };
 * ```
 */
export interface StrongWolfeResult {
  /** Loss at the accepted step. */
  f: number;
  /** Flat gradient at the accepted step. */
  g: Tensor;
  /** Accepted step length. */
  t: number;
  /** Number of objective evaluations used. */
  evals: number;
}

const dot = (a: Tensor, b: Tensor): number => sum(mul(a, b)).item();

/**
 * Minimiser of the cubic interpolating `(x1, f1, g1)` and `(x2, f2, g2)` (values and slopes),
 * clamped to `bounds` (the interval between the points by default); the midpoint when the cubic
 * has no minimum.
 *
 * @param x1 - First point.
 * @param f1 - Value at x1.
 * @param g1 - Slope at x1.
 * @param x2 - Second point.
 * @param f2 - Value at x2.
 * @param g2 - Slope at x2.
 * @param bounds - Optional clamp interval `[lo, hi]`.
 * @returns The interpolated minimiser.
 *
 * @example
 * ```ts
 * import { cubicInterpolate } from '@difflab/optim';
 * // f(x) = (x - 0.3)^2 sampled at 0 and 1
 * cubicInterpolate(0, 0.09, -0.6, 1, 0.49, 1.4); // 0.3
 * ```
 */
export function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (d2sq >= 0) {
    const d2 = Math.sqrt(d2sq);
    const pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(pos, lo), hi);
  }
  return (lo + hi) / 2;
}

/**
 * Line search for a step satisfying the strong Wolfe conditions (Nocedal & Wright, Alg. 3.5/3.6):
 * a bracketing phase that extrapolates with safeguarded cubic interpolation, then a zoom phase.
 *
 * Its decisions (interpolation bounds, the 0.1-of-bracket safeguard, termination tests) are those
 * of `torch.optim.LBFGS` so trajectories agree with PyTorch.
 *
 * @param obj - Loss and flat gradient along the ray.
 * @param t0 - Initial step length.
 * @param d - Search direction (flat).
 * @param f - Loss at t = 0.
 * @param g - Flat gradient at t = 0.
 * @param gtd - Directional derivative `g·d` at t = 0 (negative for a descent direction).
 * @param opts - See {@link StrongWolfeOptions}.
 * @returns The accepted step with its loss, gradient and evaluation count.
 *
 * @example
 * ```ts
 * import { mul, tensor } from '@difflab/tensor';
 * import { strongWolfe } from '@difflab/optim';
 * // f(x) = x^2 from x = 1 along d = -1
 * const obj = (t: number) => ({ f: (1 - t) ** 2, g: mul(tensor([1 - t]), 2) });
 * const r = strongWolfe(obj, 0.25, tensor([-1]), 1, tensor([2]), -2);
 * r.t; // 0.25: the first trial already satisfies both Wolfe conditions
 * ```
 */
export function strongWolfe(obj: LineObjective, t0: number, d: Tensor, f: number, g: Tensor, gtd: number, opts: StrongWolfeOptions = {}): StrongWolfeResult {
  const c1 = opts.c1 ?? 1e-4;
  const c2 = opts.c2 ?? 0.9;
  const tolChange = opts.toleranceChange ?? 1e-9;
  const maxLs = opts.maxLs ?? 25;
  const dNorm = max(abs(d)).item();
  let t = t0;
  let { f: fNew, g: gNew } = obj(t);
  let evals = 1;
  let gtdNew = dot(gNew, d);

  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let br: number[] = [];
  let brF: number[] = [];
  let brG: Tensor[] = [];
  let brGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      [br, brF, brG, brGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      [br, brF, brG, brGtd] = [[t], [fNew], [gNew], [gtdNew]];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      [br, brF, brG, brGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    ({ f: fNew, g: gNew } = obj(t));
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLs) [br, brF, brG, brGtd] = [[0, t], [f, fNew], [g, gNew], [gtd, gtdNew]];

  let insufProgress = false;
  let [low, high] = brF[0]! <= brF[brF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(br[1]! - br[0]!) * dNorm < tolChange) break;
    t = cubicInterpolate(br[0]!, brF[0]!, brGtd[0]!, br[1]!, brF[1]!, brGtd[1]!);
    const bMax = Math.max(br[0]!, br[1]!);
    const bMin = Math.min(br[0]!, br[1]!);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      // Too close to an end of the bracket: move 10% inside unless the last trial made progress.
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;

    ({ f: fNew, g: gNew } = obj(t));
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;

    if (fNew > f + c1 * t * gtd || fNew >= brF[low]!) {
      br[high] = t;
      brF[high] = fNew;
      brG[high] = gNew;
      brGtd[high] = gtdNew;
      [low, high] = brF[0]! <= brF[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) done = true;
      else if (gtdNew * (br[high]! - br[low]!) >= 0) {
        br[high] = br[low]!;
        brF[high] = brF[low]!;
        brG[high] = brG[low]!;
        brGtd[high] = brGtd[low]!;
      }
      br[low] = t;
      brF[low] = fNew;
      brG[low] = gNew;
      brGtd[low] = gtdNew;
    }
  }
  return { f: brF[low]!, g: brG[low]!, t: br[low]!, evals };
}
