import { describe, expect, it } from 'vitest';
import { DifflabError, grad, stopGradient, tensor, type Tensor } from '@difflab/tensor';
import * as L from '../src/index.js';
import { expectClose, fromEncoded, loadFixture, values } from './helpers/fixtures.js';
import { gradcheck } from './helpers/gradcheck.js';

const R = loadFixture<Record<string, any>>('papers.json').representation;
const q = fromEncoded(R.q);
const k = fromEncoded(R.k);
const neg = fromEncoded(R.neg);
const labels = fromEncoded(R.labels);
const e6 = fromEncoded(R.e6);
const labels6 = fromEncoded(R.labels6);
const ref = (key: string) => values(fromEncoded(R[key]));

describe('contrastive losses against NumPy', () => {
  it('infoNCE with a negative bank, and on raw dot products', () => {
    expectClose(
      values(L.infoNCE(q, k, { temperature: 0.2, negatives: neg, reduction: 'none' })),
      ref('infoNCE tau=0.2 negatives'),
      1e-12,
    );
    expectClose(
      values(L.infoNCE(q, k, { temperature: 1, normalize: false, reduction: 'none' })),
      ref('infoNCE raw tau=1'),
      1e-12,
    );
    gradcheck((a, b, c) => L.infoNCE(a, b, { temperature: 0.2, negatives: c, reduction: 'none' }), [q, k, neg]);
  });
  it('ntXent (SimCLR) over the 2N views', () => {
    const out = L.ntXent(q, k, { reduction: 'none' });
    expect(out.shape).toEqual([8]);
    expectClose(values(out), ref('ntXent tau=0.5'), 1e-12);
    gradcheck((a, b) => L.ntXent(a, b, { reduction: 'none' }), [q, k]);
  });
  it('supCon with two views and with anchors that have no positive', () => {
    const views = fromEncoded(R.views);
    const out = L.supCon(views, labels, { reduction: 'none' });
    expectClose(values(out), ref('supCon views tau=0.1'), 1e-12);
    const single = values(L.supCon(q, labels, { reduction: 'none' }));
    expectClose(single, ref('supCon single view tau=0.1'), 1e-12);
    const kept = single.filter((v) => !Number.isNaN(v));
    expect(L.supCon(q, labels).item()).toBeCloseTo(kept.reduce((a, b) => a + b, 0) / kept.length, 12);
    expect(Number.isNaN(L.supCon(q, tensor([0, 1, 2, 3], { dtype: 'int32' })).item())).toBe(true);
    gradcheck((z) => L.supCon(z, labels), [views]);
    gradcheck((z) => L.supCon(z, labels), [q]);
  });
  it('circle loss (pair form per anchor)', () => {
    expectClose(
      values(L.circleLoss(e6, labels6, { gamma: 8, reduction: 'none' })),
      ref('circle m=0.25 gamma=8'),
      1e-12,
    );
    expectClose(
      values(L.circleLoss(e6, labels6, { gamma: 2, margin: 0.4, reduction: 'none' })),
      ref('circle m=0.4 gamma=2'),
      1e-12,
    );
    const r = ref('circle m=0.25 gamma=8');
    const valid = r.filter((_, i) => i !== 4);
    expect(L.circleLoss(e6, labels6, { gamma: 8 }).item()).toBeCloseTo(
      valid.reduce((a, b) => a + b, 0) / valid.length,
      12,
    );
    gradcheck((z) => L.circleLoss(z, labels6, { gamma: 8, detachWeights: false, reduction: 'none' }), [e6]);
    // With the weights held constant the gradient differs, but the value does not.
    const held = grad((z: Tensor) => L.circleLoss(z, labels6, { gamma: 8 }))(e6) as Tensor;
    const full = grad((z: Tensor) => L.circleLoss(z, labels6, { gamma: 8, detachWeights: false }))(e6) as Tensor;
    expect(values(held).some((v, i) => Math.abs(v - values(full)[i]!) > 1e-3)).toBe(true);
  });
  it('multi-similarity with and without mining', () => {
    expectClose(values(L.multiSimilarity(e6, labels6, { reduction: 'none' })), ref('multiSimilarity default'), 1e-12);
    expectClose(
      values(L.multiSimilarity(e6, labels6, { alpha: 1, beta: 5, lambda: 0.2, mining: false, reduction: 'none' })),
      ref('multiSimilarity no mining a=1 b=5 l=0.2'),
      1e-12,
    );
    gradcheck((z) => L.multiSimilarity(z, labels6, { alpha: 1, beta: 5, reduction: 'none' }), [e6]);
  });
  it('alignment and uniformity (Wang & Isola)', () => {
    const xa = L.l2normalize(q);
    const ya = L.l2normalize(k);
    expect(L.alignment(xa, ya).item()).toBeCloseTo(R['alignment alpha=2'], 12);
    expect(L.alignment(xa, ya, { alpha: 1.5 }).item()).toBeCloseTo(R['alignment alpha=1.5'], 12);
    expect(L.uniformity(xa).item()).toBeCloseTo(R['uniformity t=2'], 12);
    expect(L.uniformity(e6, { t: 0.5 }).item()).toBeCloseTo(R['uniformity t=0.5 E6'], 12);
    gradcheck((a, b) => L.alignment(a, b, { alpha: 1.5 }), [q, k]);
    gradcheck((a) => L.uniformity(a), [e6]);
    // Far-apart points: log-sum-exp keeps it finite where exp underflows.
    expect(
      Number.isFinite(
        L.uniformity(
          tensor([
            [0, 0],
            [100, 0],
            [0, 100],
          ]),
          { t: 2 },
        ).item(),
      ),
    ).toBe(true);
  });
  it('per-sample temperature contrastive loss; the temperatures are differentiable', () => {
    const tau = fromEncoded(R.tau);
    expectClose(
      values(L.individualTemperatureContrastive(q, k, tau, { rho: 0.2, reduction: 'none' })),
      ref('individualTemperature rho=0.2'),
      1e-12,
    );
    gradcheck((a, b, t) => L.individualTemperatureContrastive(a, b, t, { rho: 0.2, reduction: 'none' }), [q, k, tau]);
    // Minimising over tau_i is the KL-DRO dual: at the optimum the derivative in tau vanishes.
    let t = tensor([0.5, 0.5, 0.5, 0.5], { dtype: 'float64' });
    for (let i = 0; i < 400; i++) {
      const g = grad((tt: Tensor) =>
        L.individualTemperatureContrastive(stopGradient(q), stopGradient(k), tt, { rho: 0.2, reduction: 'sum' }),
      )(t) as Tensor;
      t = t.sub(g.mul(0.5)).maximum(0.01);
    }
    const gEnd = grad((tt: Tensor) => L.individualTemperatureContrastive(q, k, tt, { rho: 0.2, reduction: 'sum' }))(
      t,
    ) as Tensor;
    values(gEnd).forEach((v, i) => (values(t)[i]! > 0.011 ? expect(Math.abs(v)).toBeLessThan(1e-4) : undefined));
  });
  it('bad input', () => {
    expect(() => L.infoNCE(q, k.slice('0:3'))).toThrow(/infoNCE: query \[4, 3\] and keys \[3, 3\] need the same N/);
    expect(() => L.supCon(q, labels.slice('0:3'))).toThrow(/supCon: labels must be \[4\]/);
    expect(() => L.circleLoss(q, labels.astype('float64'))).toThrow(/int32/);
    expect(() => L.individualTemperatureContrastive(q, k, tensor([1, 1, -1, 1], { dtype: 'float64' }))).toThrow(
      /tau of shape \[4\] must be positive/,
    );
    expect(() => L.ntXent(q, k, { temperature: 0 })).toThrow(DifflabError);
    expect(() => L.uniformity(q.slice('0:1'))).toThrow(/at least 2 rows/);
  });
});
