import { describe, expect, it } from 'vitest';
import { DifflabError, add, grad, mul, softmax, sum, tensor, type Tensor } from '@difflab/tensor';
import * as L from '../src/index.js';
import { expectClose, fromEncoded, loadFixture, values } from './helpers/fixtures.js';
import { gradcheck } from './helpers/gradcheck.js';

const fx = loadFixture<Record<string, any>>('papers.json');
const S = fx.samples;
const x = fromEncoded(S.x);
const y = fromEncoded(S.y);
const u = fromEncoded(S.u);
const v = fromEncoded(S.v);

describe('discrete divergences', () => {
  const p = fromEncoded(fx.discrete.p);
  const q = fromEncoded(fx.discrete.q);
  const qpos = fromEncoded(fx.discrete.qpos);
  const V = fx.discrete.values;
  it('match scipy.stats.entropy / jensenshannon and the closed forms (zeros allowed)', () => {
    expectClose(values(L.kl(p, qpos, { reduction: 'none' })), values(fromEncoded(V['kl p,qpos'])), 1e-12);
    expectClose(values(L.kl(p, q, { reduction: 'none' })), values(fromEncoded(V['kl p,q'])), 1e-12);
    expectClose(values(L.js(p, q, { reduction: 'none' })), values(fromEncoded(V.js)), 1e-12);
    expectClose(values(L.fDivergence(p, q, { f: 'js', reduction: 'none' })), values(fromEncoded(V.js)), 1e-12);
    expectClose(
      values(L.fDivergence(p, qpos, { f: 'reverseKl', reduction: 'none' })),
      values(fromEncoded(V['reverseKl p,qpos'])),
      1e-12,
    );
    expectClose(
      values(L.fDivergence(p, q, { f: 'hellinger', reduction: 'none' })),
      values(fromEncoded(V.hellinger)),
      1e-12,
    );
    expectClose(
      values(L.fDivergence(p, q, { f: 'totalVariation', reduction: 'none' })),
      values(fromEncoded(V.totalVariation)),
      1e-12,
    );
    expectClose(
      values(L.fDivergence(p, qpos, { f: 'chiSquared', reduction: 'none' })),
      values(fromEncoded(V['chiSquared p,qpos'])),
      1e-12,
    );
    // A custom generator equal to t log t reproduces KL.
    expectClose(
      values(L.fDivergence(p.add(0.01).div(1.05), qpos, { f: (t) => mul(t, t.log()), reduction: 'none' })),
      values(L.kl(p.add(0.01).div(1.05), qpos, { reduction: 'none' })),
      1e-12,
    );
  });
  it('KL is +inf where p > 0 = q, and klDiv (PyTorch) agrees with kl on valid input', () => {
    expect(values(L.kl(q, p, { reduction: 'none' }))[0]).toBe(Infinity);
    expect(L.klDiv(qpos.log(), p, { reduction: 'batchmean' }).item()).toBeCloseTo(L.kl(p, qpos).item(), 12);
  });
  it('gradients', () => {
    // Through softmax so the finite differences stay on the simplex.
    const la = qpos.log();
    const lb = qpos.flip(1).log();
    gradcheck((a, b) => L.kl(softmax(a, 1), softmax(b, 1), { reduction: 'none' }), [la, lb]);
    gradcheck((a, b) => L.js(softmax(a, 1), softmax(b, 1), { reduction: 'none' }), [la, lb]);
    gradcheck((a, b) => L.fDivergence(softmax(a, 1), softmax(b, 1), { f: 'hellinger', reduction: 'none' }), [la, lb]);
    gradcheck((a, b) => L.fDivergence(softmax(a, 1), softmax(b, 1), { f: 'chiSquared', reduction: 'none' }), [la, lb]);
  });
  it('rejects non-probabilities', () => {
    expect(() => L.kl(p.mul(2), q)).toThrow(/kl: p of shape \[3, 5\] must sum to 1 along axis 1/);
    expect(() => L.js(p, q.neg())).toThrow(/non-negative/);
    expect(() => L.fDivergence(p, q, { f: (t) => t })).toThrow(/q \(with a custom f\).*must be positive/);
    expect(() => L.kl(p, q.slice('0:2'))).toThrow(DifflabError);
  });
});

