import { describe, expect, it } from 'vitest';
import { DifflabError, grad, logSoftmax, matmul, mean, mul, sum, tensor, type Tensor } from '@difflab/tensor';
import * as L from '../src/index.js';
import { expectClose, fromEncoded, loadFixture, values, type Encoded } from './helpers/fixtures.js';
import { gradcheck } from './helpers/gradcheck.js';

const fx = loadFixture<Record<string, any>>('papers.json');
const logits = fromEncoded(fx.logits as Encoded);
const labels = fromEncoded(fx.labels as Encoded);
const fns = L as unknown as Record<string, (...a: unknown[]) => Tensor>;

function resolveOpts(opts: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts))
    o[k] = typeof v === 'string' && v in fx ? fromEncoded(fx[v] as Encoded) : v;
  return o;
}

function call(fn: string, x: Tensor, y: Tensor, opts: Record<string, unknown>, noLabels = false): Tensor {
  return noLabels ? fns[fn]!(x, opts) : fns[fn]!(x, y, opts);
}

describe('classification losses against NumPy references of the paper formulas', () => {
  for (const [name, c] of Object.entries(fx.classification as Record<string, any>)) {
    it(name, () => {
      const opts = resolveOpts(c.opts);
      const none = call(c.fn, logits, labels, { ...opts, reduction: 'none' }, c.noLabels);
      const ref = values(fromEncoded(c.value));
      expectClose(none.dataSync(), ref, 1e-10, name);
      const m = call(c.fn, logits, labels, opts, c.noLabels).item();
      expect(m).toBeCloseTo(ref.reduce((a, b) => a + b, 0) / ref.length, 10);
      expect(call(c.fn, logits, labels, { ...opts, reduction: 'sum' }, c.noLabels).item()).toBeCloseTo(
        ref.reduce((a, b) => a + b, 0),
        9,
      );
      // float32 follows the float64 reference to single precision.
      const f32 = call(c.fn, logits.astype('float32'), labels, { ...opts, reduction: 'none' }, c.noLabels);
      expect(f32.dtype).toBe('float32');
      expectClose(f32.dataSync(), ref, 2e-5, `${name} float32`);
    });
  }
  for (const [name, c] of Object.entries(fx.marginSoftmax as Record<string, any>)) {
    it(name, () => {
      const cos = fromEncoded(fx.cosines);
      const out = fns[c.fn]!(cos, labels, { ...c.opts, reduction: 'none' });
      expectClose(out.dataSync(), fromEncoded(c.value).dataSync(), 1e-10, name);
    });
  }
  it('sigmoidFocal (torchvision formula)', () => {
    const x = fromEncoded(fx.sigmoidFocal.logits);
    const t = fromEncoded(fx.sigmoidFocal.targets);
    expectClose(
      L.sigmoidFocal(x, t, { reduction: 'none' }).dataSync(),
      fromEncoded(fx.sigmoidFocal.default).dataSync(),
      1e-10,
    );
    expectClose(
      L.sigmoidFocal(x, t, { gamma: 1, alpha: -1, reduction: 'none' }).dataSync(),
      fromEncoded(fx.sigmoidFocal['noAlpha gamma=1']).dataSync(),
      1e-10,
    );
    gradcheck((z) => L.sigmoidFocal(z, t, { reduction: 'none' }), [x]);
  });
});

