import { describe, expect, it } from 'vitest';
import { adam } from '@difflab/optim';
import { crossEntropy } from '@difflab/losses';
import { nn, random, stopGradient, tree, valueAndGrad, type Tensor } from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import * as A from '../src/index.js';
import { digitsTensors } from './helpers/fixtures.js';
import { accuracy, fixtureMlp } from './helpers/model.js';

type P = { w: Tensor; b: Tensor }[];

describe('training on the 8x8 digits', () => {
  it('a small MLP reaches > 95% clean test accuracy in a few epochs', async () => {
    const train = digitsTensors('train');
    const test = digitsTensors('test');
    const net = nn.mlp([64, 32, 10], { key: 0 });
    const res = await A.adversarialTraining(net.params, train.x, train.y, {
      loss: (p, xb, yb) => (q: P) => crossEntropy(net.apply(q, xb), yb),
      optimizer: adam({ lr: 1e-2 }),
      epochs: 8,
      batchSize: 64,
      key: 1,
    });
    expect(res.stopped).toBe('epochs');
    expect(res.losses[res.losses.length - 1]!).toBeLessThan(res.losses[0]!);
    const acc = accuracy((x) => net.apply(res.params, x), test.x, test.y);
    expect(acc).toBeGreaterThan(0.95);
  });

  it('one epoch of PGD adversarial training raises PGD robust accuracy', async () => {
    const { params, apply } = fixtureMlp();
    const train = digitsTensors('train');
    const test = digitsTensors('test', 150);
    const eps = 0.1;
    const robust = (p: P) => {
      const m = (x: Tensor) => apply(p, x);
      return accuracy(m, A.pgd(m, test.x, test.y, { eps, steps: 10 }), test.y);
    };
    const before = robust(params);
    const res = await A.adversarialTraining(params, train.x, train.y, {
      loss: (p, xb, yb, key) => A.pgdAtLoss(apply, p, xb, yb, { eps, steps: 5, key }),
      optimizer: adam({ lr: 1e-2 }),
      epochs: 1,
      batchSize: 64,
    });
    const after = robust(res.params);
    expect(after).toBeGreaterThan(before + 0.1);
  });

  it('can be aborted', async () => {
    const { params, apply } = fixtureMlp();
    const train = digitsTensors('train', 256);
    const ctrl = new AbortController();
    let steps = 0;
    const res = await A.adversarialTraining(params, train.x, train.y, {
      loss: (p, xb, yb) => (q: P) => crossEntropy(apply(q, xb), yb),
      optimizer: adam({ lr: 1e-3 }),
      epochs: 5,
      batchSize: 32,
      signal: ctrl.signal,
      onStep: () => void (++steps === 3 && ctrl.abort()),
    });
    expect(res.stopped).toBe('aborted');
    expect(steps).toBe(3);
  });
});

