import { describe, expect, it } from 'vitest';
import { argmax, random, tensor, type Tensor } from '@difflab/tensor';
import * as A from '../src/index.js';
import { accuracy, correctDigits, fixtureMlp } from './helpers/model.js';

const { model } = fixtureMlp();
const { x, y } = correctDigits(model, 24);
const x4 = x.reshape([24, 1, 8, 8]);
const eps = 0.08;

function hits(adv: Tensor, targets: Tensor): number {
  const p = argmax(model(adv), 1).dataSync();
  const t = targets.dataSync();
  return Array.from(p).reduce((a, v, i) => a + +(v === t[i]), 0) / t.length;
}

describe('gradient attacks lower the accuracy of the clean-correct digits', () => {
  it('FGSM family and the momentum / transfer attacks', () => {
    const clean = accuracy(model, x, y);
    expect(clean).toBe(1);
    const results: Record<string, number> = {
      fgsm: accuracy(model, A.fgsm(model, x, y, { eps }), y),
      ffgsm: accuracy(model, A.ffgsm(model, x, y, { eps, key: 3 }), y),
      rfgsm: accuracy(model, A.rfgsm(model, x, y, { eps, key: 3 }), y),
      mifgsm: accuracy(model, A.mifgsm(model, x, y, { eps }), y),
      nifgsm: accuracy(model, A.nifgsm(model, x, y, { eps }), y),
      vmifgsm: accuracy(model, A.vmifgsm(model, x, y, { eps, samples: 4 }), y),
      difgsm: accuracy(model, A.difgsm(model, x4, y, { eps, decay: 1 }), y),
      tifgsm: accuracy(model, A.tifgsm(model, x4, y, { eps, kernelSize: 3 }), y),
      eotPgd: accuracy(model, A.eotPgd(model, x, y, { eps, eotSamples: 2, steps: 5 }), y),
    };
    for (const [name, acc] of Object.entries(results)) expect(acc, name).toBeLessThan(0.8);
  });

  it('PGD is at least as strong as FGSM; restarts never hurt; APGD is at least as strong as PGD', () => {
    const f = accuracy(model, A.fgsm(model, x, y, { eps }), y);
    const p1 = accuracy(model, A.pgd(model, x, y, { eps, steps: 20, key: 5 }), y);
    const p3 = accuracy(model, A.pgd(model, x, y, { eps, steps: 20, restarts: 3, key: 5 }), y);
    const ap = accuracy(model, A.apgd(model, x, y, { eps, steps: 20 }), y);
    expect(p1).toBeLessThanOrEqual(f);
    expect(p3).toBeLessThanOrEqual(p1);
    expect(ap).toBeLessThanOrEqual(p1);
  });

  it('BIM is PGD without a random start and with step eps / steps', () => {
    const b = A.bim(model, x, y, { eps, steps: 4 });
    const p = A.pgd(model, x, y, { eps, steps: 4, alpha: eps / 4, randomStart: false });
    expect(Array.from(b.dataSync())).toEqual(Array.from(p.dataSync()));
  });

  it('EOT-PGD with one identity sample is PGD', () => {
    const e = A.eotPgd(model, x, y, { eps, steps: 3, randomStart: false, eotSamples: 1, transform: (z) => z });
    const p = A.pgd(model, x, y, { eps, steps: 3, randomStart: false });
    expect(Array.from(e.dataSync())).toEqual(Array.from(p.dataSync()));
  });

  it('EOT averages the gradient over the transform samples', () => {
    let calls = 0;
    A.eotPgd(model, x, y, {
      eps,
      steps: 2,
      eotSamples: 3,
      transform: (z, k) => (calls++, z.add(random.normal(k, z.shape).mul(0.01))),
    });
    expect(calls).toBe(6);
  });

  it('targeted attacks reach their targets', () => {
    const targets = y.add(1).mod(10);
    expect(hits(A.pgd(model, x, y, { eps: 0.3, steps: 20, targets }), targets)).toBeGreaterThanOrEqual(0.9);
    expect(hits(A.apgd(model, x, y, { eps: 0.3, steps: 20, targets, loss: 'dlr' }), targets)).toBeGreaterThanOrEqual(
      0.9,
    );
    expect(hits(A.fgsm(model, x, y, { eps: 0.3, targets }), targets)).toBeGreaterThan(0.3);
    expect(
      hits(A.cw(model, x, y, { targets, steps: 60, lr: 0.05, binarySearchSteps: 2 }), targets),
    ).toBeGreaterThanOrEqual(0.9);
  });

  it('APGD-T tries the most likely wrong classes', () => {
    const t = A.apgdTargeted(model, x, y, { eps, steps: 10, numTargets: 3 });
    expect(accuracy(model, t, y)).toBeLessThanOrEqual(accuracy(model, A.fgsm(model, x, y, { eps }), y));
  });
});

