import {
  Tensor,
  ValueError,
  add,
  exp,
  mean,
  mul,
  random,
  sin,
  slice,
  square,
  stack,
  tensor,
  valueAndGrad,
} from '@difflab/tensor';
import { describe, expect, it } from 'vitest';
import {
  AutodiffDerivatives,
  Jet,
  divergence,
  fieldDerivatives,
  gradient,
  hessian,
  laplacian,
  partial,
  pinnMlp,
} from '../src/index.js';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import { host, maxAbsDiff } from './helpers.js';

const pts = (n: number, d: number, seed = 0) =>
  random.uniform(random.key(seed), [n, d], { dtype: 'float64', minval: -1, maxval: 1 } as never);
const col = (x: Tensor, i: number) => slice(x, null, { start: i, stop: i + 1 });

describe('derivative helpers', () => {
  // f(x, y) = sin(x) e^y + x² y
  const f = (x: Tensor) => add(mul(sin(col(x, 0)), exp(col(x, 1))), mul(square(col(x, 0)), col(x, 1)));
  const x = pts(7, 2);
  const [a, b] = [host(slice(x, null, 0)), host(slice(x, null, 1))];

  it('gradient, Laplacian, Hessian and mixed partials match the analytic values', () => {
    const g = host(gradient(f, x));
    a.forEach((xi, n) => {
      expect(g[2 * n]).toBeCloseTo(Math.cos(xi) * Math.exp(b[n]!) + 2 * xi * b[n]!, 12);
      expect(g[2 * n + 1]).toBeCloseTo(Math.sin(xi) * Math.exp(b[n]!) + xi * xi, 12);
    });
    const lap = host(laplacian(f, x));
    a.forEach((xi, n) =>
      expect(lap[n]).toBeCloseTo(-Math.sin(xi) * Math.exp(b[n]!) + 2 * b[n]! + Math.sin(xi) * Math.exp(b[n]!), 12),
    );
    const H = host(hessian(f, x));
    a.forEach((xi, n) => expect(H[4 * n + 1]).toBeCloseTo(Math.cos(xi) * Math.exp(b[n]!) + 2 * xi, 12));
    const dxxy = host(partial(f, x, [0, 0, 1]));
    a.forEach((xi, n) => expect(dxxy[n]).toBeCloseTo(-Math.sin(xi) * Math.exp(b[n]!) + 2, 12));
    const F = (p: Tensor) => stack([slice(mul(square(p), 1), null, 0), slice(mul(p, p), null, 1)], 1).mul(col(p, 0));
    // F = (x³, x y²): div = 3x² + 2xy.
    const div = host(divergence(F, x));
    a.forEach((xi, n) => expect(div[n]).toBeCloseTo(3 * xi * xi + 2 * xi * b[n]!, 12));
    expect(() => divergence(f, x)).toThrow(/2 components/);
    expect(() => partial(f, x, [2])).toThrow(ValueError);
  });

  it('Taylor-mode jets of an MLP match nested reverse mode (values, first and second partials)', () => {
    const net = pinnMlp([3, 8, 8, 2], {
      dtype: 'float64',
      key: 4,
      activation: 'tanh',
      inputBounds: [
        [-1, -1, 0],
        [1, 1, 2],
      ],
    });
    const xx = pts(5, 3, 1);
    const pairs = [
      [0, 0],
      [1, 2],
      [2, 2],
      [0, 1],
    ] as const;
    const J = fieldDerivatives(
      xx,
      (p) => net.apply(net.params, p),
      (j) => net.jet!(net.params, j),
      pairs,
    );
    const A = new AutodiffDerivatives(xx, (p) => net.apply(net.params, p));
    expect(maxAbsDiff(host(J.u), host(A.u))).toBeLessThan(1e-13);
    for (const c of [0, 1]) {
      for (let i = 0; i < 3; i++) expect(maxAbsDiff(host(J.d(i, c)), host(A.d(i, c)))).toBeLessThan(1e-12);
      for (const [i, j] of pairs) expect(maxAbsDiff(host(J.d2(j, i, c)), host(A.d2(i, j, c)))).toBeLessThan(1e-12);
      expect(maxAbsDiff(host(J.gradient(c)), host(A.gradient(c)))).toBeLessThan(1e-12);
    }
    expect(() => J.d2(0, 2)).toThrow(/not requested/);
    expect(() => J.d(3)).toThrow(/out of range/);
    expect(() => A.value(2)).toThrow(/component 2/);
    for (const act of ['sin', 'cos', 'sigmoid', 'softplus'] as const) {
      const m = pinnMlp([2, 6, 1], { dtype: 'float64', key: 1, activation: act });
      const y = pts(4, 2, 2);
      const Jd = fieldDerivatives(
        y,
        (p) => m.apply(m.params, p),
        (j) => m.jet!(m.params, j),
        [
          [0, 0],
          [0, 1],
          [1, 1],
        ],
      );
      const Ad = new AutodiffDerivatives(y, (p) => m.apply(m.params, p));
      expect(maxAbsDiff(host(Jd.laplacian()), host(Ad.laplacian()))).toBeLessThan(1e-12);
      expect(maxAbsDiff(host(Jd.d2(0, 1)), host(Ad.d2(0, 1)))).toBeLessThan(1e-12);
    }
  });

  it('jet arithmetic follows the product and chain rules', () => {
    const y = pts(6, 2, 3);
    const X = Jet.input(y, [
      [0, 0],
      [0, 1],
      [1, 1],
    ]);
    const u = X.columns(0);
    const v = X.columns(1);
    // w = sin(x) · y² + exp(x) − 3 : compare with autodiff of the same expression.
    const w = u.sin().mul(v.square()).add(u.exp()).sub(3);
    const fn = (p: Tensor) => add(mul(sin(col(p, 0)), square(col(p, 1))), exp(col(p, 0))).sub(3);
    const A = new AutodiffDerivatives(y, fn);
    expect(maxAbsDiff(host(w.value), host(A.u))).toBeLessThan(1e-14);
    for (const [i, j] of [
      [0, 0],
      [0, 1],
      [1, 1],
    ] as const)
      expect(maxAbsDiff(host(w.dd(i, j)), host(A.d2(i, j)))).toBeLessThan(1e-13);
    const c = Jet.concat([u.cos(), v.sigmoid().neg(), u.mul(2)]);
    expect(c.width).toBe(3);
    expect(maxAbsDiff(host(slice(c.d(0), null, 2)), new Array(6).fill(2))).toBe(0);
    expect(() => Jet.input(tensor([1, 2]))).toThrow(/\[N, d\]/);
    expect(() => Jet.input(y, [[0, 2]])).toThrow(/out of range/);
    expect(() =>
      Jet.input(y, [
        [0, 1],
        [1, 0],
      ]),
    ).toThrow(/twice/);
    expect(() => u.add(Jet.input(pts(3, 2)).columns(0))).toThrow(/differ|points/);
  });

  it('parameter gradients through jets pass finite-difference checks (float64)', () => {
    const net = pinnMlp([2, 5, 1], { dtype: 'float64', key: 2 });
    const y = pts(4, 2, 5);
    const residual = (w0: Tensor, b0: Tensor, w1: Tensor) => {
      const p = [
        { w: w0, b: b0 },
        { w: w1, b: net.params[1]!.b },
      ];
      const J = net.jet!(p, Jet.input(y, [[0, 0]]));
      return add(J.d(1), mul(J.value, J.d(0))).sub(mul(J.dd(0, 0), 0.1));
    };
    gradcheck(residual, [net.params[0]!.w, net.params[0]!.b, net.params[1]!.w]);
    // Reverse-mode derivatives are differentiable with respect to the weights too.
    const viaAutodiff = (w0: Tensor) => {
      const p = [{ w: w0, b: net.params[0]!.b }, net.params[1]!];
      return laplacian((q) => net.apply(p, q), y);
    };
    gradcheck(viaAutodiff, [net.params[0]!.w]);
    const [, g] = valueAndGrad((p: typeof net.params) => mean(square(net.jet!(p, Jet.input(y, [[0, 0]])).dd(0, 0))))(
      net.params,
    );
    expect((g as typeof net.params)[0]!.w.shape).toEqual([5, 2]);
  });
});
