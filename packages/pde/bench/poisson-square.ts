// 2-D Poisson on the unit square: −Δu = 2π² sin(πx) sin(πy), u = 0 on the boundary, exact
// solution u = sin(πx) sin(πy). The Dirichlet condition is hard: u = x(1 − x)y(1 − y)·N(x, y).
import { mul, sin, sub } from '@difflab/tensor';
import { hardConstraint, pinn, pinnMlp, rectangle, trainPinn } from '../src/index.js';
import { column, gridPoints, pointsTensor, relativeL2 } from './common.js';

export interface PoissonSquareOptions {
  collocation?: number;
  adamSteps?: number;
  lbfgsIterations?: number;
  hidden?: number[];
  seed?: number;
}

export interface PoissonSquareResult {
  relL2: number;
  seconds: number;
}

export async function poissonSquare(o: PoissonSquareOptions = {}): Promise<PoissonSquareResult> {
  const square = rectangle([0, 0], [1, 1]);
  const bubble = (x: ReturnType<typeof column>) => mul(x, sub(1, x));
  const problem = pinn({
    model: pinnMlp([2, ...(o.hidden ?? [20, 20, 20]), 1], {
      dtype: 'float64',
      key: o.seed ?? 0,
      inputBounds: [
        [0, 0],
        [1, 1],
      ],
    }),
    geometry: square,
    collocation: square.sample(o.collocation ?? 1000, { method: 'sobol', skip: 1, dtype: 'float64' }),
    pde: (D) =>
      D.laplacian().add(
        mul(mul(sin(mul(column(D.x, 0), Math.PI)), sin(mul(column(D.x, 1), Math.PI))), 2 * Math.PI * Math.PI),
      ),
    transform: hardConstraint({ distance: (x) => mul(bubble(column(x, 0)), bubble(column(x, 1))) }),
  });
  const res = await trainPinn(problem, {
    adam: { steps: o.adamSteps ?? 1000, lr: 3e-3 },
    lbfgs: o.lbfgsIterations ? { iterations: o.lbfgsIterations, chunk: 100 } : undefined,
  });
  const pts = gridPoints(101, [0, 1], 101, [0, 1]);
  const exact = pts.map(([x, y]) => Math.sin(Math.PI * x!) * Math.sin(Math.PI * y!));
  return {
    relL2: relativeL2(problem.predict(res.params, pointsTensor(pts)).dataSync() as Float64Array, exact),
    seconds: res.elapsed / 1000,
  };
}