describe('sample-based distances', () => {
  it('MMD (biased and unbiased) with a bandwidth mixture', () => {
    expect(L.mmd(x, y, { bandwidths: [0.5, 1, 3] }).item()).toBeCloseTo(S['mmd biased'], 12);
    expect(L.mmd(x, y, { bandwidths: [0.5, 1, 3], estimator: 'unbiased' }).item()).toBeCloseTo(S['mmd unbiased'], 12);
    expect(L.mmd(x, x).item()).toBeCloseTo(0, 14);
    gradcheck((a, b) => L.mmd(a, b, { bandwidths: [0.5, 1, 3], estimator: 'unbiased' }), [x, y]);
  });
  it('energy distance (1-D equals scipy squared)', () => {
    expect(L.energyDistance(x, y).item()).toBeCloseTo(S.energy, 12);
    expect(L.energyDistance(u, v).item()).toBeCloseTo(S['energy 1d scipy squared'], 12);
    gradcheck((a, b) => L.energyDistance(a, b), [x, y]);
    // Coincident points: finite zero-subgradient instead of NaN.
    const g = grad((a: Tensor) => L.energyDistance(a, y))(
      tensor(
        [
          [0, 0],
          [0, 0],
          [1, 1],
        ],
        { dtype: 'float64' },
      ),
    ) as Tensor;
    expect(values(g).every(Number.isFinite)).toBe(true);
  });
  it('1-D Wasserstein with unequal sample sizes', () => {
    expect(L.wasserstein1d(u, v).item()).toBeCloseTo(S['wasserstein1d p=1 scipy'], 12);
    expect(L.wasserstein1d(u, v, { p: 2 }).item()).toBeCloseTo(S['wasserstein1d p=2'], 12);
    expect(L.wasserstein1d(u.slice('0:5'), v, { p: 3 }).item()).toBeCloseTo(S['wasserstein1d p=3 equal sizes'], 12);
    gradcheck((a, b) => L.wasserstein1d(a, b, { p: 2 }), [u, v]);
  });
  it('sliced Wasserstein: 1-D equals wasserstein1d; a translation by t gives SW2² ≈ |t|²/d', () => {
    expect(L.slicedWasserstein(u.reshape([-1, 1]), v.reshape([-1, 1]), { p: 2, projections: 3 }).item()).toBeCloseTo(
      L.wasserstein1d(u, v, { p: 2 }).item(),
      12,
    );
    const shift = tensor([0.6, -0.8, 0.0], { dtype: 'float64' });
    const pts = tensor(
      Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(2 * i), Math.sin(3 * i + 1)]),
      { dtype: 'float64' },
    );
    const sw = L.slicedWasserstein(pts, add(pts, shift), { projections: 4000, seed: 1 }).item();
    expect(sw * sw).toBeCloseTo(1 / 3, 1);
    expect(L.slicedWasserstein(x, y, { seed: 4 }).item()).toBe(L.slicedWasserstein(x, y, { seed: 4 }).item());
    gradcheck((a, b) => L.slicedWasserstein(a, b, { projections: 5 }), [x, y]);
  });
  it('Cauchy-Schwarz divergence', () => {
    expect(L.csDivergence(x, y).item()).toBeCloseTo(S['cs sigma=1'], 12);
    expect(L.csDivergence(x, y, { sigma: 0.4 }).item()).toBeCloseTo(S['cs sigma=0.4'], 12);
    expect(L.csDivergence(x, x).item()).toBeCloseTo(0, 14);
    gradcheck((a, b) => L.csDivergence(a, b, { sigma: 0.7 }), [x, y]);
  });
});

