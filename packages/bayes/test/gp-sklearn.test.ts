import { describe, expect, it } from 'vitest';
import { add, exp, eye, fromTypedArray, grad, mul, tensor, type Tensor } from '@difflab/tensor';
import { fitGP, gaussLogLik, type HyperTensors } from '../src/index.js';
import { THETA_MAP, THETA_MAP_COMPOSITE, fixtures, kernelFromSpec } from './helpers/fixtures.js';

const maxRelErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
};

describe('GP posterior matches scikit-learn with the same kernel and hyperparameters', () => {
  for (const c of fixtures.fixed) {
    it(`${c.name}: mean and std to 1e-8, LML to 1e-9`, () => {
      const gp = fitGP(c.X, c.y, {
        kernel: kernelFromSpec(c.kernel),
        noise: c.noise,
        fit: false,
        standardize: c.standardize,
      });
      const { mean, variance } = gp.predict(c.Xs);
      const std = Array.from(variance.dataSync(), Math.sqrt);
      expect(maxRelErr(mean.dataSync(), c.mean)).toBeLessThan(1e-8);
      expect(maxRelErr(std, c.std)).toBeLessThan(1e-8);
      if (c.cov) expect(maxRelErr(gp.covariance(c.Xs).dataSync(), c.cov.flat())).toBeLessThan(1e-8);
      // sklearn reports the LML of the normalized targets; ours is of y itself.
      const jac = c.standardize ? -c.y.length * Math.log(c.yStd) : 0;
      expect(Math.abs(gp.logMarginalLikelihood() - (c.lml + jac))).toBeLessThan(1e-9 * Math.max(1, Math.abs(c.lml)));
    });

    it(`${c.name}: LML gradient w.r.t. log-hyperparameters matches sklearn's analytic gradient`, () => {
      const kernel = kernelFromSpec(c.kernel);
      const d = c.X[0].length;
      const specs = kernel.hypers(d);
      const names = Object.keys(specs);
      const X = tensor(c.X, { dtype: 'float64' });
      const n = c.y.length;
      let y = Float64Array.from(c.y as number[]);
      if (c.standardize) y = y.map((v) => (v - c.yMean) / c.yStd);
      const yt = fromTypedArray(y, [n], { dtype: 'float64' });
      const logs = names.map((k) =>
        fromTypedArray(specs[k]!.value.map(Math.log), [specs[k]!.value.length], { dtype: 'float64' }),
      );
      const lml = (...ls: Tensor[]) => {
        const h: HyperTensors = {};
        names.forEach((k, i) => (h[k] = exp(ls[i]!)));
        return gaussLogLik(add(kernel.cov(X, X, h), mul(eye(n, n, { dtype: 'float64' }), c.noise)), yt);
      };
      expect(Math.abs(lml(...logs).item() - c.lml)).toBeLessThan(1e-9 * Math.max(1, Math.abs(c.lml)));
      const g = grad(lml, { argnums: names.map((_, i) => i) })(...logs) as Tensor[];
      const ours: number[] = [];
      const composite = THETA_MAP_COMPOSITE[c.name];
      for (const theta of c.thetaNames as string[]) {
        const [name, factor] = composite ? [composite[theta]!, 1] : THETA_MAP[theta]![0]!;
        const i = names.indexOf(name);
        expect(i).toBeGreaterThanOrEqual(0);
        for (const v of g[i]!.dataSync()) ours.push(v * factor);
      }
      expect(ours.length).toBe(c.lmlGrad.length);
      expect(maxRelErr(ours, c.lmlGrad)).toBeLessThan(1e-8);
    });
  }
});

describe("hyperparameter fit reaches scikit-learn's log marginal likelihood", () => {
  for (const c of fixtures.fitted) {
    it(`${c.name}`, () => {
      const kernel = kernelFromSpec(c.kernel);
      const gp = fitGP(c.X, c.y, {
        kernel,
        noise: { value: 1e-2, bounds: [1e-6, 1e5] },
        standardize: true,
        restarts: 4,
        seed: 1,
      });
      // Compare on sklearn's scale (LML of the standardized targets).
      const ours = gp.logMarginalLikelihood() + c.y.length * Math.log(c.yStd);
      expect(ours).toBeGreaterThanOrEqual(c.lml - 1e-3);
    });
  }
});
