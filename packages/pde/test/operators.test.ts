import {
  Tensor,
  ShapeError,
  ValueError,
  fromTypedArray,
  grad,
  mean,
  slice,
  square,
  sum,
  tensor,
  mul,
} from '@difflab/tensor';
import { describe, expect, it } from 'vitest';
import {
  deepONet,
  fitOperator,
  fno1d,
  fno2d,
  gaussianRandomField1d,
  gaussianRandomField2d,
  relativeL2Loss,
  solveBurgers1d,
  solveHeat1d,
  solvePoisson2d,
} from '../src/index.js';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import { host } from './helpers.js';

const cosine = (lr: number, total: number) => (s: number) =>
  lr * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, s / total)));

describe('Gaussian random fields', () => {
  it('have the prescribed spectrum (mean power per mode)', () => {
    const n = 32;
    const u = host(gaussianRandomField1d(400, n, { seed: 3, dtype: 'float64', alpha: 2, tau: 5, sigma: 25 }));
    // Variance of the field = Σ_k 2λ_k for k = 1..15, λ_k = σ²(4π²k² + τ²)^(−α)... per point, averaged.
    let expected = 0;
    for (let k = 1; k <= 15; k++) expected += 625 * Math.pow(4 * Math.PI * Math.PI * k * k + 25, -2) * 2;
    const v = u.reduce((a, x) => a + x * x, 0) / u.length;
    expect(v / expected).toBeGreaterThan(0.9);
    expect(v / expected).toBeLessThan(1.1);
    const f = gaussianRandomField2d(2, 8, { seed: 1 });
    expect(f.shape).toEqual([2, 8, 8]);
    expect(Math.abs(host(f).reduce((a, b) => a + b, 0))).toBeLessThan(1e-4);
    expect(() => gaussianRandomField1d(1, 8, { tau: -1 })).toThrow(ValueError);
  });
});

describe('DeepONet', () => {
  it('learns the solution operator of the heat equation from solver data', async () => {
    const m = 32;
    const count = 160;
    const u0 = host(gaussianRandomField1d(count, m, { seed: 5, dtype: 'float64', tau: 3, alpha: 1.5, sigma: 4 }));
    const targets = new Float32Array(count * m);
    for (let s = 0; s < count; s++) {
      const sol = solveHeat1d({
        alpha: 0.01,
        domain: [0, 1],
        nx: m,
        u0: u0.subarray(s * m, (s + 1) * m),
        tEnd: 0.5,
        dt: 0.01,
        boundary: 'periodic',
      });
      targets.set(Float32Array.from(host(sol.u).subarray(m)), s * m);
    }
    const U = fromTypedArray(Float32Array.from(u0), [count, m]);
    const Y = fromTypedArray(targets, [count, m]);
    const y = fromTypedArray(
      Float32Array.from({ length: m }, (_, j) => j / m),
      [m, 1],
    );
    const net = deepONet({
      sensors: m,
      coordDim: 1,
      width: 32,
      branchHidden: [64],
      trunkHidden: [32, 32],
      key: 1,
      activation: 'gelu',
    });
    expect(net.apply(net.params, slice(U, { stop: 3 }), y).shape).toEqual([3, m]);
    const train = 130;
    const apply = (p: typeof net.params, u: Tensor) => net.apply(p, u, y);
    const { params } = await fitOperator(apply, net.params, slice(U, { stop: train }), slice(Y, { stop: train }), {
      epochs: 300,
      batchSize: 26,
      lr: cosine(1e-2, 1500),
      seed: 1,
    });
    const err = relativeL2Loss(apply(params, slice(U, { start: train })), slice(Y, { start: train })).item();
    expect(err).toBeLessThan(0.08);
    expect(() => net.apply(net.params, tensor([[1, 2]]), y)).toThrow(ShapeError);
  });
});

