import { describe, expect, it } from 'vitest';
import { DifflabError, grad, softmax, tensor, type Tensor } from '@difflab/tensor';
import * as L from '../src/index.js';
import { expectClose, fromEncoded, loadFixture, values } from './helpers/fixtures.js';
import { gradcheck } from './helpers/gradcheck.js';

const fx = loadFixture<Record<string, any>>('papers.json');
const M = fx.misc;
const T = fx.metrics;

describe('distillation', () => {
  const s = fromEncoded(M.student);
  const t = fromEncoded(M.teacher);
  it('kdLoss is T² KL(teacher ‖ student) of the softened distributions', () => {
    expectClose(values(L.kdLoss(s, t, { temperature: 3, reduction: 'none' })), values(fromEncoded(M['kd T=3'])), 1e-12);
    // Equals PyTorch's recipe kl_div(log_softmax(s/T), softmax(t/T), 'batchmean') * T².
    const viaKlDiv = L.klDiv(s.div(3).logSoftmax(1), softmax(t.div(3), 1), { reduction: 'batchmean' }).item() * 9;
    expect(L.kdLoss(s, t, { temperature: 3 }).item()).toBeCloseTo(viaKlDiv, 12);
    gradcheck((a, b) => L.kdLoss(a, b, { temperature: 3, reduction: 'none' }), [s, t]);
  });
  it('binaryKLLogitLoss', () => {
    expectClose(values(L.binaryKLLogitLoss(s, t, { reduction: 'none' })), values(fromEncoded(M.binaryKL)), 1e-12);
    expect(L.binaryKLLogitLoss(t, t).item()).toBeCloseTo(0, 14);
    expect(Number.isFinite(L.binaryKLLogitLoss(tensor([[1e4, -1e4]]), tensor([[-1e4, 1e4]])).item())).toBe(true);
    gradcheck((a, b) => L.binaryKLLogitLoss(a, b, { reduction: 'none' }), [s, t]);
  });
});

describe('flooding', () => {
  it('is the loss above the flood level and reflects it below', () => {
    const f = (x: Tensor) => L.flooding(x.mul(x), { level: 0.5 });
    expect(f(tensor(2, { dtype: 'float64' })).item()).toBe(4);
    expect(f(tensor(0.5, { dtype: 'float64' })).item()).toBeCloseTo(0.75, 14);
    expect((grad(f)(tensor(2, { dtype: 'float64' })) as Tensor).item()).toBe(4);
    expect((grad(f)(tensor(0.5, { dtype: 'float64' })) as Tensor).item()).toBe(-1);
    expect(() => L.flooding(tensor([1, 2]), { level: 0.1 })).toThrow(/flooding: expects a reduced scalar loss.*\[2\]/);
    expect(() => L.flooding(tensor(1), {} as never)).toThrow(DifflabError);
  });
});

describe('segmentation', () => {
  const p = fromEncoded(M.probs);
  const g = fromEncoded(M.masks);
  it('dice and tversky (focal) match NumPy; tversky with alpha = beta = 0.5 is dice', () => {
    expectClose(values(L.dice(p, g, { reduction: 'none' })), values(fromEncoded(M.dice)), 1e-12);
    expectClose(
      values(L.tversky(p, g, { alpha: 0.3, beta: 0.7, smooth: 0.5, gamma: 1.5, reduction: 'none' })),
      values(fromEncoded(M['tversky a=0.3 b=0.7 s=0.5 g=1.5'])),
      1e-12,
    );
    expectClose(
      values(L.tversky(p, g, { smooth: 0, reduction: 'none' })),
      values(L.dice(p, g, { smooth: 0, reduction: 'none' })),
      1e-14,
    );
    gradcheck((a) => L.tversky(a, g, { alpha: 0.3, beta: 0.7, gamma: 1.5, reduction: 'none' }), [p]);
    gradcheck((a) => L.dice(a, g, { reduction: 'none' }), [p]);
  });
  it('bad input', () => {
    expect(() => L.dice(p.mul(2), g)).toThrow(/dice: probs of shape \[2, 3, 4\] must lie in \[0, 1\]/);
    expect(() => L.dice(p, g.slice(0))).toThrow(/same shape/);
  });
});

