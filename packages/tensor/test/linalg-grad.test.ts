import { describe, expect, it } from 'vitest';
import { add, eye, grad, hvp, linalg, matmul, mul, sum, swapAxes, tensor, type Tensor } from '../src/index.js';
import { gradcheck } from './helpers/gradcheck.js';
import { expectClose, fixtures, fromJson, randomTensor, runOp, spdMatrix } from './linalg-helpers.js';

const sym = (x: Tensor) => mul(add(x, swapAxes(x, -1, -2)), 0.5);
const mT = (x: Tensor) => swapAxes(x, -1, -2);

describe('linalg gradients vs torch autograd', () => {
  for (const c of fixtures.grad) {
    it(c.name, () => {
      const names = Object.keys(c.inputs);
      const xs = names.map((k) => fromJson(c.inputs[k]!));
      const loss = (...args: Tensor[]) => {
        const ins = Object.fromEntries(names.map((k, i) => [k, k === 'a' && c.symmetric ? sym(args[i]!) : args[i]!]));
        const outs = runOp(c.op, c.opts, ins);
        let total: Tensor | null = null;
        for (const [k, { w, kind }] of Object.entries(c.weights)) {
          const o = outs[k]!;
          const term = sum(mul(kind === 'square' ? mul(o, o) : o, fromJson(w)));
          total = total ? add(total, term) : term;
        }
        return total!;
      };
      const gs = grad(loss, { argnums: names.map((_, i) => i) })(...xs) as Tensor[];
      names.forEach((k, i) => expectClose(gs[i]!, c.grads[k]!, 1e-9, `${c.name} d/d${k}`));
    });
  }
});

