// `pnpm start`: Bayesian optimization vs random search and CMA-ES on Branin; prints regrets, writes plots.
// Flags: --quick (1 seed, 15 evaluations), --out <dir> (default ./out).
import { ProgressBar, displayPath, hasFlag, outDir, writeOutput } from '@difflab-examples/common/node';
import { plots, summaryTable } from './plots.js';
import { bayesOptBranin } from './run.js';

const quick = hasFlag('quick');
const seeds = quick ? 1 : 3;
const budget = quick ? 15 : 30;
const bar = new ProgressBar({ label: 'BO', total: seeds * budget });
const result = await bayesOptBranin({
  seeds,
  budget,
  onIteration: ({ seed, evaluations, best }) => bar.update(seed * budget + evaluations, { seed, best }),
});
bar.finish();

console.log(
  `\nBranin, ${budget} evaluations, ${seeds} seed(s); regret = best value found − f* (f* = ${result.optimum.toFixed(6)})\n`,
);
console.log(`${summaryTable(result)}\n`);
for (const [name, svg] of Object.entries(plots(result)))
  console.log(`wrote ${displayPath(writeOutput(outDir(), name, svg))}`);
