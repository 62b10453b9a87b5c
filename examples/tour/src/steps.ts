// The tour's stops: each runs one workspace example through its exported function and returns a
// one-line headline, a detail table and its plots.
import { linePlot } from '@difflab-examples/common';
import { ProgressBar, loadDigits } from '@difflab-examples/common/node';
import { attackAndCertify } from '@difflab-examples/attack-certify';
import { plots as attackPlots, summaryTable as attackTable } from '@difflab-examples/attack-certify/plots';
import { bayesOptBranin } from '@difflab-examples/bayesopt-branin';
import { plots as boPlots, summaryTable as boTable } from '@difflab-examples/bayesopt-branin/plots';
import { trainDigitsSam, type DigitsSamResult } from '@difflab-examples/digits-sam';
import { plots as digitsPlots, summaryTable as digitsTable } from '@difflab-examples/digits-sam/plots';
import { solveBurgers } from '@difflab-examples/pinn-burgers';
import { plots as pinnPlots, summaryTable as pinnTable } from '@difflab-examples/pinn-burgers/plots';
import { tryWebGPU } from './gpu.js';

export interface StepContext {
  quick: boolean;
  gpu: boolean;
  /** Results later stops reuse (the GPU run compares with the CPU digits run). */
  shared: { digits?: DigitsSamResult };
}

export interface StepResult {
  headline: string;
  details?: string;
  plots?: Record<string, string>;
  skipped?: boolean;
}

