// `pnpm start`: train the PINN, print its error against the exact solution, write the plots.
// Flags: --quick (100 Adam steps, 20 L-BFGS iterations), --out <dir> (default ./out).
import { ProgressBar, displayPath, hasFlag, outDir, writeOutput } from '@difflab-examples/common/node';
import { plots, summaryTable } from './plots.js';
import { solveBurgers } from './run.js';

const bars = new Map<string, ProgressBar>();
const result = await solveBurgers({
  ...(hasFlag('quick') ? { adamSteps: 100, lbfgsIterations: 20, collocation: 300 } : {}),
  onStep: ({ phase, step, totalSteps, loss }) => {
    let bar = bars.get(phase);
    if (!bar) bars.set(phase, (bar = new ProgressBar({ label: phase.padEnd(6), total: totalSteps })));
    if (step >= totalSteps) bar.finish({ loss });
    else bar.update(step, { loss });
  },
});
for (const bar of bars.values()) bar.finish();

console.log(`\n${summaryTable(result)}\n`);
for (const [name, svg] of Object.entries(plots(result)))
  console.log(`wrote ${displayPath(writeOutput(outDir(), name, svg))}`);