describe('entropic OT (log-domain Sinkhorn)', () => {
  const a = fromEncoded(S.a);
  for (const eps of [0.5, 0.1]) {
    it(`eps=${eps}: value, plan and marginals match a converged NumPy Sinkhorn (dual = primal)`, () => {
      const ref = S[`ot eps=${eps}`];
      const res = L.entropicOT(x, y, { eps, a, tol: 1e-12 });
      expect(res.cost.item()).toBeCloseTo(ref.dual, 10);
      expect(ref.primal).toBeCloseTo(ref.dual, 10);
      expectClose(values(res.plan), values(fromEncoded(ref.plan)), 1e-8, 'plan');
      expectClose(values(sum(res.plan, 1)), values(a), 1e-8, 'row marginals');
      expect(L.sinkhornDivergence(x, y, { eps, a, tol: 1e-12, maxIters: 20000 }).item()).toBeCloseTo(
        S[`sinkhornDivergence eps=${eps}`],
        10,
      );
      // Default settings stop at a 1e-7 marginal error; the value is already accurate to ~1e-9.
      expect(L.sinkhornDivergence(x, y, { eps, a }).item()).toBeCloseTo(S[`sinkhornDivergence eps=${eps}`], 8);
    });
  }
  it('p = 1 ground cost', () => {
    expect(L.entropicOT(x, y, { eps: 0.2, p: 1 }).cost.item()).toBeCloseTo(S['ot p=1 eps=0.2 uniform'], 9);
  });
  it('gradients in the points and the weights agree with finite differences of the converged value', () => {
    const b = fromEncoded(S.a).slice('0:5');
    const bn = b.div(sum(b));
    gradcheck((p, q) => L.entropicOT(p, q, { eps: 0.5, tol: 1e-14 }).cost, [x, y]);
    gradcheck((p, q) => L.sinkhornDivergence(p, q, { eps: 0.5, tol: 1e-14, maxIters: 20000 }), [x, y], {
      rtol: 1e-5,
      atol: 1e-7,
    });
    // Weight gradients are defined up to a constant: compare along a tangent direction of the simplex.
    const dir = tensor([0.3, -0.1, -0.2, 0.05, -0.05], { dtype: 'float64' });
    const cost = (w: Tensor) => L.entropicOT(x, y, { eps: 0.5, b: w, tol: 1e-14 }).cost;
    const gw = grad(cost)(bn) as Tensor;
    const h = 1e-6;
    const fd = (cost(add(bn, mul(dir, h))).item() - cost(add(bn, mul(dir, -h))).item()) / (2 * h);
    expect(sum(mul(gw, dir)).item()).toBeCloseTo(fd, 6);
  });
  it('Sinkhorn divergence is 0 for equal clouds and positive otherwise; extreme points do not overflow', () => {
    expect(Math.abs(L.sinkhornDivergence(x, x, { eps: 0.3 }).item())).toBeLessThan(1e-8);
    expect(L.sinkhornDivergence(x, y, { eps: 0.05 }).item()).toBeGreaterThan(0);
    const far = L.entropicOT(x.astype('float32'), y.astype('float32').add(100), { eps: 0.01, maxIters: 50 });
    expect(Number.isFinite(far.cost.item())).toBe(true);
  });
  it('bad input', () => {
    expect(() => L.sinkhorn(tensor([[1, 2]]), tensor([1]), tensor([0.5, 0.6]))).toThrow(
      /sinkhorn: b of shape \[2\] must sum to 1/,
    );
    expect(() => L.sinkhorn(tensor([[1, 2]]), tensor([1]), tensor([1]))).toThrow(
      /cost \[n, m\] needs weights a \[n\] and b \[m\]/,
    );
    expect(() => L.entropicOT(x, y.slice(null, '0:1'))).toThrow(/same dimension/);
    expect(() => L.entropicOT(x, y, { eps: 0 })).toThrow(/eps must be a positive/);
  });
});
