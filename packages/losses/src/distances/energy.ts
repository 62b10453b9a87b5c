import { mean, mul, sub, type Tensor } from '@difflab/tensor';
import { asPointPair, distances } from './pairwise.js';

/**
 * Squared energy distance (Székely & Rizzo 2013) between samples x [n, d] and y [m, d]:
 * 2 E‖X - Y‖ - E‖X - X'‖ - E‖Y - Y'‖ with V-statistics (pairs i = j included), which is >= 0. In 1-D
 * it is the square of scipy's `energy_distance`. Distances have a zero subgradient at coincident
 * points.
 */
export function energyDistance(x: Tensor, y: Tensor): Tensor {
  const [a, b] = asPointPair('energyDistance', x, y);
  return sub(mul(mean(distances(a, b)), 2), mean(distances(a, a))).sub(mean(distances(b, b)));
}