describe('metrics', () => {
  const probs = fromEncoded(T.probs);
  const labels = fromEncoded(T.labels);
  it('accuracy, top-k accuracy (logits give the same ranks as probabilities)', () => {
    expect(L.accuracy(probs, labels)).toBeCloseTo(T.accuracy, 14);
    expect(L.accuracy(probs.log(), labels)).toBeCloseTo(T.accuracy, 14);
    expect(L.topKAccuracy(probs, labels, 2)).toBeCloseTo(T.top2, 14);
    expect(L.topKAccuracy(probs, labels, 4)).toBe(1);
    expect(() => L.topKAccuracy(probs, labels, 5)).toThrow(/k must be an integer in \[1, 4\]/);
  });
  it('ECE / MCE with equal-width bins and the reliability bins', () => {
    expect(L.ece(probs, labels)).toBeCloseTo(T.ece15, 12);
    expect(L.mce(probs, labels)).toBeCloseTo(T.mce15, 12);
    expect(L.ece(probs, labels, { bins: 5 })).toBeCloseTo(T.ece5, 12);
    expect(L.mce(probs, labels, { bins: 5 })).toBeCloseTo(T.mce5, 12);
    const bins = L.calibrationBins(probs, labels, { bins: 5 });
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(40);
    expect(bins[0]!.count).toBe(0);
    expect(Number.isNaN(bins[0]!.accuracy)).toBe(true);
    // A perfectly calibrated toy: confidence 1 and always right.
    expect(
      L.ece(
        tensor([
          [1, 0],
          [0, 1],
        ]),
        tensor([0, 1], { dtype: 'int32' }),
      ),
    ).toBe(0);
  });
  it('brierScore', () => {
    expectClose(values(L.brierScore(probs, labels, { reduction: 'none' })), values(fromEncoded(T.brier)), 1e-12);
    gradcheck((z) => L.brierScore(softmax(z, 1), labels, { reduction: 'none' }), [probs.log()]);
    // Two classes: twice the binary score mean((p1 - y)^2).
    const p2 = tensor(
      [
        [0.3, 0.7],
        [0.9, 0.1],
      ],
      { dtype: 'float64' },
    );
    expect(L.brierScore(p2, tensor([1, 1], { dtype: 'int32' })).item()).toBeCloseTo(
      (2 * ((0.7 - 1) ** 2 + (0.1 - 1) ** 2)) / 2,
      14,
    );
  });
  it('AUROC with ties equals scikit-learn', () => {
    const s = fromEncoded(T.aucScores);
    const y = fromEncoded(T.aucLabels);
    expect(L.auroc(s, y)).toBeCloseTo(T.auroc, 14);
    expect(L.auroc(tensor([0.1, 0.4, 0.35, 0.8]), tensor([0, 0, 1, 1], { dtype: 'int32' }))).toBe(0.75);
    expect(L.auroc(tensor([1, 1, 1]), tensor([0, 1, 0], { dtype: 'int32' }))).toBe(0.5);
    expect(() => L.auroc(s, y.mul(0))).toThrow(/auroc: needs both classes/);
    expect(() => L.auroc(s, y.add(1))).toThrow(/labels must be 0 or 1/);
  });
  it('bad input', () => {
    expect(() => L.ece(probs.mul(2), labels)).toThrow(/ece|calibrationBins/);
    expect(() => L.accuracy(probs, labels.slice('0:3'))).toThrow(/accuracy: .*\[40, 4\].*\[40\], got \[3\]/);
    expect(() => L.brierScore(probs, labels.add(4))).toThrow(/out of range/);
  });
});
