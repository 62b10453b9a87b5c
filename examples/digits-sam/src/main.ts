// `pnpm start`: train with SAM and with plain Adam, print the comparison, write the plots.
// Flags: --quick (2 epochs), --out <dir> (default ./out).
import { ProgressBar, displayPath, hasFlag, loadDigits, outDir, writeOutput } from '@difflab-examples/common/node';
import { plots, summaryTable } from './plots.js';
import { trainDigitsSam } from './run.js';

const bars = new Map<string, ProgressBar>();
const result = await trainDigitsSam(loadDigits(), {
  epochs: hasFlag('quick') ? 2 : 20,
  onStep: ({ run, step, totalSteps, loss }) => {
    let bar = bars.get(run);
    if (!bar) bars.set(run, (bar = new ProgressBar({ label: run.padEnd(5), total: totalSteps })));
    if (step === totalSteps) bar.finish({ loss });
    else bar.update(step, { loss });
  },
});

console.log(`\n${summaryTable(result)}\n`);
for (const [name, svg] of Object.entries(plots(result)))
  console.log(`wrote ${displayPath(writeOutput(outDir(), name, svg))}`);