describe('Fourier neural operators', () => {
  it('1-D FNO learns the Burgers solution operator (nu = 0.1, T = 1) from solver data', async () => {
    const nx = 64;
    const [nTrain, nTest] = [60, 20];
    const u0 = host(gaussianRandomField1d(nTrain + nTest, nx, { seed: 1, dtype: 'float64' }));
    const X = new Float32Array((nTrain + nTest) * nx);
    const Y = new Float32Array((nTrain + nTest) * nx);
    for (let s = 0; s < nTrain + nTest; s++) {
      const init = u0.subarray(s * nx, (s + 1) * nx);
      const sol = solveBurgers1d({ nu: 0.1, domain: [0, 1], nx, u0: init, tEnd: 1 });
      X.set(init, s * nx);
      Y.set(host(sol.u).subarray(nx), s * nx);
    }
    const Xt = fromTypedArray(X, [nTrain + nTest, nx, 1]);
    const Yt = fromTypedArray(Y, [nTrain + nTest, nx, 1]);
    const model = fno1d({ inChannels: 1, modes: 12, width: 16, layers: 4, projection: 32, key: 0 });
    const { params, losses } = await fitOperator(
      model.apply,
      model.params,
      slice(Xt, { stop: nTrain }),
      slice(Yt, { stop: nTrain }),
      { epochs: 8, batchSize: 10, lr: cosine(5e-3, 48) },
    );
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    const err = relativeL2Loss(model.apply(params, slice(Xt, { start: nTrain })), slice(Yt, { start: nTrain })).item();
    expect(err).toBeLessThan(0.1);
    // Discretisation invariance: the same weights run on a finer grid.
    expect(model.apply(params, fromTypedArray(new Float32Array(128), [1, 128, 1])).shape).toEqual([1, 128, 1]);
  });

  it('2-D FNO learns the Poisson solution operator (f → u, zero Dirichlet) from the PCG solver', async () => {
    const n = 16;
    const count = 110;
    const f = host(gaussianRandomField2d(count, n, { seed: 2, dtype: 'float64', tau: 3, sigma: 200, alpha: 1.5 }));
    const U = new Float32Array(count * n * n);
    for (let s = 0; s < count; s++) {
      const rhs = f.subarray(s * n * n, (s + 1) * n * n);
      // Grid nodes (i, j) of a (n+1)-point grid excluding the last row/column carry the field.
      const sol = solvePoisson2d({
        domain: [
          [0, 0],
          [1, 1],
        ],
        nx: n + 1,
        ny: n + 1,
        f: (x, y) => rhs[Math.min(n - 1, Math.round(x * n)) * n + Math.min(n - 1, Math.round(y * n))]!,
        preconditioner: 'ic0',
      });
      const u = host(sol.u);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) U[s * n * n + i * n + j] = u[i * (n + 1) + j]!;
    }
    // Unit-variance inputs and outputs (the FNO paper's Gaussian normaliser).
    const rms = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0) / a.length);
    const [sf, su] = [rms(f), rms(U)];
    const F = fromTypedArray(
      Float32Array.from(f, (v) => v / sf),
      [count, n, n, 1],
    );
    const Ut = fromTypedArray(
      U.map((v) => v / su),
      [count, n, n, 1],
    );
    const model = fno2d({ inChannels: 1, modes: 6, width: 12, layers: 3, projection: 32, key: 1 });
    const train = 100;
    const test = (p: typeof model.params) =>
      relativeL2Loss(model.apply(p, slice(F, { start: train })), slice(Ut, { start: train })).item();
    const before = test(model.params);
    const { params } = await fitOperator(
      model.apply,
      model.params,
      slice(F, { stop: train }),
      slice(Ut, { stop: train }),
      { epochs: 6, batchSize: 5, lr: cosine(5e-3, 120) },
    );
    const err = test(params);
    expect(err).toBeLessThan(0.45);
    expect(err).toBeLessThan(0.5 * before);
  });

  it('FNO gradients pass finite-difference checks and bad input is rejected', () => {
    const m = fno1d({ inChannels: 1, modes: 3, width: 3, layers: 2, projection: 4, key: 2, dtype: 'float64' });
    const x = fromTypedArray(
      Float64Array.from({ length: 8 }, (_, i) => Math.sin(i)),
      [1, 8, 1],
      { dtype: 'float64' },
    );
    gradcheck((w) => m.apply({ ...m.params, spectral: [[w], m.params.spectral[1]!] }, x), [m.params.spectral[0]![0]!]);
    gradcheck((xx) => m.apply(m.params, xx), [x]);
    const m2 = fno2d({ inChannels: 1, modes: 2, width: 2, layers: 1, projection: 3, key: 3, dtype: 'float64' });
    const x2 = fromTypedArray(
      Float64Array.from({ length: 16 }, (_, i) => Math.cos(i)),
      [1, 4, 4, 1],
      { dtype: 'float64' },
    );
    gradcheck(
      (w) => m2.apply({ ...m2.params, spectral: [[m2.params.spectral[0]![0]!, w]] }, x2),
      [m2.params.spectral[0]![1]!],
    );
    expect(() => m.apply(m.params, tensor([[1, 2]], { dtype: 'float64' }))).toThrow(/input must be/);
    expect(() => m.apply(m.params, fromTypedArray(new Float32Array(8), [1, 8, 1]))).toThrow(
      /float32 but the weights are float64/,
    );
    expect(() => fno1d({ inChannels: 0 })).toThrow(ValueError);
    expect(() => relativeL2Loss(tensor([1]), tensor([1, 2]))).toThrow(ShapeError);
    expect(grad((p: Tensor) => sum(square(mul(p, 2))))(tensor([1]))).toBeDefined();
    expect(mean(tensor([2])).item()).toBe(2);
  });
});
