// `pnpm start`: train a standard and an IBP-trained model, attack and certify both, write the plots.
// Flags: --quick (3 epochs), --out <dir> (default ./out).
import { ProgressBar, displayPath, hasFlag, loadDigits, outDir, writeOutput } from '@difflab-examples/common/node';
import { plots, summaryTable } from './plots.js';
import { attackAndCertify } from './run.js';

const bars = new Map<string, ProgressBar>();
const result = attackAndCertify(loadDigits(), {
  epochs: hasFlag('quick') ? 3 : 20,
  onStep: ({ phase, step, totalSteps, loss }) => {
    let bar = bars.get(phase);
    if (!bar) bars.set(phase, (bar = new ProgressBar({ label: phase.padEnd(17), total: totalSteps })));
    const info = loss === undefined ? undefined : { loss };
    if (step === totalSteps) bar.finish(info);
    else bar.update(step, info);
  },
});

console.log(`\nL-inf radius ${result.eps}, 450 test images\n\n${summaryTable(result)}\n`);
for (const [name, svg] of Object.entries(plots(result)))
  console.log(`wrote ${displayPath(writeOutput(outDir(), name, svg))}`);
