// Inverse Burgers problem: recover ν (true value 0.01/π) from noisy samples of the Cole–Hopf
// solution. The initial and boundary conditions are known (hard constraint); ν = exp(logNu) is a
// trainable PDE coefficient, fitted together with the network to the data and the PDE residual.
import { add, exp, mul } from '@difflab/tensor';
import { burgersColeHopf, observations, pinn, pinnMlp, trainPinn } from '../src/index.js';
import { BURGERS_NU, burgersConstraint, burgersDomain, normals, pointsTensor } from './common.js';

export interface BurgersInverseOptions {
  /** Observation points, uniform in space-time (default 1000). */
  data?: number;
  /** Noise standard deviation relative to the data's standard deviation (default 0.01). */
  noise?: number;
  collocation?: number;
  adamSteps?: number;
  lbfgsIterations?: number;
  /** The viscosity that generates the data (default 0.01/π, the benchmark). */
  trueNu?: number;
  /** Initial guess of ν (default 0.05, 16× the benchmark value). */
  nu0?: number;
  depth?: number;
  width?: number;
  seed?: number;
  onProgress?: (info: { phase: string; step: number; loss: number; nu: number; seconds: number }) => void;
}

export interface BurgersInverseResult {
  nu: number;
  trueNu: number;
  /** |ν̂ − ν| / ν. */
  relError: number;
  seconds: number;
}

export async function burgersInverse(o: BurgersInverseOptions = {}): Promise<BurgersInverseResult> {
  const seed = o.seed ?? 0;
  const domain = burgersDomain();
  const dataPts = domain.sample(o.data ?? 1000, { method: 'pseudo', seed: seed + 7, dtype: 'float64' });
  const trueNu = o.trueNu ?? BURGERS_NU;
  const clean = burgersColeHopf(dataPts, { nu: trueNu }).dataSync() as Float64Array;
  const m = clean.reduce((a, b) => a + b, 0) / clean.length;
  const sd = Math.sqrt(clean.reduce((a, b) => a + (b - m) ** 2, 0) / clean.length);
  const z = normals(clean.length, seed + 11);
  const noisy = clean.map((v, i) => v + (o.noise ?? 0.01) * sd * z[i]!);
  const problem = pinn({
    model: pinnMlp([2, ...Array<number>(o.depth ?? 6).fill(o.width ?? 20), 1], { dtype: 'float64', key: seed }),
    geometry: domain,
    collocation: domain.sample(o.collocation ?? 1000, { method: 'sobol', skip: 1, dtype: 'float64' }),
    coefficients: { logNu: Math.log(o.nu0 ?? 0.05) },
    pde: (D, ctx) => add(D.d(1), mul(D.value(), D.d(0))).sub(mul(D.d2(0, 0), exp(ctx.coefficients.logNu!))),
    secondDerivatives: [[0, 0]],
    transform: burgersConstraint(),
    conditions: [observations({ points: dataPts, values: pointsTensor(Array.from(noisy, (v) => [v])) })],
  });
  const nuOf = (p: typeof problem.initialParams) => Math.exp(p.coefficients.logNu!.item());
  const res = await trainPinn(problem, {
    adam: o.adamSteps ? { steps: o.adamSteps, lr: 1e-3 } : undefined,
    lbfgs: o.lbfgsIterations ? { iterations: o.lbfgsIterations, chunk: 100 } : undefined,
    logEvery: 250,
    onStep: (s) => {
      if (o.onProgress && (s.phase === 'lbfgs' || s.step % 250 === 0))
        o.onProgress({ phase: s.phase, step: s.step, loss: s.loss, nu: nuOf(s.params), seconds: s.elapsed / 1000 });
    },
  });
  const nu = nuOf(res.params);
  return { nu, trueNu, relError: Math.abs(nu - trueNu) / trueNu, seconds: res.elapsed / 1000 };
}
