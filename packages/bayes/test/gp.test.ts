import { describe, expect, it } from 'vitest';
import { DifflabError, ShapeError, ValueError, fromTypedArray, grad, sum, tensor, type Tensor } from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import { fitGP, gammaPrior, matern32, matern52, negativeMll, rbf } from '../src/index.js';
import { layoutOf } from '../src/gp/params.js';

function data(n: number, d: number, seed: number, noise = 0.05) {
  let s = seed;
  const u = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 3 * u() - 1));
  const y = X.map((x) => Math.sin(2 * x[0]!) + (d > 1 ? 0.5 * x[1]! * x[1]! : 0) + noise * (u() - 0.5) + 4);
  return { X, y };
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('fitGP', () => {
  const { X, y } = data(20, 2, 1);
  const Xs = data(6, 2, 2).X;

  it('interpolates noiseless data and recovers its training targets', () => {
    const gp = fitGP(X, y, { kernel: rbf({ ard: true }), noise: 1e-8, fit: false });
    expect(maxAbs(gp.predict(X).mean.dataSync(), y)).toBeLessThan(1e-5);
    expect(Math.max(...gp.predict(X).variance.dataSync())).toBeLessThan(1e-6);
  });

  it('accepts Tensors as well as arrays, and predictions are float64 Tensors of the right shape', () => {
    const gp = fitGP(tensor(X, { dtype: 'float64' }), tensor(y, { dtype: 'float64' }), { fit: false, noise: 0.01 });
    const p = gp.predict(tensor(Xs, { dtype: 'float32' }));
    expect(p.mean.shape).toEqual([6]);
    expect(p.mean.dtype).toBe('float64');
    const pb = gp.predict(tensor([Xs, Xs], { dtype: 'float64' }));
    expect(pb.variance.shape).toEqual([2, 6]);
    expect(maxAbs(pb.mean.dataSync().slice(0, 6), gp.predict(Xs).mean.dataSync())).toBeLessThan(1e-14);
    expect(maxAbs(p.mean.dataSync(), gp.predict(Xs).mean.dataSync())).toBeLessThan(1e-5); // float32 inputs are rounded
  });

  it('input normalization makes predictions invariant to an affine change of input units', () => {
    const scale = [100, 0.01];
    const shift = [5, -3];
    const Xt = X.map((x) => x.map((v, j) => v * scale[j]! + shift[j]!));
    const Xst = Xs.map((x) => x.map((v, j) => v * scale[j]! + shift[j]!));
    const a = fitGP(X, y, { normalizeInputs: true, restarts: 1, seed: 3 });
    const b = fitGP(Xt, y, { normalizeInputs: true, restarts: 1, seed: 3 });
    expect(maxAbs(a.predict(Xs).mean.dataSync(), b.predict(Xst).mean.dataSync())).toBeLessThan(1e-6);
    expect(Math.abs(a.logMarginalLikelihood() - b.logMarginalLikelihood())).toBeLessThan(1e-6);
  });

  it('output standardization: predictions scale with y and the LML shifts by −n log c', () => {
    const c = 250;
    const a = fitGP(X, y, { fit: false, noise: 0.01 });
    const b = fitGP(
      X,
      y.map((v) => c * v + 7),
      { fit: false, noise: 0.01 },
    );
    const ma = a.predict(Xs);
    const mb = b.predict(Xs);
    expect(
      maxAbs(
        Array.from(ma.mean.dataSync(), (v) => c * v + 7),
        mb.mean.dataSync(),
      ),
    ).toBeLessThan(1e-9 * c);
    expect(
      maxAbs(
        Array.from(ma.variance.dataSync(), (v) => c * c * v),
        mb.variance.dataSync(),
      ),
    ).toBeLessThan(1e-9 * c * c);
    expect(b.logMarginalLikelihood() - a.logMarginalLikelihood()).toBeCloseTo(-20 * Math.log(c), 8);
    expect(b.noiseVariance).toBeCloseTo(a.noiseVariance * c * c, 8);
  });

  it('fitting increases the LML over the initial hyperparameters and fixed ones stay fixed', () => {
    const init = fitGP(X, y, { fit: false });
    const fitted = fitGP(X, y, { restarts: 2 });
    expect(fitted.logMarginalLikelihood()).toBeGreaterThan(init.logMarginalLikelihood() + 1);
    const fixedVar = fitGP(X, y, { kernel: matern52({ variance: { value: 0.7, fixed: true } }), noise: 0.02 });
    expect(fixedVar.hyperparameters.variance).toEqual([0.7]);
    expect(fixedVar.hyperparameters.noise).toEqual([0.02]);
    expect(fixedVar.hyperparameters.lengthscale![0]).not.toBe(1);
  });

  it('a strong prior pulls the MAP lengthscale toward its mode', () => {
    const free = fitGP(X, y, { kernel: rbf(), restarts: 1 });
    const prior = fitGP(X, y, {
      kernel: rbf({ lengthscale: { value: 1, prior: gammaPrior(2000, 400) } }),
      restarts: 1,
    });
    expect(Math.abs(prior.hyperparameters.lengthscale![0]! - 5)).toBeLessThan(
      Math.abs(free.hyperparameters.lengthscale![0]! - 5),
    );
    expect(Math.abs(prior.hyperparameters.lengthscale![0]! - 5)).toBeLessThan(0.3);
  });

  it('learned hyperparameters respect their bounds', () => {
    const gp = fitGP(X, y, {
      kernel: rbf({ lengthscale: { value: 0.5, bounds: [0.2, 0.6] } }),
      noise: { value: 0.1, bounds: [0.05, 1] },
    });
    expect(gp.hyperparameters.lengthscale![0]).toBeGreaterThanOrEqual(0.2);
    expect(gp.hyperparameters.lengthscale![0]).toBeLessThanOrEqual(0.6);
    expect(gp.hyperparameters.noise![0]).toBeGreaterThanOrEqual(0.05);
  });

  it('the fit objective has correct gradients (finite differences through the bounded parametrization)', () => {
    const k = matern32({ ard: true });
    const specs = {
      ...k.hypers(2),
      noise: {
        value: Float64Array.of(0.03),
        bounds: [1e-6, 10] as [number, number],
        fixed: false,
        prior: gammaPrior(1.1, 0.05),
      },
    };
    const layout = layoutOf(specs);
    const f = negativeMll(k, layout, tensor(X, { dtype: 'float64' }), tensor(y, { dtype: 'float64' }).sub(4));
    gradcheck((z: Tensor) => f({ z }), [tensor([0.3, -0.2, 0.5, -1], { dtype: 'float64' })], {
      rtol: 1e-6,
      atol: 1e-9,
    });
  });

  it('duplicate inputs with conflicting targets are fine (noise absorbs them), a noiseless duplicate needs jitter', () => {
    const Xd = [...X, X[0]!, X[0]!];
    const yd = [...y, y[0]! + 0.3, y[0]! - 0.3];
    const gp = fitGP(Xd, yd, { restarts: 0 });
    expect(Number.isFinite(gp.logMarginalLikelihood())).toBe(true);
    expect(gp.hyperparameters.noise![0]).toBeGreaterThan(1e-4);
    const exact = fitGP([[0.5], [0.5], [1]], [1, 1, 2], { noise: 0, fit: false, standardize: false });
    expect(exact.jitter).toBeGreaterThan(0);
    expect(exact.predict([[0.5]]).mean.item()).toBeCloseTo(1, 5);
  });

  it('joint samples have the posterior mean and covariance; same key, same samples', () => {
    const gp = fitGP(X, y, { fit: false, noise: 0.05 });
    const pts = Xs.slice(0, 3);
    const S = gp.sample(pts, 4000, 7);
    expect(S.shape).toEqual([4000, 3]);
    const s = S.dataSync();
    const { mean, covariance } = gp.predictJoint(pts);
    const mu = mean.dataSync();
    const C = covariance.dataSync();
    for (let i = 0; i < 3; i++) {
      let m = 0;
      for (let k = 0; k < 4000; k++) m += s[k * 3 + i]!;
      m /= 4000;
      expect(Math.abs(m - mu[i]!)).toBeLessThan(5 * Math.sqrt(C[i * 3 + i]! / 4000));
      for (let j = 0; j < 3; j++) {
        let c = 0;
        for (let k = 0; k < 4000; k++) c += (s[k * 3 + i]! - mu[i]!) * (s[k * 3 + j]! - mu[j]!);
        expect(Math.abs(c / 4000 - C[i * 3 + j]!)).toBeLessThan(0.1 * Math.sqrt(C[i * 3 + i]! * C[j * 3 + j]!));
      }
    }
    expect(Array.from(gp.sample(pts, 2, 7).dataSync())).toEqual(Array.from(s.slice(0, 6)));
    const diag = gp.covariance(pts).dataSync();
    const v = gp.predict(pts).variance.dataSync();
    for (let i = 0; i < 3; i++) expect(diag[i * 3 + i]).toBeCloseTo(v[i]!, 12);
    expect(gp.predict(pts, { includeNoise: true }).variance.dataSync()[0]).toBeCloseTo(v[0]! + gp.noiseVariance, 12);
  });

  it('condition() equals refitting on the augmented data with the same hyperparameters', () => {
    const gp = fitGP(X, y, { fit: false, noise: 0.05, standardize: false });
    const extra = Xs.slice(0, 2);
    const c = gp.condition(extra, [1, 2]);
    const ref = fitGP([...X, ...extra], [...y, 1, 2], { fit: false, noise: 0.05, standardize: false });
    expect(maxAbs(c.predict(Xs).mean.dataSync(), ref.predict(Xs).mean.dataSync())).toBeLessThan(1e-10);
    expect(maxAbs(c.predict(Xs).variance.dataSync(), ref.predict(Xs).variance.dataSync())).toBeLessThan(1e-10);
  });

  it('predictions are differentiable in the inputs', () => {
    const gp = fitGP(X, y, { fit: false, noise: 0.05 });
    const x0 = tensor(Xs.slice(0, 3), { dtype: 'float64' });
    gradcheck((x: Tensor) => gp.predict(x).mean, [x0]);
    gradcheck((x: Tensor) => gp.predict(x).variance, [x0], { rtol: 1e-5, atol: 1e-9 });
    gradcheck((x: Tensor) => gp.predictJoint(x).covariance, [x0], { rtol: 1e-5, atol: 1e-9 });
    const g = grad((x: Tensor) => sum(gp.predict(x).mean))(x0) as Tensor;
    expect(g.shape).toEqual([3, 2]);
  });

  it('bad input throws DifflabErrors naming the problem', () => {
    expect(() => fitGP([], [])).toThrow(ValueError);
    expect(() => fitGP(X, y.slice(1))).toThrow(ShapeError);
    expect(() => fitGP([[1, 2], [3]], [1, 2])).toThrow(/row 1 has 1 entries, expected 2/);
    expect(() =>
      fitGP(
        X,
        y.map((v, i) => (i === 3 ? NaN : v)),
      ),
    ).toThrow(/non-finite value \(NaN\) at index 3/);
    expect(() =>
      fitGP(
        X.map((x, i) => (i === 2 ? [Infinity, 0] : x)),
        y,
      ),
    ).toThrow(/non-finite/);
    expect(() => fitGP(X, y, { noise: -1 })).toThrow(ValueError);
    expect(() => fitGP(X, y, { restarts: -1 })).toThrow(ValueError);
    expect(() => fitGP(tensor([1, 2, 3]), [1, 2, 3])).toThrow(ShapeError);
    const gp = fitGP(X, y, { fit: false });
    expect(() => gp.predict([[1, 2, 3]])).toThrow(ShapeError);
    expect(() => gp.predict(tensor([[1, 2, 3]], { dtype: 'float64' }))).toThrow(/need \[\.\.\., m, 2\]/);
    expect(() => gp.sample(Xs, 0, 1)).toThrow(DifflabError);
    expect(() => fitGP(X, y, { normalizeInputs: { lower: [0, 1], upper: [1, 1] } })).toThrow(/lower < upper/);
  });

  it('predict on a fitted GP is fast enough for acquisition optimization (n = 200)', () => {
    const big = data(200, 3, 11);
    const gp = fitGP(big.X, big.y, { fit: false, noise: 0.01 });
    const q = fromTypedArray(new Float64Array(64 * 3).fill(0.2), [64, 3], { dtype: 'float64' });
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) grad((x: Tensor) => sum(gp.predict(x).variance))(q);
    expect((performance.now() - t0) / 5).toBeLessThan(500);
  });
});
