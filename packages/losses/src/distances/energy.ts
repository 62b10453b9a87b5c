import { mean, mul, sub, type Tensor } from '@difflab/tensor';
import { asPointPair, distances } from './pairwise.js';

/**
 * Squared energy distance (Székely & Rizzo 2013) between samples x [n, d] and y [m, d]:
 * 2 E‖X - Y‖ - E‖X - X'‖ - E‖Y - Y'‖ with V-statistics (pairs i = j included), which is >= 0. In 1-D
 * it is the square of scipy's `energy_distance`. Distances have a zero subgradient at coincident
 * points.
 *
 * @param x - Samples `[n, d]` (or `[n]` for d = 1) from the first distribution.
 * @param y - Samples `[m, d]` from the second distribution.
 * @returns A scalar Tensor, differentiable in the samples.
 * @throws {ShapeError} when the point dimensions differ or inputs are not 1-D/2-D.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { energyDistance } from '@difflab/losses';
 * energyDistance(tensor([0, 1]), tensor([2, 3])).item(); // 3
 * ```
 */
export function energyDistance(x: Tensor, y: Tensor): Tensor {
  const [a, b] = asPointPair('energyDistance', x, y);
  return sub(mul(mean(distances(a, b)), 2), mean(distances(a, a))).sub(mean(distances(b, b)));
}