describe('classification losses: finite-difference gradients (float64)', () => {
  const fdCases: [string, (x: Tensor) => Tensor][] = [
    ['compSum tau=0', (x) => L.compSum(x, labels, { tau: 0, reduction: 'none' })],
    ['compSum tau=0.5', (x) => L.compSum(x, labels, { tau: 0.5, reduction: 'none' })],
    ['compSum tau=1.5', (x) => L.compSum(x, labels, { tau: 1.5, reduction: 'none' })],
    ['focal', (x) => L.focal(x, labels, { gamma: 2, alpha: fromEncoded(fx.alphaPerClass), reduction: 'none' })],
    ['focal gamma=1.5', (x) => L.focal(x, labels, { gamma: 1.5, reduction: 'none' })],
    ['dualFocal', (x) => L.dualFocal(x, labels, { reduction: 'none' })],
    ['polyLoss poly-3 focal', (x) => L.polyLoss(x, labels, { epsilon: [1, -0.5, 0.25], gamma: 1, reduction: 'none' })],
    ['squentropy', (x) => L.squentropy(x, labels, { reduction: 'none' })],
    ['zLoss', (x) => L.zLoss(x, labels, { a: 0.5, b: 2, reduction: 'none' })],
    ['logZLoss', (x) => L.logZLoss(x, { reduction: 'none' })],
    ['ldrKL', (x) => L.ldrKL(x, labels, { lambda: 0.7, margin: 0.3, reduction: 'none' })],
    ['gce', (x) => L.gce(x, labels, { reduction: 'none' })],
    ['sce', (x) => L.sce(x, labels, { reduction: 'none' })],
    ['normalizedCE', (x) => L.normalizedCE(x, labels, { reduction: 'none' })],
    ['normalizedFocal', (x) => L.normalizedFocal(x, labels, { reduction: 'none' })],
    ['apl nfl+mae', (x) => L.apl(x, labels, { active: 'nfl', passive: 'mae', reduction: 'none' })],
    ['ovr', (x) => L.ovr(x, labels, { reduction: 'none' })],
    ['sovr', (x) => L.sovr(x, labels, { reduction: 'none' })],
    [
      'ensLoss',
      (x) =>
        L.ensLoss(x, tensor([1, -1, -1, 1, 1, -1, 1, -1, 1, 1, -1, 1], { dtype: 'float64' }).reshape([6, 2]), {
          seed: 3,
          reduction: 'none',
        }),
    ],
  ];
  for (const [name, f] of fdCases)
    it(name, () => gradcheck(f, [name === 'ensLoss' ? logits.reshape([-1]).slice('0:12').reshape([6, 2]) : logits]));
  it('arcFace / cosFace through cosineLogits', () => {
    const e = fromEncoded(fx.embeddings);
    const w = fromEncoded(fx.centres);
    gradcheck((a, b) => L.arcFace(L.cosineLogits(a, b), labels, { scale: 8, margin: 0.4, reduction: 'none' }), [e, w]);
    gradcheck((a, b) => L.cosFace(L.cosineLogits(a, b), labels, { scale: 8, reduction: 'none' }), [e, w]);
  });
});

describe('special cases coincide', () => {
  const ce = values(L.crossEntropy(logits, labels, { reduction: 'none' }));
  const p = values(logSoftmax(logits, 1)).map(Math.exp);
  const py = values(labels).map((y, i) => p[i * 5 + y]!);
  it('compSum: tau=1 is crossEntropy, tau=2 is 1 - p_y, 1<tau<2 is GCE with q = tau - 1', () => {
    expectClose(values(L.compSum(logits, labels, { reduction: 'none' })), ce, 1e-15);
    expectClose(
      values(L.compSum(logits, labels, { tau: 2, reduction: 'none' })),
      py.map((v) => 1 - v),
      1e-12,
    );
    expectClose(
      values(L.compSum(logits, labels, { tau: 1.7, reduction: 'none' })),
      values(L.gce(logits, labels, { q: 0.7, reduction: 'none' })),
      1e-12,
    );
    // Continuity at tau -> 1 of the (1 - tau) parameterisation.
    expectClose(values(L.compSum(logits, labels, { tau: 1 + 1e-7, reduction: 'none' })), ce, 1e-6);
  });
  it('focal with gamma=0, poly with epsilon=0, dual focal with gamma=0 are crossEntropy', () => {
    expectClose(values(L.focal(logits, labels, { gamma: 0, reduction: 'none' })), ce, 1e-14);
    expectClose(values(L.polyLoss(logits, labels, { epsilon: 0, reduction: 'none' })), ce, 1e-14);
    expectClose(values(L.dualFocal(logits, labels, { gamma: 0, reduction: 'none' })), ce, 1e-14);
  });
  it('ldrKL: margin 0 is lambda * CE(s / lambda) - lambda log K; small lambda approaches the Crammer-Singer hinge', () => {
    const lam = 0.6;
    const ceT = values(L.crossEntropy(logits.div(lam), labels, { reduction: 'none' }));
    expectClose(
      values(L.ldrKL(logits, labels, { lambda: lam, reduction: 'none' })),
      ceT.map((v) => lam * v - lam * Math.log(5)),
      1e-12,
    );
    const x = values(logits);
    const hinge = values(labels).map((y, i) =>
      Math.max(...[0, 1, 2, 3, 4].map((k) => (k === y ? 0 : 1) + x[i * 5 + k]! - x[i * 5 + y]!)),
    );
    expectClose(values(L.ldrKL(logits, labels, { lambda: 1e-4, margin: 1, reduction: 'none' })), hinge, 2e-3);
  });
  it('gce with q=1 is the MAE 1 - p_y; rce is -A (1 - p_y); apl nce+mae equals its parts', () => {
    expectClose(
      values(L.gce(logits, labels, { q: 1, reduction: 'none' })),
      py.map((v) => 1 - v),
      1e-12,
    );
    expectClose(
      values(L.rce(logits, labels, { reduction: 'none' })),
      py.map((v) => 4 * (1 - v)),
      1e-12,
    );
    const parts = values(L.normalizedCE(logits, labels, { reduction: 'none' })).map(
      (v, i) => v + 0.5 * values(L.classMae(logits, labels, { reduction: 'none' }))[i]!,
    );
    expectClose(values(L.apl(logits, labels, { passive: 'mae', beta: 0.5, reduction: 'none' })), parts, 1e-12);
  });
  it('normalized losses lie in [0, 1] and sum to 1 over all labels', () => {
    for (const f of [L.normalizedCE, L.normalizedFocal]) {
      let total = 0;
      for (let k = 0; k < 5; k++) {
        const y = tensor([k, k, k, k, k, k], { dtype: 'int32' });
        const v = values(f(logits, y, { reduction: 'none' }));
        v.forEach((x) => expect(x >= 0 && x <= 1).toBe(true));
        total += v[0]!;
      }
      expect(total).toBeCloseTo(1, 12);
    }
  });
  it('zLoss is invariant to shifting and scaling the logits', () => {
    const a = values(L.zLoss(logits, labels, { a: 0.5, b: 2, reduction: 'none' }));
    const b = values(L.zLoss(logits.mul(3.7).add(-12), labels, { a: 0.5, b: 2, reduction: 'none' }));
    expectClose(b, a, 1e-10);
  });
  it('cosFace with margin 0 and arcFace with margin 0 are crossEntropy of scaled cosines', () => {
    const cos = fromEncoded(fx.cosines);
    const ref = values(L.crossEntropy(cos.mul(10), labels, { reduction: 'none' }));
    expectClose(values(L.cosFace(cos, labels, { scale: 10, margin: 0, reduction: 'none' })), ref, 1e-12);
    expectClose(values(L.arcFace(cos, labels, { scale: 10, margin: 0, reduction: 'none' })), ref, 1e-9);
  });
  it('sovr with switchFraction 0 is crossEntropy and with 1 is ovr', () => {
    expectClose(values(L.sovr(logits, labels, { switchFraction: 0, reduction: 'none' })), ce, 1e-14);
    expectClose(
      values(L.sovr(logits, labels, { switchFraction: 1, reduction: 'none' })),
      values(L.ovr(logits, labels, { reduction: 'none' })),
      1e-14,
    );
  });
});

