import { describe, expect, it } from 'vitest';
import { concat, type Tensor } from '@difflab/tensor';
import * as A from '../src/index.js';
import { digitsTensors } from './helpers/fixtures.js';
import { fixtureMlp } from './helpers/model.js';

const { model } = fixtureMlp();
const { x, y } = digitsTensors('test', 30);
const eps = 0.06;

const members: Record<string, A.AttackFn> = {
  fgsm: A.bindAttack(A.fgsm, { eps }),
  pgd: A.bindAttack(A.pgd, { eps, steps: 10, key: 4 }),
  square: (m, a, b) => A.square(m, a.reshape([-1, 1, 8, 8]), b, { eps, queries: 60, key: 9 }).reshape(a.shape),
  'apgd-dlr': A.bindAttack(A.apgd, { eps, steps: 10, loss: 'dlr' }),
};

describe('ensembles', () => {
  it('robust accuracy under the worst-case ensemble is at most that of every member', () => {
    const report = A.robustAccuracySync(model, x, y, { ...members, ensemble: A.ensemble(members) });
    const memberAcc = Object.keys(members).map((k) => report.attacks[k]!.robustAccuracy);
    expect(report.attacks.ensemble!.robustAccuracy).toBeLessThanOrEqual(Math.min(...memberAcc));
    // Per example: robust to the ensemble implies robust to each member.
    const ens = report.attacks.ensemble!.perExample;
    for (const k of Object.keys(members))
      ens.forEach((r, i) => expect(r <= report.attacks[k]!.perExample[i]!).toBe(true));
    expect(report.robustAccuracy).toBeLessThanOrEqual(report.attacks.ensemble!.robustAccuracy);
  });

  it('AutoAttack is at most each of its members run alone; cascade queries fewer examples', () => {
    const opts = { eps, steps: 10, numTargets: 3, squareQueries: 60, key: 1 };
    const aa = A.autoAttackMembers(opts);
    const rows = { plain: 0, cascade: 0 };
    const counted =
      (k: 'plain' | 'cascade'): A.Model =>
      (z: Tensor) => ((rows[k] += z.shape[0]!), model(z));
    const report = A.robustAccuracySync(model, x, y, {
      ...aa,
      autoAttack: (m, a, b) => A.autoAttack(counted('plain'), a, b, opts),
    });
    const memberAcc = Object.keys(aa).map((k) => report.attacks[k]!.robustAccuracy);
    expect(report.attacks.autoAttack!.robustAccuracy).toBeLessThanOrEqual(Math.min(...memberAcc));
    expect(report.attacks.autoAttack!.maxLinf).toBeLessThanOrEqual(eps + 1e-6);
    const seen: string[] = [];
    const casc = A.robustAccuracySync(model, x, y, (m, a, b) =>
      A.autoAttack(counted('cascade'), a, b, { ...opts, cascade: true, onMember: ({ name }) => seen.push(name) }),
    );
    expect(seen).toEqual(['apgd-ce', 'apgd-t', 'fab-t', 'square']);
    expect(rows.cascade).toBeLessThan(rows.plain);
    expect(casc.robustAccuracy).toBeLessThanOrEqual(report.attacks['apgd-ce']!.robustAccuracy);
  });

  it('worstCase reports which member won each example', () => {
    const r = A.worstCase(model, x, y, { fgsm: members.fgsm!, pgd: members.pgd! });
    r.success.forEach((s, i) => {
      if (s && r.chosen[i] !== null) expect(['fgsm', 'pgd']).toContain(r.chosen[i]);
    });
  });
});

describe('robustAccuracy', () => {
  it('counts clean-misclassified examples as non-robust and reports per-attack statistics', async () => {
    // Three wrong labels make three clean mistakes.
    const yw = Array.from(y.dataSync(), (v, i) => (i < 3 ? (v + 1) % 10 : v));
    const report = await A.robustAccuracy(model, x, yw, { fgsm: members.fgsm!, identity: (m, a) => a });
    expect(report.total).toBe(30);
    expect(report.clean).toBe(27);
    for (let i = 0; i < 3; i++) expect(report.perExample.robust[i]).toBe(0);
    expect(report.attacks.identity!.robustAccuracy).toBe(report.cleanAccuracy);
    expect(report.attacks.identity!.maxLinf).toBe(0);
    expect(report.attacks.identity!.successRate).toBe(0);
    const f = report.attacks.fgsm!;
    expect(f.maxLinf).toBeCloseTo(eps, 6);
    expect(f.successRate).toBeCloseTo((report.clean - f.robust) / report.clean, 12);
    expect(report.robustAccuracy).toBe(f.robustAccuracy);
    report.perExample.robust.forEach((r, i) => expect(r <= report.perExample.clean[i]!).toBe(true));
  });

  it('gives the same result in batches, with one progress call per batch and attack', async () => {
    const calls: A.ProgressInfo[] = [];
    const whole = await A.robustAccuracy(model, x, y, {
      fgsm: members.fgsm!,
      pgd: A.bindAttack(A.pgd, { eps, randomStart: false }),
    });
    const batched = await A.robustAccuracy(
      model,
      x,
      y,
      { fgsm: members.fgsm!, pgd: A.bindAttack(A.pgd, { eps, randomStart: false }) },
      { batchSize: 7, onProgress: (p) => calls.push(p) },
    );
    expect(batched.attacks.fgsm!.robust).toBe(whole.attacks.fgsm!.robust);
    expect(batched.attacks.pgd!.robust).toBe(whole.attacks.pgd!.robust);
    expect(calls.length).toBe(2 * 5);
    expect(calls[calls.length - 1]).toMatchObject({ attack: 'pgd', step: 10, steps: 10, done: 30, total: 30 });
  });

  it('stops when the signal is aborted', async () => {
    const ctrl = new AbortController();
    const run = A.robustAccuracy(model, x, y, members.pgd!, {
      batchSize: 5,
      signal: ctrl.signal,
      onProgress: ({ step }) => void (step === 2 && ctrl.abort(new Error('stop now'))),
    });
    await expect(run).rejects.toThrow('stop now');
    const pre = new AbortController();
    pre.abort();
    expect(() => A.robustAccuracySync(model, x, y, members.fgsm!, { signal: pre.signal })).toThrow();
  });

  it('accepts labels as arrays and a single attack', async () => {
    const ys = Array.from(y.dataSync());
    const r = await A.robustAccuracy(model, concat([x, x]), [...ys, ...ys], members.fgsm!);
    expect(Object.keys(r.attacks)).toEqual(['attack']);
    expect(r.total).toBe(60);
  });
});