describe('linalg gradients vs finite differences', () => {
  const A4 = spdMatrix(4, 3);
  const Ab = spdMatrix(3, 5, 1, [2]);
  // Non-symmetric, safely invertible.
  const wellConditioned = add(randomTensor([4, 4], 31), spdMatrix(4, 9, 2));

  it('cholesky (lower, upper, batched), through a symmetric input', () => {
    gradcheck((x) => linalg.cholesky(sym(x)), [A4]);
    gradcheck((x) => linalg.cholesky(sym(x), { upper: true }), [Ab]);
  });

  it('triangularSolve: lower/upper, left/right, unitriangular, vector and broadcast batch', () => {
    const L = add(mul(randomTensor([4, 4], 2), 0.3), spdMatrix(4, 1, 2));
    const B = randomTensor([4, 3], 3);
    for (const upper of [false, true])
      for (const unitriangular of [false, true]) {
        gradcheck((a, b) => linalg.triangularSolve(a, b, { upper, unitriangular }), [L, B]);
        gradcheck((a, b) => linalg.triangularSolve(a, b, { upper, unitriangular, left: false }), [L, mT(B)]);
      }
    gradcheck((a, b) => linalg.triangularSolve(a, b), [L, randomTensor([4], 4)]);
    gradcheck((a, b) => linalg.triangularSolve(a, b, { upper: true }), [L, randomTensor([2, 4, 2], 5)]);
  });

  it('solve: matrix, vector, right-hand, broadcast batch', () => {
    gradcheck((a, b) => linalg.solve(a, b), [wellConditioned, randomTensor([4, 2], 6)]);
    gradcheck((a, b) => linalg.solve(a, b), [wellConditioned, randomTensor([4], 7)]);
    gradcheck((a, b) => linalg.solve(a, b, { left: false }), [wellConditioned, randomTensor([3, 4], 8)]);
    gradcheck((a, b) => linalg.solve(a, b), [Ab, randomTensor([4, 2, 3, 1], 9)]);
  });

  it('inv, det and slogdet', () => {
    gradcheck((a) => linalg.inv(a), [wellConditioned]);
    gradcheck((a) => linalg.det(a), [wellConditioned]);
    gradcheck((a) => linalg.det(a), [randomTensor([2, 3, 3], 12)]);
    gradcheck((a) => linalg.slogdet(a).logabsdet, [randomTensor([2, 3, 3], 13)]);
  });

  it('eigh: eigenvalues, projector-type and squared eigenvector losses (batched)', () => {
    const S = sym(randomTensor([2, 4, 4], 14));
    const c = randomTensor([4], 15);
    gradcheck((x) => linalg.eigh(sym(x)).eigenvalues, [S]);
    gradcheck(
      (x) => {
        const V = linalg.eigh(sym(x)).eigenvectors;
        return add(mul(V, V), matmul(mul(V, c), mT(V)));
      },
      [S],
    );
    gradcheck((x) => linalg.eigh(sym(x), { upper: true }).eigenvalues, [S]);
  });

  it('svd: singular values and sign-invariant singular-vector losses (tall, wide, batched)', () => {
    for (const shape of [
      [5, 3],
      [3, 5],
      [2, 4, 4],
    ]) {
      const A = randomTensor(shape, 16 + shape[0]!);
      const k = Math.min(shape[shape.length - 1]!, shape[shape.length - 2]!);
      const c = randomTensor([k], 17);
      gradcheck((x) => linalg.svd(x).S, [A]);
      gradcheck(
        (x) => {
          const { U, Vh } = linalg.svd(x);
          return add(sum(mul(U, U)), sum(mul(Vh, mul(Vh, 2)))).add(
            sum(mul(matmul(mul(U, c), Vh), matmul(mul(U, c), Vh))),
          );
        },
        [A],
      );
      gradcheck(
        (x) => {
          const { U, Vh } = linalg.svd(x);
          return add(
            sum(mul(mul(U, U), randomTensor(U.shape as number[], 18))),
            sum(mul(mul(Vh, Vh), randomTensor(Vh.shape as number[], 19))),
          );
        },
        [A],
      );
    }
  });

  it('svd with fullMatrices: gradient of the thin part', () => {
    gradcheck(
      (x) => {
        const { U, S, Vh } = linalg.svd(x, { fullMatrices: true });
        return add(sum(mul(U.slice(':', ':3'), U.slice(':', ':3'))), sum(S)).add(sum(mul(Vh, Vh)));
      },
      [randomTensor([5, 3], 40)],
    );
  });

  it('qr: Q and R for tall, square, wide and batched inputs', () => {
    for (const shape of [
      [5, 3],
      [4, 4],
      [3, 5],
      [2, 4, 3],
    ]) {
      const A = randomTensor(shape, 20 + shape.length + shape[0]!);
      gradcheck((x) => linalg.qr(x).Q, [A]);
      gradcheck((x) => linalg.qr(x).R, [A]);
    }
  });

  it('lstsq: tall, wide, square, vector right-hand side, batch', () => {
    gradcheck((a, b) => linalg.lstsq(a, b), [randomTensor([6, 3], 25), randomTensor([6, 2], 26)]);
    gradcheck((a, b) => linalg.lstsq(a, b), [randomTensor([2, 5], 27), randomTensor([2, 3], 28)]);
    gradcheck((a, b) => linalg.lstsq(a, b), [wellConditioned, randomTensor([4], 29)]);
    gradcheck((a, b) => linalg.lstsq(a, b), [randomTensor([2, 5, 3], 30), randomTensor([2, 5, 1], 31)]);
  });

  it('float32 inputs give float32 gradients that agree with float64 to float32 precision', () => {
    const A = spdMatrix(5, 60);
    const B = randomTensor([5, 2], 61);
    const losses: ((a: Tensor, b: Tensor) => Tensor)[] = [
      (a) => sum(mul(linalg.cholesky(sym(a)), B.astype(a.dtype).sum())),
      (a) => sum(mul(linalg.eigh(sym(a)).eigenvalues, linalg.eigh(sym(a)).eigenvalues)),
      (a) => sum(linalg.svd(a).S),
      (a, b) => sum(mul(linalg.solve(a, b), linalg.solve(a, b))),
      (a, b) => sum(linalg.lstsq(a, b)),
      (a) => linalg.slogdet(a).logabsdet,
      (a) => sum(mul(linalg.qr(a).R, linalg.qr(a).R)),
    ];
    for (const f of losses) {
      const g64 = grad(f)(A, B) as Tensor;
      const g32 = grad(f)(A.astype('float32'), B.astype('float32')) as Tensor;
      expect(g32.dtype).toBe('float32');
      expectClose(g32.astype('float64'), g64, 2e-5);
    }
  });

  it('repeated eigenvalues / singular values: finite, exact gradients for basis-invariant losses', () => {
    // Q diag(2, 2, 5) Qᵀ and Q diag(3, 3, 1) Pᵀ with orthogonal Q, P from QR of fixed matrices.
    const Q = linalg.qr(randomTensor([3, 3], 70)).Q;
    const P = linalg.qr(randomTensor([3, 3], 71)).Q;
    const S = matmul(mul(Q, tensor([2, 2, 5], { dtype: 'float64' })), mT(Q));
    const A = matmul(mul(Q, tensor([3, 3, 1], { dtype: 'float64' })), mT(P));
    const W = randomTensor([3, 3], 72);
    // Projector onto the repeated eigenspace (eigenvalue 2 = the two smallest).
    const eigProjector = (x: Tensor) => {
      const V2 = linalg.eigh(sym(x)).eigenvectors.slice(':', ':2');
      return matmul(V2, mT(V2));
    };
    gradcheck(eigProjector, [S], { rtol: 1e-5, atol: 1e-6 });
    // A weighted sum of sorted eigenvalues is not differentiable where two of them cross, but
    // symmetric functions of the spectrum are.
    gradcheck((x) => sum(linalg.eigh(sym(x)).eigenvalues.square()), [S]);
    // Projector onto the repeated left singular subspace, and the nuclear norm.
    const svdProjector = (x: Tensor) => {
      const U2 = linalg.svd(x).U.slice(':', ':2');
      return matmul(U2, mT(U2));
    };
    gradcheck(svdProjector, [A], { rtol: 1e-5, atol: 1e-6 });
    const gNuclear = grad((x: Tensor) => sum(linalg.svd(x).S))(A) as Tensor;
    expectClose(gNuclear, matmul(Q, mT(P)), 1e-12, 'd nuclear norm');
    const g = grad((x: Tensor) => sum(mul(eigProjector(x), W)))(S) as Tensor;
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    // Exactly equal singular values (2·I): the gradient of sum(S) is U Vh = I.
    expectClose(
      grad((x: Tensor) => sum(linalg.svd(x).S))(eye(3, 3, { dtype: 'float64' }).mul(2)) as Tensor,
      eye(3, 3, { dtype: 'float64' }),
      1e-15,
    );
  });

  it('diagonal', () => {
    gradcheck((x) => linalg.diagonal(x), [randomTensor([2, 3, 4], 32)]);
  });
});