describe('classification losses: spatial inputs, extreme logits, bad input', () => {
  const all = [
    'compSum',
    'focal',
    'dualFocal',
    'polyLoss',
    'squentropy',
    'zLoss',
    'ldrKL',
    'gce',
    'rce',
    'sce',
    'normalizedCE',
    'normalizedFocal',
    'classMae',
    'apl',
    'ovr',
    'sovr',
  ];
  it('class dim 1 with extra dims matches the flattened rows', () => {
    const x4 = tensor(
      Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(i * 1.3) * 2),
      { dtype: 'float64' },
    ).reshape([2, 5, 3]);
    const y4 = tensor(
      [
        [0, 4, 2],
        [1, 3, 3],
      ],
      { dtype: 'int32' },
    );
    const rows = x4.transpose([0, 2, 1]).reshape([6, 5]);
    for (const fn of all) {
      const a = fns[fn]!(x4, y4, { reduction: 'none' });
      expect(a.shape, fn).toEqual([2, 3]);
      expectClose(values(a), values(fns[fn]!(rows, y4.reshape([6]), { reduction: 'none' })), 1e-12, fn);
    }
  });
  it('logits of ±1e4 give finite losses and gradients', () => {
    const x = tensor([
      [1e4, -1e4, 0, 3, -1e4],
      [-1e4, -1e4, -1e4, -1e4, -1e4],
      [0, 1e4, 1e4, -2, 5],
    ]);
    const y = tensor([1, 2, 0], { dtype: 'int32' });
    for (const fn of [...all.filter((f) => f !== 'compSum'), 'compSum:1', 'compSum:1.5', 'compSum:2']) {
      const [name, tau] = fn.split(':');
      const opts = tau ? { tau: Number(tau) } : {};
      const v = fns[name!]!(x, y, opts).item();
      expect(Number.isFinite(v), `${fn} value ${v}`).toBe(true);
      const g = grad((z: Tensor) => fns[name!]!(z, y, opts))(x) as Tensor;
      expect(values(g).every(Number.isFinite), `${fn} gradient`).toBe(true);
    }
  });
  it('throws DifflabErrors naming the op and shapes', () => {
    const y = tensor([0, 1, 5, 2, 0, 1], { dtype: 'int32' });
    expect(() => L.focal(logits, y)).toThrow(/focal: target 5 is out of range for 5 classes/);
    expect(() => L.gce(logits, tensor([0, 1], { dtype: 'int32' }))).toThrow(/gce: .*\[6, 5\].*\[6\], got \[2\]/);
    expect(() => L.gce(logits, labels.astype('float64'))).toThrow(DifflabError);
    expect(() => L.gce(logits, labels, { q: 0 })).toThrow(/q must be in \(0, 1\]/);
    expect(() => L.compSum(logits, labels, { tau: -1 })).toThrow(/tau/);
    expect(() => L.ldrKL(logits, labels, { lambda: 0 })).toThrow(/lambda/);
    expect(() => L.focal(logits, labels, { alpha: tensor([1, 2], { dtype: 'float64' }) })).toThrow(
      /alpha must be a number or have shape \[5\]/,
    );
    expect(() => L.arcFace(logits, labels, { margin: 2 })).toThrow(/margin/);
    expect(() => L.ensLoss(logits, labels.astype('float64').reshape([6, 1]) as Tensor, { seed: 1 })).toThrow(
      /must match/,
    );
    expect(() => L.ensLoss(logits.reshape([-1]).slice('0:6'), labels.astype('float64'), { seed: 1 })).toThrow(
      /only -1 and 1/,
    );
    expect(() => L.apl(logits, labels, { active: 'ce' as never })).toThrow(/active/);
  });
});

