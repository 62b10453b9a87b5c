import { describe, expect, it } from 'vitest';
import {
  add,
  exp,
  eye,
  grad,
  hessian,
  linalg,
  log,
  mul,
  sub,
  sum,
  swapAxes,
  tensor,
  valueAndGrad,
  type Tensor,
} from '../src/index.js';
import { expectClose, fixtures, randomTensor, spdMatrix } from './linalg-helpers.js';

const gp = fixtures.gp;
const n = gp.x.length;
const X = tensor(gp.x, { dtype: 'float64' });
const Y = tensor(gp.y, { dtype: 'float64' });
const HALF_LOG_2PI = 0.5 * n * Math.log(2 * Math.PI);

function kernelMatrix(theta: Tensor): Tensor {
  const ell = exp(theta.slice(0));
  const variance = exp(theta.slice(1));
  const diff = sub(X.reshape([n, 1]), X.reshape([1, n]));
  const k = mul(variance, exp(mul(mul(diff, diff), mul(-0.5, exp(mul(log(ell), -2))))));
  return add(k, eye(n, n, { dtype: 'float64' }).mul(gp.noise));
}

/** GP negative log marginal likelihood through cholesky + triangularSolve + log diag L. */
function nllCholesky(theta: Tensor): Tensor {
  const L = linalg.cholesky(kernelMatrix(theta));
  const alpha = linalg.triangularSolve(L, Y);
  return add(add(mul(sum(mul(alpha, alpha)), 0.5), sum(log(linalg.diagonal(L)))), HALF_LOG_2PI);
}

/** The same quantity through solve + slogdet. */
function nllSlogdet(theta: Tensor): Tensor {
  const K = kernelMatrix(theta);
  const quad = sum(mul(Y, linalg.solve(K, Y)));
  return add(add(mul(quad, 0.5), mul(linalg.slogdet(K).logabsdet, 0.5)), HALF_LOG_2PI);
}

describe('GP marginal likelihood (float64, first and second order)', () => {
  const theta = tensor(gp.theta, { dtype: 'float64' });

  for (const [name, f] of [
    ['cholesky', nllCholesky],
    ['slogdet', nllSlogdet],
  ] as const) {
    it(`${name}: value, gradient and Hessian match torch autograd`, () => {
      const [v, g] = valueAndGrad(f)(theta) as [Tensor, Tensor];
      expect(Math.abs(v.item() - gp.nll)).toBeLessThan(1e-10);
      expectClose(g, gp.grad, 1e-9, 'grad');
      expectClose(hessian(f)(theta) as Tensor, gp.hessian, 1e-8, 'hessian');
    });

    it(`${name}: grad-of-grad w.r.t. the lengthscale matches finite differences of the gradient`, () => {
      const logVar = theta.slice('1:');
      const ofEll = (le: Tensor) =>
        f(add(mul(le, tensor([1, 0], { dtype: 'float64' })), mul(logVar, tensor([0, 1], { dtype: 'float64' }))));
      const d1 = grad((le: Tensor) => ofEll(le));
      const d2 = grad((le: Tensor) => d1(le) as Tensor);
      const le = theta.slice('0:1').reshape([]);
      const h = 1e-5;
      const fd = ((d1(le.add(h)) as Tensor).item() - (d1(le.sub(h)) as Tensor).item()) / (2 * h);
      const exact = (d2(le) as Tensor).item();
      expect(Math.abs(exact - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
      expect(Math.abs(exact - gp.hessian[0]![0]!)).toBeLessThan(1e-8);
    });
  }
});

describe('linalg performance (float64 host kernels)', () => {
  it('n = 500: Cholesky well under a second; GP-style gradient through it in a few seconds', () => {
    const A = spdMatrix(500, 77, 1);
    let t0 = performance.now();
    const L = linalg.cholesky(A);
    const tChol = performance.now() - t0;
    const r = sub(A, L.matmul(swapAxes(L, 0, 1)))
      .abs()
      .max()
      .item();
    expect(r).toBeLessThan(1e-10);
    expect(tChol).toBeLessThan(1000);
    const y = randomTensor([500], 78);
    t0 = performance.now();
    const g = grad((a: Tensor) => {
      const Lf = linalg.cholesky(a);
      const alpha = linalg.triangularSolve(Lf, y);
      return add(mul(sum(mul(alpha, alpha)), 0.5), sum(log(linalg.diagonal(Lf))));
    })(A) as Tensor;
    const tGrad = performance.now() - t0;
    expect(g.shape).toEqual([500, 500]);
    // d/dA [½ yᵀA⁻¹y + ½ log det A] = ½ (A⁻¹ − A⁻¹yyᵀA⁻¹) (symmetric); spot-check one entry.
    const ai = linalg.solve(A, y);
    const Ainv = linalg.inv(A);
    const expected = 0.5 * (Ainv.dataSync()[3 * 500 + 7]! - ai.dataSync()[3]! * ai.dataSync()[7]!);
    expect(Math.abs(g.dataSync()[3 * 500 + 7]! - expected)).toBeLessThan(1e-10);
    expect(tGrad).toBeLessThan(10000);
    console.log(`cholesky n=500: ${tChol.toFixed(1)} ms; GP gradient (cholesky + solve + VJP): ${tGrad.toFixed(0)} ms`);
  });
});
