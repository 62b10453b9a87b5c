// The example's table and figures, shared by `pnpm start` and the tour.
import { formatTable, linePlot, pixelGrid } from '@difflab-examples/common';
import type { AttackCertifyResult } from './run.js';

export function summaryTable(result: AttackCertifyResult): string {
  return formatTable(
    ['model', 'clean', 'FGSM', 'PGD-20', 'IBP certified', 'CROWN certified', 'train s'],
    result.models.map((m) => [
      m.name,
      m.cleanAccuracy,
      m.fgsmAccuracy,
      m.pgdAccuracy,
      m.ibpCertified,
      m.crownCertified,
      m.trainSeconds,
    ]),
  );
}

export function plots(result: AttackCertifyResult): Record<string, string> {
  const colors = ['#0072B2', '#D55E00'];
  const curves = linePlot(
    result.models.flatMap((m, k) => [
      {
        name: `${m.name}: PGD-20 accuracy`,
        x: m.curve.map((c) => c.eps),
        y: m.curve.map((c) => c.pgd),
        color: colors[k],
      },
      {
        name: `${m.name}: certified (CROWN)`,
        x: m.curve.map((c) => c.eps),
        y: m.curve.map((c) => c.certified),
        color: colors[k],
        dashed: true,
      },
    ]),
    {
      title: 'Digits: accuracy under attack (upper bound) vs certified (lower bound)',
      xLabel: 'L-inf radius',
      yLabel: 'accuracy',
      yRange: [0, 1],
    },
  );
  const ex = result.examples;
  const size = { width: 8, height: 8 };
  const grid = pixelGrid(
    [
      ...ex.clean.map((p, i) => ({ pixels: p, ...size, label: `label ${ex.labels[i]}: ${ex.cleanPred[i]}` })),
      ...ex.adversarial.map((p, i) => ({ pixels: p, ...size, label: `predicted ${ex.advPred[i]}` })),
      ...ex.adversarial.map((p, i) => ({
        // The perturbation, mapped from [-eps, eps] to [0, 1] (grey is zero).
        pixels: p.map((v, j) => 0.5 + (v - ex.clean[i]![j]!) / (2 * result.eps)),
        ...size,
      })),
    ],
    {
      columns: ex.clean.length,
      title: `PGD adversarial examples, L-inf radius ${result.eps} (standard model)`,
      rowLabels: ['clean', 'adversarial', 'perturbation'],
    },
  );
  return { 'attack-certify-curves.svg': curves, 'attack-certify-examples.svg': grid };
}
