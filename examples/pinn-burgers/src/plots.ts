// The example's table and figures, shared by `pnpm start` and the tour.
import { PALETTE, formatTable, linePlot, type Series } from '@difflab-examples/common';
import type { BurgersResult } from './run.js';

export function summaryTable(r: BurgersResult): string {
  return (
    formatTable(['t', ...r.times.map(String), 'all'], [['relative L2 error', ...r.sliceErrors, r.relativeL2]]) +
    `\n(${r.adamSteps} Adam steps + ${r.lbfgsIterations} L-BFGS iterations on ${r.collocation} collocation points, ${r.seconds.toFixed(1)} s)`
  );
}

export function plots(r: BurgersResult): Record<string, string> {
  const series: Series[] = r.times.flatMap((t, k) => [
    { name: `exact, t = ${t}`, x: r.x, y: r.exact[k]!, color: PALETTE[k], dashed: true },
    { name: `PINN, t = ${t}`, x: r.x, y: r.pinn[k]!, color: PALETTE[k] },
  ]);
  const solution = linePlot(series, {
    title: `Burgers (ν = 0.01/π): PINN (solid) vs exact Cole-Hopf (dashed), rel. L2 error ${r.relativeL2.toExponential(1)}`,
    xLabel: 'x',
    yLabel: 'u(x, t)',
    width: 760,
    height: 440,
  });
  const phases = ['adam', 'lbfgs'];
  let offset = 0;
  const lossSeries: Series[] = phases.map((phase) => {
    const h = r.lossHistory.filter((e) => e.phase === phase);
    const s = { name: phase === 'adam' ? 'Adam' : 'L-BFGS', x: h.map((e) => offset + e.step), y: h.map((e) => e.loss) };
    offset += h.at(-1)?.step ?? 0;
    return s;
  });
  const loss = linePlot(lossSeries, {
    title: 'Burgers PINN: mean squared PDE residual',
    xLabel: 'Adam step, then L-BFGS iteration',
    yLabel: 'loss',
    logY: true,
  });
  return { 'pinn-burgers-solution.svg': solution, 'pinn-burgers-loss.svg': loss };
}
