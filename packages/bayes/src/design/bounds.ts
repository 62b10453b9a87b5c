import { ShapeError, ValueError } from '@difflab/tensor';

/**
 * Box bounds as `[[lo, hi], …]` per dimension or `{lower, upper}` arrays.
 *
 * @example
 * ```ts
 * import type { BoundsLike } from '@difflab/bayes';
 * const pairs: BoundsLike = [[-5, 10], [0, 15]];
 * const arrays: BoundsLike = { lower: [-5, 0], upper: [10, 15] }; // the same box
 * ```
 */
export type BoundsLike =
  | readonly (readonly [number, number])[]
  | {
      /** Lower bound per dimension. */
      lower: readonly number[];
      /** Upper bound per dimension. */
      upper: readonly number[];
    };

/**
 * Validated box bounds, as returned by {@link toBox}.
 *
 * @example
 * ```ts
 * import { toBox, type Box } from '@difflab/bayes';
 * const box: Box = toBox('demo', [[-5, 10], [0, 15]]);
 * box.lower; // [-5, 0]
 * box.dim; // 2
 * ```
 */
export interface Box {
  /** Lower bound per dimension. */
  lower: number[];
  /** Upper bound per dimension. */
  upper: number[];
  /** Number of dimensions. */
  dim: number;
}

/**
 * Validates bounds: finite, lower < upper in every dimension, at least one dimension.
 *
 * @param op - name of the calling op, used in error messages.
 * @param bounds - `[[lo, hi], …]` or `{lower, upper}`.
 * @returns The normalized {@link Box}.
 * @throws {ValueError} for non-finite bounds, lower ≥ upper or no dimensions.
 * @throws {ShapeError} for malformed pairs or lower/upper of different lengths.
 *
 * @example
 * ```ts
 * import { toBox } from '@difflab/bayes';
 * toBox('demo', { lower: [0, 0], upper: [1, 2] }); // { lower: [0, 0], upper: [1, 2], dim: 2 }
 * // toBox('demo', [[1, 0]]) throws ValueError: 'demo: bounds of dimension 0 need lower < upper, got [1, 0]'
 * ```
 */
export function toBox(op: string, bounds: BoundsLike): Box {
  let lower: number[];
  let upper: number[];
  if (Array.isArray(bounds)) {
    const b = bounds as readonly (readonly number[])[];
    b.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new ShapeError(`${op}: bounds[${i}] must be a [lower, upper] pair`);
    });
    lower = b.map((p) => p[0]!);
    upper = b.map((p) => p[1]!);
  } else if (bounds && typeof bounds === 'object' && Array.isArray((bounds as { lower?: unknown }).lower)) {
    const o = bounds as { lower: readonly number[]; upper: readonly number[] };
    if (!Array.isArray(o.upper) || o.upper.length !== o.lower.length)
      throw new ShapeError(
        `${op}: bounds.lower has ${o.lower.length} entries but bounds.upper has ${Array.isArray(o.upper) ? o.upper.length : 'none'}`,
      );
    lower = [...o.lower];
    upper = [...o.upper];
  } else throw new ValueError(`${op}: bounds must be [[lo, hi], ...] or {lower, upper}`);
  if (lower.length === 0) throw new ValueError(`${op}: bounds must have at least one dimension`);
  for (let i = 0; i < lower.length; i++) {
    if (!Number.isFinite(lower[i]!) || !Number.isFinite(upper[i]!))
      throw new ValueError(`${op}: bounds of dimension ${i} must be finite, got [${lower[i]}, ${upper[i]}]`);
    if (!(lower[i]! < upper[i]!))
      throw new ValueError(`${op}: bounds of dimension ${i} need lower < upper, got [${lower[i]}, ${upper[i]}]`);
  }
  return { lower, upper, dim: lower.length };
}

export function fromUnit(box: Box, u: readonly number[]): number[] {
  return u.map((v, j) => box.lower[j]! + v * (box.upper[j]! - box.lower[j]!));
}

export function toUnit(box: Box, x: readonly number[]): number[] {
  return x.map((v, j) => (v - box.lower[j]!) / (box.upper[j]! - box.lower[j]!));
}
