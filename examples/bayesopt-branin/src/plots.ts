// The example's table and figures, shared by `pnpm start` and the tour.
import { formatTable, linePlot } from '@difflab-examples/common';
import type { BayesOptBraninResult } from './run.js';

const median = (v: readonly number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

export function summaryTable(result: BayesOptBraninResult): string {
  return formatTable(
    ['method', 'median regret', 'worst regret', 'seconds'],
    result.methods.map((m) => {
      const regrets = m.best.map((b) => b.y - result.optimum);
      return [m.method, median(regrets), Math.max(...regrets), m.seconds];
    }),
  );
}

export function plots(result: BayesOptBraninResult): Record<string, string> {
  const x = Array.from({ length: result.budget }, (_, i) => i + 1);
  const seeds = result.methods[0]!.traces.length;
  const convergence = linePlot(
    result.methods.map((m) => ({
      name: m.method,
      x,
      // Median over seeds of the regret after each evaluation (floored so the log axis can show 0).
      y: x.map((_, i) => Math.max(median(m.traces.map((t) => t[i]!)) - result.optimum, 1e-6)),
    })),
    {
      title: `Branin: median regret over ${seeds} seed(s)`,
      xLabel: 'evaluations',
      yLabel: 'best value − f*',
      logY: true,
    },
  );
  const minima = [
    [-Math.PI, 12.275],
    [Math.PI, 2.275],
    [3 * Math.PI, 2.475],
  ];
  const points = linePlot(
    [
      {
        name: 'BO evaluations (seed 0)',
        x: result.boPoints.map((p) => p[0]!),
        y: result.boPoints.map((p) => p[1]!),
        markers: true,
      },
      {
        name: 'global minima',
        x: minima.map((p) => p[0]!),
        y: minima.map((p) => p[1]!),
        markers: true,
        color: '#D55E00',
      },
    ],
    { title: 'Where BO evaluated Branin', xLabel: 'x1', yLabel: 'x2', yRange: [0, 15] },
  );
  return { 'bayesopt-branin-convergence.svg': convergence, 'bayesopt-branin-points.svg': points };
}
