// `npm run demo` runs this: every workspace example in turn with progress bars, a summary table
// at the end, and the plots written to out/. Flags: --quick (small budgets, for smoke tests),
// --no-gpu (skip the WebGPU run), --out <dir>.
import { formatSeconds, formatTable } from '@difflab-examples/common';
import { displayPath, hasFlag, outDir, writeOutput } from '@difflab-examples/common/node';
import { steps, type StepContext, type StepResult } from './steps.js';

const quick = hasFlag('quick');
const dir = outDir();
const ctx: StepContext = { quick, gpu: !hasFlag('no-gpu'), shared: {} };

const line = '─'.repeat(78);
console.log(
  `${line}\ndifflab tour${quick ? ' (quick mode: small budgets)' : ''}: ${steps.length} examples, plots go to ${displayPath(dir)}\n${line}`,
);

interface Row {
  title: string;
  status: 'ok' | 'skipped' | 'FAILED';
  headline: string;
  seconds: number;
  files: string[];
}
const rows: Row[] = [];
const tour0 = performance.now();

for (const [i, step] of steps.entries()) {
  console.log(`\n[${i + 1}/${steps.length}] ${step.title}\n    ${step.packages}\n`);
  const t0 = performance.now();
  let result: StepResult;
  try {
    result = await step.run(ctx);
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`\n    failed: ${message}`);
    rows.push({
      title: step.short,
      status: 'FAILED',
      headline: String(err instanceof Error ? err.message : err).split('\n')[0]!,
      seconds: 0,
      files: [],
    });
    continue;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (result.details) console.log(`\n${result.details.replace(/^/gm, '    ')}`);
  const files = Object.entries(result.plots ?? {}).map(([name, svg]) => writeOutput(dir, name, svg));
  for (const f of files) console.log(`    wrote ${displayPath(f)}`);
  rows.push({
    title: step.short,
    status: result.skipped ? 'skipped' : 'ok',
    headline: result.headline,
    seconds,
    files,
  });
}

const total = (performance.now() - tour0) / 1000;
console.log(`\n${line}\nSummary (${formatSeconds(total)} in all)\n${line}\n`);
console.log(
  formatTable(
    ['example', 'status', 'result', 'time'],
    rows.map((r) => [r.title, r.status, r.headline, formatSeconds(r.seconds)]),
  ),
);
const written = rows.flatMap((r) => r.files);
console.log(`\nPlots (${written.length} SVG files, open them in a browser):`);
for (const f of written) console.log(`  ${displayPath(f)}`);
console.log(
  '\nNext: run one example on its own with `pnpm --filter ./examples/<name> start` (see examples/README.md),\n' +
    'and read docs/getting-started.md.',
);
// The WebGPU runtime (Dawn) can keep Node's event loop alive; the tour is done, so leave explicitly.
process.exit(rows.some((r) => r.status === 'FAILED') ? 1 : 0);
