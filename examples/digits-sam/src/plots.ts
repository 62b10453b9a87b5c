// The example's figures as SVG documents, shared by `pnpm start` and the tour.
import { formatTable, linePlot } from '@difflab-examples/common';
import type { DigitsSamResult, TrainedRun } from './run.js';

const label = (r: TrainedRun) => (r.name === 'sam' ? 'SAM(Adam)' : 'Adam');

/** Running mean over the last `w` values (one epoch of mini-batches by default). */
function smooth(v: readonly number[], w = 21): number[] {
  let acc = 0;
  return v.map((x, i) => {
    acc += x - (i >= w ? v[i - w]! : 0);
    return acc / Math.min(w, i + 1);
  });
}

export function runs(result: DigitsSamResult): TrainedRun[] {
  return [result.sam, result.baseline].filter((r): r is TrainedRun => r !== undefined);
}

export function summaryTable(result: DigitsSamResult): string {
  return formatTable(
    ['optimizer (loss: Poly-1)', 'device', 'test accuracy', 'test ECE', 'sharpness λmax', 'train s'],
    runs(result).map((r) => [
      label(r),
      r.device,
      r.testAccuracy.at(-1)!,
      r.testEce,
      Number.isNaN(r.sharpness) ? '-' : r.sharpness,
      r.seconds,
    ]),
  );
}

export function plots(result: DigitsSamResult, suffix = ''): Record<string, string> {
  const rs = runs(result);
  const device = rs[0]?.device ?? 'cpu';
  return {
    [`digits-sam-loss${suffix}.svg`]: linePlot(
      rs.map((r) => ({ name: label(r), x: r.losses.map((_, i) => i + 1), y: smooth(r.losses) })),
      {
        title: `Digits on ${device}: Poly-1 training loss (running mean over an epoch)`,
        xLabel: 'step',
        yLabel: 'loss',
        logY: true,
      },
    ),
    [`digits-sam-accuracy${suffix}.svg`]: linePlot(
      rs.map((r) => ({ name: label(r), x: r.testAccuracy.map((_, i) => i + 1), y: r.testAccuracy })),
      { title: `Digits on ${device}: test accuracy`, xLabel: 'epoch', yLabel: 'accuracy' },
    ),
  };
}
