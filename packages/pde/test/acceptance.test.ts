/**
 * Short versions of the issue-7 acceptance runs (bench/run.ts has the full ones, with their
 * recorded results in bench/RESULTS.md). Budgets are a few seconds of CPU each; the bounds are
 * looser than the full runs' targets where the budget cannot reach them.
 */
import { describe, expect, it } from 'vitest';
import { burgersForward } from '../bench/burgers-forward.js';
import { burgersInverse } from '../bench/burgers-inverse.js';
import { poissonSquare } from '../bench/poisson-square.js';

describe('acceptance runs, short', () => {
  it('2-D Poisson on the unit square (hard Dirichlet constraint): relative L2 < 1e-3, the full target', async () => {
    const { relL2 } = await poissonSquare({ collocation: 100, adamSteps: 50, lbfgsIterations: 50 });
    expect(relL2).toBeLessThan(1e-3);
  });

  it('Burgers (nu = 0.01/pi) PINN: 300 Adam + 100 L-BFGS steps beat the frozen initial condition by a wide margin', async () => {
    // u(x, t) = −sin(πx) for all t is 0.59 away from the Cole–Hopf solution in relative L2; this
    // budget reaches 0.31 (the full run in bench/ is what the 5e-3 target refers to).
    const { relL2 } = await burgersForward({
      collocation: 300,
      adamSteps: 300,
      adamLr: 5e-3,
      lbfgsIterations: 100,
      depth: 3,
      width: 20,
    });
    expect(relL2).toBeLessThan(0.4);
  });

  it('inverse Burgers: recovers the viscosity from noisy Cole–Hopf samples (smooth regime, nu = 0.05 from a 4x guess)', async () => {
    const r = await burgersInverse({
      trueNu: 0.05,
      nu0: 0.2,
      data: 200,
      noise: 0.01,
      collocation: 200,
      adamSteps: 200,
      lbfgsIterations: 200,
      depth: 3,
      width: 20,
    });
    expect(r.relError).toBeLessThan(0.02);
  });
});