/**
 * Second order: Hessian-vector products (reverse-over-reverse through the VJP rules) against
 * central differences of the gradient.
 */
function hesscheck(f: (x: Tensor) => Tensor, x: Tensor, tol = 1e-6): void {
  const v = randomTensor(x.shape as number[], 99);
  const hv = hvp(f, [x], [v]) as Tensor;
  const h = 1e-5;
  const g = grad(f);
  const gp = (g(add(x, mul(v, h))) as Tensor).dataSync();
  const gm = (g(add(x, mul(v, -h))) as Tensor).dataSync();
  const a = hv.dataSync();
  for (let i = 0; i < a.length; i++) {
    const fd = (gp[i]! - gm[i]!) / (2 * h);
    if (!(Math.abs(a[i]! - fd) <= tol * (1 + Math.abs(fd))))
      expect.fail(`hesscheck[${i}]: hvp ${a[i]} vs finite differences ${fd}`);
  }
}

describe('linalg second-order derivatives (hvp vs finite differences of grad)', () => {
  const W = randomTensor([4, 4], 50);
  const A = add(spdMatrix(4, 51), mul(randomTensor([4, 4], 52), 0.2));
  const B = randomTensor([4, 2], 53);
  it('cholesky', () => hesscheck((x) => sum(mul(linalg.cholesky(sym(x)), W)), spdMatrix(4, 54)));
  it('slogdet', () => hesscheck((x) => linalg.slogdet(x).logabsdet, A));
  it('det', () => hesscheck((x) => linalg.det(x), A));
  it('triangularSolve', () =>
    hesscheck((x) => sum(mul(linalg.triangularSolve(x, B), linalg.triangularSolve(x, B))), A));
  it('solve', () => hesscheck((x) => sum(mul(linalg.solve(x, B), linalg.solve(x, B))), A));
  it('inv', () => hesscheck((x) => sum(mul(linalg.inv(x), W)), A));
  it('eigh', () =>
    hesscheck((x) => {
      const { eigenvalues, eigenvectors } = linalg.eigh(sym(x));
      return add(sum(mul(eigenvalues, eigenvalues)), sum(mul(mul(eigenvectors, eigenvectors), W)));
    }, A));
  it('svd', () =>
    hesscheck((x) => {
      const { U, S, Vh } = linalg.svd(x);
      return add(sum(mul(S, S.exp())), sum(mul(mul(U, U), W))).add(sum(mul(mul(Vh, Vh), W)));
    }, A));
  it('qr', () =>
    hesscheck((x) => {
      const { Q, R } = linalg.qr(x);
      return add(sum(mul(Q, W)), sum(mul(mul(R, R), W)));
    }, A));
  it('lstsq', () =>
    hesscheck((x) => sum(mul(linalg.lstsq(x.slice(':', ':3'), B), linalg.lstsq(x.slice(':', ':3'), B))), A));
});
