import { ValueError, abs, add, div, greater, mul, norm, where, zerosLike, type Tensor } from '@difflab/tensor';
import { createRng } from '../core/prng.js';
import { randomLike } from '../core/random-tree.js';
import { flat, matchLeaves, paramLeaves, rebuild } from '../core/tree-utils.js';
import type { LossFn } from '../core/types.js';
import { checkInteger } from '../core/validate.js';

/**
 * Options of {@link randomDirection} and the loss-surface plots.
 *
 * @example
 * ```ts
 * import type { DirectionOptions } from '@difflab/optim';
 * const o: DirectionOptions = { seed: 3, filterNormalize: true, ignore1D: true };
 * ```
 */
export interface DirectionOptions {
  /** Seed of the random direction (default 0). */
  seed?: number;
  /**
   * Filter normalisation (Li et al. 2018): rescale each filter of the direction to the norm of the
   * matching filter of the params (default true). A filter is a slice along `filterAxis`.
   */
  filterNormalize?: boolean;
  /** Axis that indexes filters / output units (default 0, PyTorch's weight layout). */
  filterAxis?: number;
  /** Zero the direction on leaves with fewer than 2 dims (biases, norm scales), as Li et al. (default true). */
  ignore1D?: boolean;
}

/**
 * Filter normalisation (Li et al., 2018, "Visualizing the Loss Landscape of Neural Nets"):
 * rescales each filter of `d` (slices along `axis`) to the norm of the matching filter of `p`,
 * so plots are comparable across scale-invariant networks. A zero filter of `d` stays zero.
 *
 * @param d - Direction leaf.
 * @param p - Param leaf of the same shape.
 * @param axis - Axis that indexes filters (default 0).
 * @returns The rescaled direction.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { filterNormalize } from '@difflab/optim';
 * filterNormalize(tensor([[1, 0], [0, 1]]), tensor([[3, 4], [0, 2]])).toArray(); // [[5, 0], [0, 2]]
 * ```
 */
export function filterNormalize(d: Tensor, p: Tensor, axis = 0): Tensor {
  if (p.ndim === 0) return mul(d, div(norm(p), norm(d)));
  const ax = axis < 0 ? axis + p.ndim : axis;
  const others = p.shape.map((_, i) => i).filter((i) => i !== ax);
  const keep = (t: Tensor) => (others.length ? norm(t, 2, others, true) : abs(t));
  const dn = keep(d);
  const pn = keep(p);
  return mul(d, where(greater(dn, 0), div(pn, where(greater(dn, 0), dn, 1)), 0));
}

/**
 * A random Gaussian direction in parameter space, filter-normalised and zero on 1-D leaves by
 * default (Li et al., 2018).
 *
 * @param params - The params (template and normalisation reference).
 * @param opts - See {@link DirectionOptions}.
 * @returns A params-shaped direction.
 * @throws {ValueError} when the params have no leaves.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { randomDirection } from '@difflab/optim';
 * const d = randomDirection({ w: tensor([[1, 2], [3, 4]]), b: tensor([0, 0]) }, { seed: 1 });
 * d.b.toArray(); // [0, 0]: 1-D leaves are ignored
 * ```
 */
export function randomDirection<P>(params: P, opts: DirectionOptions = {}): P {
  const p = paramLeaves('randomDirection', params);
  const d = flat(randomLike(params, createRng(opts.seed ?? 0))).leaves;
  const ignore = opts.ignore1D ?? true;
  const fn = opts.filterNormalize ?? true;
  return rebuild<P>(
    p.treedef,
    d.map((di, i) => {
      const pi = p.leaves[i]!;
      if (ignore && pi.ndim < 2) return zerosLike(pi);
      return fn ? filterNormalize(di, pi, opts.filterAxis ?? 0) : di;
    }),
  );
}

