import { describe, expect, it } from 'vitest';
import { DifflabError, tensor, type Tensor } from '@difflab/tensor';
import * as L from '../src/index.js';
import { expectClose, fromEncoded, loadFixture, values } from './helpers/fixtures.js';
import { gradcheck } from './helpers/gradcheck.js';

const fx = loadFixture<Record<string, any>>('papers.json');
const fns = L as unknown as Record<string, (...a: unknown[]) => Tensor>;

describe('regression losses against NumPy', () => {
  const x = fromEncoded(fx.regression.input);
  const y = fromEncoded(fx.regression.target);
  for (const [name, c] of Object.entries(fx.regression.cases as Record<string, any>)) {
    it(name, () => {
      const ref = values(fromEncoded(c.value));
      expectClose(values(fns[c.fn]!(x, y, { ...c.opts, reduction: 'none' })), ref, 1e-12, name);
      expect(fns[c.fn]!(x, y, c.opts).item()).toBeCloseTo(ref.reduce((a, b) => a + b, 0) / ref.length, 12);
      expect(
        values(fns[c.fn]!(x.astype('float32'), y.astype('float32'), { ...c.opts, reduction: 'none' })).every(
          Number.isFinite,
        ),
      ).toBe(true);
    });
  }
  it('mape matches scikit-learn (eps = float64 machine epsilon; a zero target dominates)', () => {
    expect(L.mape(x, y).item() / fx.regression.mapeMean).toBeCloseTo(1, 12);
  });
  it('finite-difference gradients away from kinks', () => {
    const a = tensor(
      [
        [0.3, -1.2, 2.5],
        [0.7, -0.4, 1.1],
      ],
      { dtype: 'float64' },
    );
    const b = tensor(
      [
        [0.1, 0.4, -1.5],
        [2.0, -0.9, 0.2],
      ],
      { dtype: 'float64' },
    );
    for (const fn of ['pseudoHuber', 'logCosh', 'quantile', 'mape', 'smape'])
      gradcheck((p, q) => fns[fn]!(p, q, { reduction: 'none', q: 0.3 }), [a, b], {
        argnums: fn === 'mape' ? [0] : [0, 1],
      });
  });
  it('log-cosh stays finite for huge residuals and pseudo-Huber tends to delta |r|', () => {
    const big = tensor([1e4, -1e4, 0]);
    expectClose(
      values(L.logCosh(big, tensor([0, 0, 0]), { reduction: 'none' })),
      [1e4 - Math.LN2, 1e4 - Math.LN2, 0],
      1e-7,
    );
    expect(
      L.pseudoHuber(tensor([1e6], { dtype: 'float64' }), tensor([0], { dtype: 'float64' }), { delta: 2 }).item() / 2e6,
    ).toBeCloseTo(1, 5);
  });
});

describe('probabilistic scores', () => {
  const m = fromEncoded(fx.probabilistic.mean);
  const y = fromEncoded(fx.probabilistic.target);
  const s = fromEncoded(fx.probabilistic.scale);
  it('laplaceNll matches scipy.stats.laplace.logpdf', () => {
    expectClose(
      values(L.laplaceNll(m, y, s, { reduction: 'none' })),
      values(fromEncoded(fx.probabilistic.laplaceNll)),
      1e-12,
    );
    const noConst = values(L.laplaceNll(m, y, s, { reduction: 'none', full: false }));
    expectClose(
      noConst.map((v) => v + Math.LN2),
      values(fromEncoded(fx.probabilistic.laplaceNll)),
      1e-12,
    );
  });
  it('gaussianCrps matches the CRPS integral ∫(F - 1[x >= y])² computed by quadrature', () => {
    expectClose(
      values(L.gaussianCrps(m, y, s, { reduction: 'none' })),
      values(fromEncoded(fx.probabilistic.gaussianCrps)),
      1e-9,
    );
  });
  it('gradients in mean, target and scale', () => {
    gradcheck((a, b, c) => L.laplaceNll(a, b, c, { reduction: 'none' }), [m, y, s]);
    gradcheck((a, b, c) => L.gaussianCrps(a, b, c, { reduction: 'none' }), [m, y, s]);
  });
  it('bad input', () => {
    expect(() => L.gaussianCrps(m, y, s.neg())).toThrow(/gaussianCrps: std of shape \[5\] must be non-negative/);
    expect(() => L.laplaceNll(m, y.reshape([5, 1]), s)).toThrow(DifflabError);
  });
});
