// Forward Burgers benchmark (Raissi et al. 2019): u_t + u u_x = ν u_xx on [−1, 1] × [0, 1],
// ν = 0.01/π, u(x, 0) = −sin(πx), u(±1, t) = 0, against the Cole–Hopf solution on the paper's
// 256 × 100 grid.
import { add, mul } from '@difflab/tensor';
import { burgersColeHopf, pinn, pinnMlp, trainPinn, type ResamplingOptions } from '../src/index.js';
import { BURGERS_NU, burgersConstraint, burgersDomain, gridPoints, pointsTensor, relativeL2 } from './common.js';

export interface BurgersForwardOptions {
  /** Collocation points (unscrambled Sobol, first point skipped; default 4000). */
  collocation?: number;
  /** Adam steps (default none) and learning rate (default 1e-3). */
  adamSteps?: number;
  adamLr?: number;
  /** L-BFGS iterations after Adam (default none). */
  lbfgsIterations?: number;
  /** Hidden layers × width of the tanh network (defaults 4 × 20). */
  depth?: number;
  width?: number;
  seed?: number;
  /** Residual-based resampling (default none). */
  resampling?: ResamplingOptions;
  /** Called with the relative L2 error after every L-BFGS chunk and every 250 Adam steps. */
  onProgress?: (info: { phase: string; step: number; loss: number; relL2: number; seconds: number }) => void;
}

export interface BurgersForwardResult {
  /** ‖u_PINN − u_exact‖₂ / ‖u_exact‖₂ on the 256 × 100 grid at the end of training. */
  relL2: number;
  seconds: number;
  finalLoss: number;
  stopReason: string;
}

export async function burgersForward(o: BurgersForwardOptions = {}): Promise<BurgersForwardResult> {
  const domain = burgersDomain();
  const net = pinnMlp([2, ...Array<number>(o.depth ?? 4).fill(o.width ?? 20), 1], {
    dtype: 'float64',
    key: o.seed ?? 0,
  });
  const problem = pinn({
    model: net,
    geometry: domain,
    collocation: domain.sample(o.collocation ?? 4000, { method: 'sobol', skip: 1, dtype: 'float64' }),
    pde: (D) => add(D.d(1), mul(D.value(), D.d(0))).sub(mul(D.d2(0, 0), BURGERS_NU)),
    secondDerivatives: [[0, 0]],
    transform: burgersConstraint(),
  });
  const pts = gridPoints(256, [-1, 1], 100, [0, 1]);
  const exact = burgersColeHopf(pts, { nu: BURGERS_NU }).dataSync() as Float64Array;
  const grid = pointsTensor(pts);
  const error = (params: typeof problem.initialParams) =>
    relativeL2(problem.predict(params, grid).dataSync() as Float64Array, exact);
  const res = await trainPinn(problem, {
    adam: o.adamSteps ? { steps: o.adamSteps, lr: o.adamLr ?? 1e-3 } : undefined,
    lbfgs: o.lbfgsIterations ? { iterations: o.lbfgsIterations, chunk: 100 } : undefined,
    resampling: o.resampling,
    logEvery: 250,
    onStep: (s) => {
      if (o.onProgress && (s.phase === 'lbfgs' || s.step % 250 === 0))
        o.onProgress({ phase: s.phase, step: s.step, loss: s.loss, relL2: error(s.params), seconds: s.elapsed / 1000 });
    },
  });
  return {
    relL2: error(res.params),
    seconds: res.elapsed / 1000,
    finalLoss: res.history.at(-1)?.loss ?? Number.NaN,
    stopReason: res.stopReason,
  };
}