export interface Step {
  title: string;
  short: string;
  packages: string;
  run(ctx: StepContext): Promise<StepResult>;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** One progress bar per named phase, created on first use. */
function phaseBars(width = 18) {
  const bars = new Map<string, ProgressBar>();
  return (phase: string, step: number, total: number, info?: Record<string, number>) => {
    let bar = bars.get(phase);
    if (!bar) bars.set(phase, (bar = new ProgressBar({ label: `    ${phase.padEnd(width)}`, total })));
    if (step >= total) bar.finish(info);
    else bar.update(step, info);
  };
}

const digitsEpochs = (quick: boolean) => (quick ? 2 : 20);

export const steps: Step[] = [
  {
    title: 'Digits classifier trained with a loss from the literature (Poly-1) and sharpness-aware minimization',
    short: 'digits: Poly-1 + SAM',
    packages:
      '@difflab/tensor (mlp, autodiff) · @difflab/losses (polyLoss, ece) · @difflab/optim (sam, adam, hessianTopEigenvalue)',
    async run(ctx) {
      const bar = phaseBars();
      const result = await trainDigitsSam(loadDigits(), {
        epochs: digitsEpochs(ctx.quick),
        onStep: ({ run, step, totalSteps, loss }) =>
          bar(run === 'sam' ? 'SAM(Adam)' : 'Adam', step, totalSteps, { loss }),
      });
      ctx.shared.digits = result;
      const s = result.sam;
      const b = result.baseline!;
      return {
        headline: `test acc ${pct(s.testAccuracy.at(-1)!)} (Adam ${pct(b.testAccuracy.at(-1)!)}); sharpness ${s.sharpness.toFixed(2)} vs ${b.sharpness.toFixed(2)}`,
        details: digitsTable(result),
        plots: digitsPlots(result),
      };
    },
  },
  {
    title: 'Attack the classifier with PGD, certify it with IBP/CROWN, and train it to be certifiable',
    short: 'attack + certify',
    packages: '@difflab/attacks (pgd, fgsm, certify, ibpSpec) · @difflab/losses · @difflab/optim',
    async run(ctx) {
      const bar = phaseBars();
      const result = attackAndCertify(loadDigits(), {
        epochs: ctx.quick ? 3 : 20,
        curveEps: ctx.quick ? [0, 0.05, 0.1] : undefined,
        onStep: ({ phase, step, totalSteps, loss }) =>
          bar(phase, step, totalSteps, loss === undefined ? undefined : { loss }),
      });
      const [std, ibp] = result.models;
      return {
        headline: `eps ${result.eps}: PGD acc ${pct(std!.pgdAccuracy)} → ${pct(ibp!.pgdAccuracy)}, certified ${pct(std!.crownCertified)} → ${pct(ibp!.crownCertified)} (standard → IBP-trained)`,
        details: attackTable(result),
        plots: attackPlots(result),
      };
    },
  },
  {
    title: 'Bayesian optimization of the Branin function, against random search and CMA-ES',
    short: 'Bayesian optimization',
    packages: '@difflab/bayes (bayesOpt, GP + log-EI) · @difflab/optim (randomSearch, cmaes)',
    async run(ctx) {
      const seeds = ctx.quick ? 1 : 3;
      const budget = ctx.quick ? 12 : 30;
      const bar = phaseBars();
      const result = await bayesOptBranin({
        seeds,
        budget,
        onIteration: ({ seed, evaluations, best }) =>
          bar('BO evaluations', seed * budget + evaluations, seeds * budget, { best }),
      });
      const regret = (m: (typeof result.methods)[number]) =>
        [...m.best.map((b) => b.y - result.optimum)].sort((a, b) => a - b)[Math.floor(seeds / 2)]!;
      const [bo, rs, cma] = result.methods;
      return {
        headline: `median regret after ${budget} evals: BO ${regret(bo!).toExponential(1)}, random ${regret(rs!).toExponential(1)}, CMA-ES ${regret(cma!).toExponential(1)}`,
        details: boTable(result),
        plots: boPlots(result),
      };
    },
  },
  {
    title: 'Physics-informed neural network for the viscous Burgers equation (short budget)',
    short: 'PINN: Burgers',
    packages: '@difflab/pde (pinn, pinnMlp, trainPinn, burgersColeHopf) · @difflab/optim (adam, lbfgs)',
    async run(ctx) {
      const bar = phaseBars();
      const result = await solveBurgers({
        ...(ctx.quick ? { adamSteps: 100, lbfgsIterations: 20, collocation: 300 } : {}),
        onStep: ({ phase, step, totalSteps, loss }) => bar(phase, step, totalSteps, { loss }),
      });
      return {
        headline: `relative L2 error vs the exact (Cole-Hopf) solution ${result.relativeL2.toExponential(2)}`,
        details: pinnTable(result),
        plots: pinnPlots(result),
      };
    },
  },
  {
    title: 'The same digits training on WebGPU',
    short: 'GPU: digits on WebGPU',
    packages: '@difflab/gpu (initWebGPU) · the unchanged code of stop 1 with device: "webgpu"',
    async run(ctx) {
      if (!ctx.gpu) return { headline: 'skipped (--no-gpu)', skipped: true };
      const gpu = await tryWebGPU();
      if (!gpu.ok) {
        console.log(`    No WebGPU adapter, so this stop is skipped: ${gpu.reason}`);
        return { headline: 'skipped: no WebGPU adapter (see the note above)', skipped: true };
      }
      console.log(`    WebGPU adapter: ${gpu.description}\n`);
      const epochs = ctx.quick ? 1 : 5;
      const bar = phaseBars();
      const result = await trainDigitsSam(loadDigits(), {
        device: 'webgpu',
        epochs,
        baseline: false,
        skipSharpness: true,
        onStep: ({ step, totalSteps, loss }) => bar('SAM(Adam) webgpu', step, totalSteps, { loss }),
      });
      const gpuLosses = result.sam.losses;
      const cpu = ctx.shared.digits?.sam.losses.slice(0, gpuLosses.length);
      const plots: Record<string, string> = {};
      let compare = '';
      if (cpu && cpu.length === gpuLosses.length) {
        // Same seed, same batches: the curves agree up to float32 rounding, which grows slowly.
        const maxDiff = Math.max(...cpu.map((v, i) => Math.abs(v - gpuLosses[i]!) / Math.abs(v)));
        compare = `; loss matches CPU to ${maxDiff.toExponential(1)} (max relative difference over ${cpu.length} steps)`;
        const x = gpuLosses.map((_, i) => i + 1);
        plots['gpu-vs-cpu-loss.svg'] = linePlot(
          [
            { name: 'CPU', x, y: cpu },
            { name: 'WebGPU', x, y: gpuLosses, dashed: true },
          ],
          {
            title: 'Digits, SAM(Adam): mini-batch loss on CPU and on WebGPU',
            xLabel: 'step',
            yLabel: 'loss',
            logY: true,
          },
        );
      }
      return {
        headline: `test acc ${pct(result.sam.testAccuracy.at(-1)!)} after ${epochs} epoch(s) in ${result.sam.seconds.toFixed(1)} s${compare}`,
        details: digitsTable(result),
        plots,
      };
    },
  },
];