function grid(op: string, range: readonly [number, number] | undefined, points: number | undefined): number[] {
  const [lo, hi] = range ?? [-1, 1];
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo >= hi) throw new ValueError(`${op}: range must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
  const n = checkInteger(op, 'points', points ?? 21, 2);
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

const along = <P>(params: P, dirs: P[], coefs: number[]): P => {
  const p = flat(params);
  const ds = dirs.map((d) => flat(d).leaves);
  return rebuild<P>(p.treedef, p.leaves.map((l, i) => ds.reduce((acc, d, k) => add(acc, mul(d[i]!, coefs[k]!)), l)));
};

/**
 * Loss along `θ + α d` for α on a grid: the 1-D interpolation plot of Goodfellow et al. (2015),
 * with a filter-normalised random `d` by default (Li et al., 2018).
 *
 * @param lossFn - Scalar loss of the params.
 * @param params - The centre θ.
 * @param opts - {@link DirectionOptions} plus `direction` (default random), `range` (default [-1, 1])
 * and `points` (default 21).
 * @returns The grid, the losses on it and the direction used.
 * @throws {ValueError} for an empty range, fewer than 2 points or a mismatched direction.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { lossSurface1D } from '@difflab/optim';
 * const loss = (p: { w: Tensor }) => p.w.square().sum();
 * const r = lossSurface1D(loss, { w: tensor([0]) }, { direction: { w: tensor([1]) }, points: 3 });
 * r.losses; // [1, 0, 1]
 * ```
 */
export function lossSurface1D<P>(
  lossFn: LossFn<P>,
  params: P,
  opts: DirectionOptions & { direction?: P; range?: [number, number]; points?: number } = {},
): {
  /** The grid of step sizes α. */
  alphas: number[];
  /** Loss at θ + α d for each α. */
  losses: number[];
  /** The direction d used. */
  direction: P;
} {
  const direction = opts.direction ?? randomDirection(params, opts);
  matchLeaves('lossSurface1D', 'direction', params, direction);
  const alphas = grid('lossSurface1D', opts.range, opts.points);
  return { alphas, losses: alphas.map((a) => lossFn(along(params, [direction], [a])).item()), direction };
}

/**
 * Loss on the plane `θ + α d1 + β d2`, with two independent filter-normalised random directions by
 * default (seeds `seed` and `seed + 1`); the contour plots of Li et al. (2018).
 *
 * @param lossFn - Scalar loss of the params.
 * @param params - The centre θ.
 * @param opts - {@link DirectionOptions} plus `directions`, `range` (default [-1, 1], both axes)
 * and `points` per axis (default 21).
 * @returns The grids, `losses[i][j]` at `(alphas[i], betas[j])`, and the directions used.
 * @throws {ValueError} for an empty range, fewer than 2 points or mismatched directions.
 *
 * @example
 * ```ts
 * import { tensor, type Tensor } from '@difflab/tensor';
 * import { lossSurface2D } from '@difflab/optim';
 * const loss = (p: { w: Tensor }) => p.w.square().sum();
 * const r = lossSurface2D(loss, { w: tensor([0, 0]) }, { directions: [{ w: tensor([1, 0]) }, { w: tensor([0, 1]) }], points: 3 });
 * r.losses[0]![0]; // 2: at alpha = beta = -1
 * ```
 */
export function lossSurface2D<P>(
  lossFn: LossFn<P>,
  params: P,
  opts: DirectionOptions & { directions?: [P, P]; range?: [number, number]; points?: number } = {},
): {
  /** Grid along the first direction. */
  alphas: number[];
  /** Grid along the second direction. */
  betas: number[];
  /** `losses[i][j]`: loss at θ + alphas[i] d1 + betas[j] d2. */
  losses: number[][];
  /** The two directions used. */
  directions: [P, P];
} {
  const seed = opts.seed ?? 0;
  const dirs: [P, P] = opts.directions ?? [randomDirection(params, { ...opts, seed }), randomDirection(params, { ...opts, seed: seed + 1 })];
  dirs.forEach((d) => matchLeaves('lossSurface2D', 'direction', params, d));
  const alphas = grid('lossSurface2D', opts.range, opts.points);
  const betas = alphas.slice();
  const losses = alphas.map((a) => betas.map((b) => lossFn(along(params, dirs, [a, b])).item()));
  return { alphas, betas, losses, directions: dirs };
}
