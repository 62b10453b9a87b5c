// Viscous Burgers, u_t + u u_x = ν u_xx on x ∈ [−1, 1], t ∈ [0, 1] with ν = 0.01/π,
// u(x, 0) = −sin(πx) and u(±1, t) = 0 (Raissi et al. 2019), solved by a physics-informed neural
// network and compared with the exact solution from the Cole–Hopf transform.
import { sin, sub, tensor, type DenseParams, type Tensor } from '@difflab/tensor';
import {
  burgersColeHopf,
  hardConstraint,
  interval,
  pinn,
  pinnMlp,
  spaceTime,
  timeDomain,
  trainPinn,
  type PinnParams,
} from '@difflab/pde';

export interface BurgersOptions {
  /** Adam steps (default 1000, learning rate 3e-3). */
  adamSteps?: number;
  /** L-BFGS iterations after Adam (default 500). */
  lbfgsIterations?: number;
  /** Collocation points, a Sobol sample of the space-time domain (default 2000). */
  collocation?: number;
  /** Hidden layer widths (default three layers of 20, tanh). */
  hidden?: number[];
  seed?: number;
  onStep?: (info: { phase: string; step: number; totalSteps: number; loss: number }) => void;
  signal?: AbortSignal;
}

export interface BurgersResult {
  nu: number;
  /** ‖u_PINN − u_exact‖₂ / ‖u_exact‖₂ over the evaluation grid. */
  relativeL2: number;
  /** The same per time slice of `times`. */
  sliceErrors: number[];
  /** Evaluation grid: `x` (101 points) at each of `times`; `pinn[k]` and `exact[k]` are u at times[k]. */
  x: number[];
  times: number[];
  pinn: number[][];
  exact: number[][];
  /** Loss after each Adam step and each L-BFGS chunk, with the phase it belongs to. */
  lossHistory: { phase: string; step: number; loss: number }[];
  adamSteps: number;
  lbfgsIterations: number;
  collocation: number;
  seconds: number;
}

const column = (x: Tensor, c: number) => x.slice(null, { start: c, stop: c + 1 });

export async function solveBurgers(opts: BurgersOptions = {}): Promise<BurgersResult> {
  const nu = 0.01 / Math.PI;
  const adamSteps = opts.adamSteps ?? 1000;
  const lbfgsIterations = opts.lbfgsIterations ?? 500;
  const collocation = opts.collocation ?? 2000;
  const seed = opts.seed ?? 0;
  const domain = spaceTime(interval(-1, 1), timeDomain(0, 1));
  const model = pinnMlp([2, ...(opts.hidden ?? [20, 20, 20]), 1], {
    activation: 'tanh',
    key: seed,
    inputBounds: [
      [-1, 0],
      [1, 1],
    ],
  });

  const problem = pinn({
    model,
    collocation: domain.sample(collocation, { method: 'sobol', seed }),
    geometry: domain,
    // Only u_xx is needed, so Taylor mode propagates just that second derivative.
    secondDerivatives: [[0, 0]],
    // u = −sin(πx) + t(1 − x²)·N(x, t) meets the initial and boundary conditions exactly, so the
    // loss is the PDE residual alone.
    transform: hardConstraint({
      particular: (p) => sin(column(p, 0).mul(Math.PI)).neg(),
      distance: (p) => column(p, 1).mul(sub(1, column(p, 0).square())),
    }),
    pde: (D) =>
      D.d(1)
        .add(D.value().mul(D.d(0)))
        .sub(D.d2(0, 0).mul(nu)),
  });

  const lossHistory: BurgersResult['lossHistory'] = [];
  const t0 = performance.now();
  const trained = await trainPinn(problem, {
    adam: { steps: adamSteps, lr: 3e-3 },
    lbfgs: lbfgsIterations > 0 ? { iterations: lbfgsIterations, chunk: 10 } : undefined,
    signal: opts.signal,
    onStep: ({ phase, step, loss }) => {
      lossHistory.push({ phase, step, loss });
      opts.onStep?.({
        phase: phase === 'adam' ? 'Adam' : 'L-BFGS',
        step,
        totalSteps: phase === 'adam' ? adamSteps : lbfgsIterations,
        loss,
      });
    },
  });
  const seconds = (performance.now() - t0) / 1000;

  const x = Array.from({ length: 101 }, (_, i) => -1 + i / 50);
  const times = [0.25, 0.5, 0.75, 1];
  const points = times.flatMap((t) => x.map((xi) => [xi, t]));
  const exactAll = burgersColeHopf(points, { nu }).dataSync();
  const pinnAll = problem.predict(trained.params as PinnParams<DenseParams[]>, tensor(points)).dataSync();
  const slices = (a: ArrayLike<number>) =>
    times.map((_, k) => Array.from({ length: x.length }, (_, i) => a[k * x.length + i]!));
  const err = (a: number[], b: number[]) =>
    Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / b.reduce((s, v) => s + v * v, 0));
  const pinnU = slices(pinnAll);
  const exactU = slices(exactAll);
  return {
    nu,
    relativeL2: err(pinnU.flat(), exactU.flat()),
    sliceErrors: times.map((_, k) => err(pinnU[k]!, exactU[k]!)),
    x,
    times,
    pinn: pinnU,
    exact: exactU,
    lossHistory,
    adamSteps,
    lbfgsIterations,
    collocation,
    seconds,
  };
}