describe('minimum-norm attacks', () => {
  it('DeepFool and FAB (L-inf, L2, L1) find adversarials for every example; FAB matches DeepFool on this near-linear net', () => {
    const df = A.deepfool(model, x, y, { norm: 'linf' });
    const fab = A.fab(model, x, y, { steps: 20 });
    expect(accuracy(model, df, y)).toBe(0);
    expect(accuracy(model, fab, y)).toBe(0);
    const m = (t: Tensor) => A.lpNorm(t.sub(x), 'linf').mean().item();
    expect(m(fab)).toBeLessThanOrEqual(m(df) * 1.05);
    const df2 = A.deepfool(model, x, y);
    const fab2 = A.fab(model, x, y, { steps: 20, norm: 'l2' });
    const fab1 = A.fab(model, x, y, { steps: 20, norm: 'l1' });
    expect(accuracy(model, fab2, y)).toBe(0);
    expect(accuracy(model, fab1, y)).toBe(0);
    const l2 = (t: Tensor) => A.lpNorm(t.sub(x), 'l2').mean().item();
    expect(l2(fab2)).toBeLessThanOrEqual(l2(df2) * 1.05);
    // L1 geometry gives sparser perturbations than L2.
    expect(A.lpNorm(fab1.sub(x), 0).mean().item()).toBeLessThan(A.lpNorm(fab2.sub(x), 0).mean().item());
  });

  it('more FAB restarts and more CW binary-search rounds never give larger perturbations', () => {
    const n = (t: Tensor, p: 'linf' | 'l2') => Array.from(A.lpNorm(t.sub(x), p).dataSync());
    const f1 = n(A.fab(model, x, y, { steps: 10, key: 2 }), 'linf');
    const f3 = n(A.fab(model, x, y, { steps: 10, restarts: 3, key: 2 }), 'linf');
    f3.forEach((v, i) => expect(v).toBeLessThanOrEqual(f1[i]! + 1e-7));
    const c1 = n(A.cw(model, x, y, { steps: 40, lr: 0.05, binarySearchSteps: 1 }), 'l2');
    const c3 = n(A.cw(model, x, y, { steps: 40, lr: 0.05, binarySearchSteps: 3 }), 'l2');
    c3.forEach((v, i) => expect(v).toBeLessThanOrEqual(c1[i]! + 1e-7));
  });

  it('with eps, minimum-norm attacks return x where they need more than eps', () => {
    const full = A.deepfool(model, x, y);
    const d = A.lpNorm(full.sub(x), 'l2').dataSync();
    const capped = A.deepfool(model, x, y, { eps: 0.4 });
    const dc = A.lpNorm(capped.sub(x), 'l2').dataSync();
    d.forEach((v, i) => expect(dc[i]).toBe(v <= 0.4 ? v : 0));
  });

  it('CW with kappa leaves a margin of at least kappa', () => {
    const adv = A.cw(model, x, y, { steps: 60, lr: 0.05, binarySearchSteps: 2, kappa: 2, c: 10 });
    const m = A.marginLoss(model(adv), y).dataSync();
    const changed = A.lpNorm(adv.sub(x), 'l2').dataSync();
    let found = 0;
    m.forEach((v, i) => {
      if (changed[i]! > 0) {
        found++;
        expect(v).toBeGreaterThanOrEqual(2 - 1e-4);
      }
    });
    expect(found).toBeGreaterThan(20);
  });
});

describe('JSMA', () => {
  it('changes at most floor(gamma * d) features, each by theta, and mostly reaches the target', () => {
    const targets = y.add(1).mod(10);
    const adv = A.jsma(model, x, y, { targets, gamma: 0.1 });
    expect(A.lpNorm(adv.sub(x), 0).max().item()).toBeLessThanOrEqual(6);
    const delta = adv.sub(x).dataSync();
    for (const v of delta) expect(v).toBeGreaterThanOrEqual(0);
    expect(hits(adv, targets)).toBeGreaterThan(0.4);
    const down = A.jsma(model, x, y, { theta: -1, gamma: 0.2 });
    for (const v of down.sub(x).dataSync()) expect(v).toBeLessThanOrEqual(0);
    expect(accuracy(model, down, y)).toBeLessThan(0.8);
  });
});

describe('losses and helpers', () => {
  it('DLR is invariant to shifting and scaling the logits; margin is positive exactly when misclassified', () => {
    const z = random.normal(random.key(4), [6, 10], { dtype: 'float64' });
    const yy = tensor([0, 1, 2, 3, 4, 5], { dtype: 'int32' });
    const a = A.dlrLoss(z, yy).dataSync();
    const b = A.dlrLoss(z.mul(3.5).add(2), yy).dataSync();
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 8));
    const m = A.marginLoss(z, yy).dataSync();
    const p = argmax(z, 1).dataSync();
    m.forEach((v, i) => expect(v > 0).toBe(p[i] !== i));
  });

  it('bindAttack fixes options', () => {
    const f = A.bindAttack(A.fgsm, { eps: 0.05 });
    expect(Array.from(f(model, x, y).dataSync())).toEqual(Array.from(A.fgsm(model, x, y, { eps: 0.05 }).dataSync()));
  });

  it('input diversity keeps the image size when shrinking and resizes bilinearly', () => {
    const img = random.uniform(random.key(1), [2, 1, 8, 8]);
    const same = A.resizeBilinear(img, 8, 8);
    expect(Array.from(same.dataSync()).map((v) => +v.toFixed(5))).toEqual(
      Array.from(img.dataSync()).map((v) => +v.toFixed(5)),
    );
    const k = A.gaussianKernel(5, 3, 'float64');
    expect(k.sum().item()).toBeCloseTo(1, 12);
  });
});
