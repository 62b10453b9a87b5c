// Robustness of a small MLP on scikit-learn's 8x8 digits: clean training, evaluation under
// FGSM / PGD / APGD / Square (L-inf) and PGD / CW (L2), CROWN certification, then PGD adversarial
// training and TRADES with the same evaluation.
//
//   cd packages/attacks && npx tsx examples/digits.ts          (or: pnpm --filter @difflab/attacks example)
//   npx tsx examples/digits.ts --quick                          (fewer epochs and attack iterations)
//
// Runs from a clean clone after `pnpm install`: tsx maps @difflab/* to the workspace sources
// through tsconfig.json, so nothing needs to be built first.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crossEntropy } from '@difflab/losses';
import { adam } from '@difflab/optim';
import { argmax, nn, tensor, type Tensor } from '@difflab/tensor';
import {
  adversarialTraining,
  apgd,
  apgdTargeted,
  bindAttack,
  certify,
  cw,
  fgsm,
  fromMlp,
  pgd,
  pgdAtLoss,
  robustAccuracy,
  square,
  tradesLoss,
  type AttackFn,
  type Model,
  type RobustnessReport,
} from '../src/index.js';

const quick = process.argv.includes('--quick');
const EPS_INF = 0.1; // 1.6 of the 16 grey levels
const EPS_L2 = 0.5;
const EPOCHS = quick ? 6 : 15;

type Params = { w: Tensor; b: Tensor }[];

const digits = JSON.parse(
  readFileSync(fileURLToPath(new URL('../test/fixtures/digits.json', import.meta.url)), 'utf8'),
);
const xTrain = tensor(digits.xTrain as number[][]);
const yTrain = tensor(digits.yTrain as number[], { dtype: 'int32' });
const xTest = tensor(digits.xTest as number[][]);
const yTest = tensor(digits.yTest as number[], { dtype: 'int32' });

const net = nn.mlp([64, 64, 10], { key: 0 });
const asModel =
  (p: Params): Model =>
  (x: Tensor) =>
    net.apply(p, x.reshape([x.shape[0]!, 64]));

/** A one-line progress bar on stderr. */
function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r  ${label.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

function accuracy(model: Model, x: Tensor, y: Tensor): number {
  const p = argmax(model(x), 1).dataSync();
  const t = y.dataSync();
  return Array.from(p).reduce((a, v, i) => a + +(v === t[i]), 0) / t.length;
}

async function train(
  name: string,
  loss: (p: Params, xb: Tensor, yb: Tensor, key: Tensor) => (q: Params) => Tensor,
): Promise<Params> {
  const t0 = performance.now();
  const res = await adversarialTraining(nn.mlp([64, 64, 10], { key: 0 }).params, xTrain, yTrain, {
    loss,
    optimizer: adam({ lr: 1e-2 }),
    epochs: EPOCHS,
    batchSize: 64,
    key: 1,
    onEpoch: ({ epoch }) => progress(`train ${name}`, epoch + 1, EPOCHS),
  });
  console.log(`  ${name}: trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return res.params;
}

const linfAttacks: Record<string, AttackFn> = {
  FGSM: bindAttack(fgsm, { eps: EPS_INF }),
  'PGD-20': bindAttack(pgd, { eps: EPS_INF, alpha: EPS_INF / 4, steps: 20 }),
  'APGD-CE': bindAttack(apgd, { eps: EPS_INF, steps: quick ? 25 : 50 }),
  'APGD-T (DLR)': bindAttack(apgdTargeted, { eps: EPS_INF, steps: quick ? 25 : 50, numTargets: 3 }),
  // Square sees the digits as 1x8x8 images and only queries the model's scores.
  Square: (m, x, y) =>
    square(m, x.reshape([-1, 1, 8, 8]), y, { eps: EPS_INF, queries: quick ? 300 : 1000, key: 2 }).reshape(x.shape),
};
const l2Attacks: Record<string, AttackFn> = {
  'PGD-L2-20': bindAttack(pgd, { eps: EPS_L2, norm: 'l2', alpha: EPS_L2 / 4, steps: 20 }),
  'CW-L2': bindAttack(cw, { eps: EPS_L2, steps: quick ? 50 : 100, lr: 0.05, binarySearchSteps: quick ? 3 : 5 }),
};

interface Row {
  model: string;
  clean: number;
  linf: RobustnessReport;
  l2: RobustnessReport;
  certified: Record<string, number>;
}

async function evaluate(name: string, params: Params): Promise<Row> {
  const model = asModel(params);
  const t0 = performance.now();
  const linf = await robustAccuracy(model, xTest, yTest, linfAttacks, {
    batchSize: 150,
    onProgress: ({ attack, step, steps }) => progress(`${name}: ${attack}`, step, steps),
  });
  const l2 = await robustAccuracy(model, xTest, yTest, l2Attacks, {
    batchSize: 150,
    onProgress: ({ attack, step, steps }) => progress(`${name}: ${attack}`, step, steps),
  });
  const layers = fromMlp(params);
  const certified: Record<string, number> = {};
  for (const eps of [0.02, 0.05]) certified[`CROWN@${eps}`] = certify(layers, xTest, yTest, eps).accuracy;
  console.log(`  ${name}: evaluated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { model: name, clean: accuracy(model, xTest, yTest), linf, l2, certified };
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

async function main(): Promise<void> {
  const start = performance.now();
  console.log(
    `digits: ${xTrain.shape[0]} train / ${xTest.shape[0]} test, MLP 64-64-10, ${EPOCHS} epochs of Adam (lr 1e-2, batch 64)${quick ? ' [quick]' : ''}`,
  );
  const rows: Row[] = [];

  const clean = await train('standard', (p, xb, yb) => (q) => crossEntropy(net.apply(q, xb), yb));
  rows.push(await evaluate('standard', clean));

  const at = await train('PGD-AT', (p, xb, yb, key) =>
    pgdAtLoss(net.apply, p, xb, yb, { eps: EPS_INF, alpha: EPS_INF / 4, steps: 7, key }),
  );
  rows.push(await evaluate('PGD-AT', at));

  const trades = await train('TRADES', (p, xb, yb, key) =>
    tradesLoss(net.apply, p, xb, yb, { eps: EPS_INF, alpha: EPS_INF / 4, steps: 7, beta: 6, key }),
  );
  rows.push(await evaluate('TRADES', trades));

  const linfNames = Object.keys(linfAttacks);
  const l2Names = Object.keys(l2Attacks);
  const certNames = Object.keys(rows[0]!.certified);
  console.log(
    `\nTest accuracy (450 digits). L-inf eps = ${EPS_INF}, L2 eps = ${EPS_L2}; "worst case" is per example over the L-inf attacks.\n`,
  );
  console.log(
    `| model | clean | ${linfNames.join(' | ')} | L-inf worst case | ${l2Names.join(' | ')} | ${certNames.join(' | ')} |`,
  );
  console.log(`|${' --- |'.repeat(3 + linfNames.length + l2Names.length + certNames.length)}`);
  for (const r of rows) {
    const cells = [
      r.model,
      pct(r.clean),
      ...linfNames.map((k) => pct(r.linf.attacks[k]!.robustAccuracy)),
      pct(r.linf.robustAccuracy),
      ...l2Names.map((k) => pct(r.l2.attacks[k]!.robustAccuracy)),
      ...certNames.map((k) => pct(r.certified[k]!)),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(`\ntotal time ${((performance.now() - start) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