describe('EnsLoss', () => {
  it('every sampled loss is convex and calibrated, and a seed fixes the loss', () => {
    const z = tensor(
      Array.from({ length: 41 }, (_, i) => -4 + i * 0.2),
      { dtype: 'float64' },
    );
    for (let seed = 0; seed < 25; seed++) {
      const loss = L.sampleCalibratedLoss(seed);
      expect(loss.derivativeAtZero).toBeLessThan(0);
      const d = values(grad((t: Tensor) => sum(loss.phi(t)))(z) as Tensor);
      expect(d[20]).toBeCloseTo(loss.derivativeAtZero, 12);
      for (let i = 1; i < d.length; i++) expect(d[i]! >= d[i - 1]! - 1e-15).toBe(true);
      expect(loss.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    expect(L.sampleCalibratedLoss(5)).toEqual(
      expect.objectContaining({ locations: L.sampleCalibratedLoss(5).locations }),
    );
    expect(L.sampleCalibratedLoss(5).locations).not.toEqual(L.sampleCalibratedLoss(6).locations);
  });
  it('is the mean of phi(y f) for the drawn loss', () => {
    const f = tensor([0.3, -1.2, 2.0, 0.1], { dtype: 'float64' });
    const y = tensor([1, 1, -1, -1], { dtype: 'float64' });
    const phi = L.sampleCalibratedLoss(11).phi;
    expect(L.ensLoss(f, y, { seed: 11 }).item()).toBeCloseTo(mean(phi(mul(f, y))).item(), 14);
  });
});

describe('smoothAdvCompSum', () => {
  it('for a linear model the smoothness term reaches radius * the top singular value', () => {
    const W = tensor(
      [
        [2, 0.5, 0],
        [0.1, -1, 0.3],
        [0, 0.2, 0.7],
      ],
      { dtype: 'float64' },
    );
    const model = (x: Tensor) => matmul(x, W);
    const x = tensor(
      [
        [0.1, 0.2, -0.3],
        [1, -1, 0.5],
      ],
      { dtype: 'float64' },
    );
    const y = tensor([0, 2], { dtype: 'int32' });
    const sigma = 2.06903596; // largest singular value of W, numpy.linalg.svd
    const base = L.compSum(model(x), y, { tau: 0.5, reduction: 'none' });
    const out = L.smoothAdvCompSum(model, x, y, { tau: 0.5, radius: 0.1, nu: 1, steps: 30, reduction: 'none' });
    const extra = values(out).map((v, i) => v - values(base)[i]!);
    for (const e of extra) expect(e).toBeCloseTo(0.1 * sigma, 4);
    // With the inf-norm the penalty is at least the 2-norm ball's (the 2-ball sits inside the box).
    const box = L.smoothAdvCompSum(model, x, y, { tau: 0.5, radius: 0.1, norm: 'inf', steps: 30, reduction: 'none' });
    values(box).forEach((v, i) => expect(v - values(base)[i]!).toBeGreaterThanOrEqual(extra[i]! - 1e-9));
  });
  it('differentiates through the model parameters', () => {
    const x = tensor(
      [
        [0.1, 0.2, -0.3],
        [1, -1, 0.5],
      ],
      { dtype: 'float64' },
    );
    const y = tensor([0, 2], { dtype: 'int32' });
    const W0 = tensor(
      [
        [2, 0.5, 0],
        [0.1, -1, 0.3],
        [0, 0.2, 0.7],
      ],
      { dtype: 'float64' },
    );
    const g = grad((W: Tensor) => L.smoothAdvCompSum((z) => matmul(z, W), x, y, { radius: 0.1, steps: 5 }))(
      W0,
    ) as Tensor;
    expect(values(g).every(Number.isFinite)).toBe(true);
    expect(values(g).some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });
});