describe('adversarial training losses', () => {
  const { params, apply } = fixtureMlp();
  const model = (x: Tensor) => apply(params, x);
  const { x, y } = digitsTensors('test', 32);
  const eps = 0.1;

  it('PGD-AT is the cross-entropy at the PGD examples', () => {
    const loss = A.pgdAtLoss(apply, params, x, y, { eps, steps: 5, key: 3 })(params).item();
    const adv = A.pgd(model, x, y, { eps, steps: 5, key: 3 });
    expect(loss).toBeCloseTo(crossEntropy(model(adv), y).item(), 6);
    expect(loss).toBeGreaterThan(crossEntropy(model(x), y).item());
    const custom = A.pgdAtLoss(apply, params, x, y, { attack: (m, a, b) => A.fgsm(m, a, b, { eps }) })(params).item();
    expect(custom).toBeCloseTo(crossEntropy(model(A.fgsm(model, x, y, { eps })), y).item(), 6);
  });

  it('TRADES: clean CE plus beta times a non-negative KL; its inner attack increases the KL', () => {
    const ce = crossEntropy(model(x), y).item();
    expect(A.tradesLoss(apply, params, x, y, { eps, beta: 0 })(params).item()).toBeCloseTo(ce, 6);
    const t6 = A.tradesLoss(apply, params, x, y, { eps, beta: 6 })(params).item();
    expect(t6).toBeGreaterThan(ce);
    const adv = A.tradesAdversary(model, x, { eps, steps: 10 });
    const kl = (z: Tensor) => A.klFromLogits(model(x), model(z)).mean().item();
    expect(kl(adv)).toBeGreaterThan(kl(A.tradesAdversary(model, x, { eps, steps: 1, alpha: 0.001 })));
    expect(A.lpNorm(adv.sub(x), 'linf').max().item()).toBeLessThanOrEqual(eps + 1e-6);
  });

  it('MART is finite, positive and exceeds the adversarial CE part alone', () => {
    const m = A.martLoss(apply, params, x, y, { eps, steps: 5 })(params).item();
    const m0 = A.martLoss(apply, params, x, y, { eps, steps: 5, beta: 0 })(params).item();
    expect(Number.isFinite(m)).toBe(true);
    expect(m0).toBeGreaterThan(0);
    expect(m).toBeGreaterThanOrEqual(m0);
  });

  it('AWP perturbs each weight matrix by gamma times its norm and differentiates at the perturbed weights', () => {
    const xAdv = A.pgd(model, x, y, { eps, steps: 3 });
    const v = A.awpPerturbation(apply, params, xAdv, y, 0.01);
    v.forEach((l, i) => {
      expect(Math.sqrt(l.w.square().sum().item())).toBeCloseTo(0.01 * Math.sqrt(params[i]!.w.square().sum().item()), 6);
      expect(l.b.abs().max().item()).toBe(0);
    });
    const loss = A.awpLoss(apply, params, x, y, { eps, steps: 3, gamma: 0.01 });
    const g = valueAndGrad(loss)(params)[1] as P;
    const shifted = tree.map((a: Tensor, b: Tensor) => a.add(b), params, v) as P;
    const ref = valueAndGrad((p: P) => crossEntropy(apply(p, xAdv), y))(shifted)[1] as P;
    tree.leaves(g).forEach((t, i) => {
      const r = tree.leaves(ref)[i]!.dataSync();
      t.dataSync().forEach((u, j) => expect(u).toBeCloseTo(r[j]!, 5));
    });
  });

  it('KL-DRO weighting: gradient = softmax(l / tau)-weighted per-example gradients; large tau gives plain AT', () => {
    const tau = 0.5;
    const xAdv = A.pgd(model, x, y, { eps, steps: 3, key: 2 });
    const attack = () => xAdv;
    const loss = A.klDroAtLoss(apply, params, x, y, { tau, attack });
    const g = valueAndGrad(loss)(params)[1] as P;
    const per = crossEntropy(model(xAdv), y, { reduction: 'none' });
    const w = stopGradient(A.klDroWeights(per, tau));
    const ref = valueAndGrad((p: P) => crossEntropy(apply(p, xAdv), y, { reduction: 'none' }).mul(w).sum())(
      params,
    )[1] as P;
    tree.leaves(g).forEach((t, i) => {
      const r = tree.leaves(ref)[i]!.dataSync();
      t.dataSync().forEach((u, j) => expect(u).toBeCloseTo(r[j]!, 5));
    });
    expect(A.klDroWeights(per, tau).sum().item()).toBeCloseTo(1, 6);
    const big = A.klDroAtLoss(apply, params, x, y, { tau: 1e4, attack })(params).item();
    expect(big).toBeCloseTo(per.mean().item(), 3);
  });

  it('VAT: the perturbation has L2 norm eps, LDS is non-negative, labels add the CE term', () => {
    const r = A.virtualAdversarialPerturbation(model, x, { eps: 0.5, key: 1 });
    A.lpNorm(r, 'l2')
      .dataSync()
      .forEach((v) => expect(v).toBeCloseTo(0.5, 5));
    const lds = A.vatLoss(apply, params, x, null, { eps: 0.5, key: 1 })(params).item();
    expect(lds).toBeGreaterThan(0);
    const sup = A.vatLoss(apply, params, x, y, { eps: 0.5, key: 1 })(params).item();
    expect(sup).toBeCloseTo(lds + crossEntropy(model(x), y).item(), 5);
    // Power iteration finds a more damaging direction than a random one of the same size.
    const rnd = random.normal(random.key(9), x.shape).mul(1);
    const rn = rnd.div(A.lpNorm(rnd, 'l2').reshape([-1, 1])).mul(0.5);
    const kl = (d: Tensor) =>
      A.klFromLogits(model(x), model(x.add(d)))
        .mean()
        .item();
    expect(kl(r)).toBeGreaterThan(kl(rn));
  });

  it('local linearity: lambda = 0 gives the single-step AT loss; the penalty is non-negative', () => {
    const l0 = A.localLinearityLoss(apply, params, x, y, { eps, lambda: 0, key: 4 })(params).item();
    const l1 = A.localLinearityLoss(apply, params, x, y, { eps, lambda: 100, key: 4 })(params).item();
    const adv = A.ffgsm(model, x, y, { eps, key: random.splitN(random.key(4), 4)[3]! });
    expect(l0).toBeCloseTo(crossEntropy(model(adv), y).item(), 5);
    expect(l1).toBeGreaterThan(l0);
    const clean = A.localLinearityLoss(apply, params, x, y, { eps, lambda: 0, attack: null })(params).item();
    expect(clean).toBeCloseTo(crossEntropy(model(x), y).item(), 6);
  });

  it('TRADES and MART gradients match finite differences (float64)', () => {
    const k = random.splitN(random.key(8), 4);
    const xs = random.uniform(k[0]!, [3, 5], { dtype: 'float64' });
    const ys = random.randint(k[1]!, [3], 0, 4);
    const app = (p: { w: Tensor; b: Tensor }, z: Tensor) => nn.linear(z, p.w, p.b).tanh().mul(2);
    const w = random.normal(k[2]!, [4, 5], { dtype: 'float64' });
    const b = random.normal(k[3]!, [4], { dtype: 'float64' });
    const trades = A.tradesLoss(app, { w, b }, xs, ys, { eps: 0.1, steps: 2 });
    const mart = A.martLoss(app, { w, b }, xs, ys, { eps: 0.1, steps: 2 });
    gradcheck((ww: Tensor, bb: Tensor) => trades({ w: ww, b: bb }), [w, b]);
    gradcheck((ww: Tensor, bb: Tensor) => mart({ w: ww, b: bb }), [w, b]);
  });
});
