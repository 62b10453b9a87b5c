import { describe, expect, it } from 'vitest';
import {
  add,
  fromTypedArray,
  grad,
  hessian,
  hvp,
  jacobian,
  jvp,
  matmul,
  mul,
  reshape,
  sum,
  tanh,
  tensor,
  type Tensor,
} from '../src/index.js';
import { autodiffFixture } from './helpers/ops-fixture.js';

const f64 = (xs: number[] | Float64Array, shape = [xs.length]) =>
  fromTypedArray(Float64Array.from(xs), shape, { dtype: 'float64' });

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, label = ''): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    const tol = rtol * (Math.abs(expected[i]!) + 1e-3 * scale);
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol)) expect.fail(`${label}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('third and fourth derivatives of tanh', () => {
  const xs = [-1.7, -0.4, 0, 0.3, 1.1, 2.5];
  const d = (f: (x: Tensor) => Tensor) => (x: Tensor) => grad((y: Tensor) => sum(f(y)))(x) as Tensor;
  it('match the analytic formulas', () => {
    const x = f64(xs);
    const d3 = d(d(d(tanh)))(x).dataSync();
    const d4 = d(d(d(d(tanh))))(x).dataSync();
    xs.forEach((v, i) => {
      const t = Math.tanh(v);
      const s = 1 - t * t;
      // tanh''' = -2 sech^2 (1 - 3 tanh^2), tanh'''' = 8 tanh sech^2 (2 - 3 tanh^2)
      expect(d3[i]).toBeCloseTo(-2 * s * (1 - 3 * t * t), 12);
      expect(d4[i]).toBeCloseTo(8 * t * s * (2 - 3 * t * t), 12);
    });
  });
});

describe('2-layer MLP loss vs torch.autograd.functional.hessian', () => {
  const fx = autodiffFixture().mlp;
  const X = f64(fx.X, fx.Xshape);
  const Y = f64(fx.Y, fx.Yshape);
  const theta = f64(fx.theta);
  const v = f64(fx.v);
  const n = fx.theta.length as number;
  /** Unpacks the flat parameter vector with slices, in the generator's layout order. */
  const loss = (t: Tensor): Tensor => {
    let off = 0;
    const p: Record<string, Tensor> = {};
    for (const { name, shape } of fx.layout as { name: string; shape: number[] }[]) {
      const size = shape.reduce((a, b) => a * b, 1);
      p[name] = reshape(t.slice(`${off}:${off + size}`), shape);
      off += size;
    }
    const h = tanh(add(matmul(X, p.w1!), p.b1!));
    const out = add(matmul(h, p.w2!), p.b2!);
    const r = out.sub(Y);
    return sum(mul(r, r)).div(fx.Xshape[0]);
  };
  it('loss and gradient', () => {
    expect(loss(theta).item()).toBeCloseTo(fx.loss, 12);
    expectClose((grad(loss)(theta) as Tensor).dataSync(), fx.grad, 1e-10, 'grad');
  });
  it('Hessian (1e-10) and its symmetry', () => {
    const H = hessian(loss)(theta) as Tensor;
    expect(H.shape).toEqual([n, n]);
    const h = H.dataSync();
    expectClose(h, fx.hessian, 1e-10, 'hessian');
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) expect(Math.abs(h[i * n + j]! - h[j * n + i]!)).toBeLessThan(1e-12);
  });
  it('hvp matches the reference H v and hessian(f) @ v', () => {
    const hv = hvp(loss, [theta], [v]) as Tensor;
    expectClose(hv.dataSync(), fx.hvp, 1e-10, 'hvp');
    const Hv = matmul(hessian(loss)(theta) as Tensor, v);
    expectClose(hv.dataSync(), Hv.dataSync(), 1e-12, 'hvp vs H v');
  });
  it('grad of a gradient-norm penalty (grad-of-grad) matches torch create_graph=True', () => {
    const penalized = (t: Tensor) => {
      const g = grad(loss)(t) as Tensor;
      return add(loss(t), mul(sum(mul(g, g)), 0.1));
    };
    expect(penalized(theta).item()).toBeCloseTo(fx.penalty, 12);
    expectClose((grad(penalized)(theta) as Tensor).dataSync(), fx.penaltyGrad, 1e-10, 'penalty grad');
  });
});

describe('forward-mode products agree with explicit Jacobians', () => {
  const f = (x: Tensor) => {
    const a = tensor(
      [
        [0.3, -1.2, 0.5],
        [1.1, 0.4, -0.7],
      ],
      { dtype: 'float64' },
    );
    return tanh(matmul(a, x))
      .mul(x.slice('0:2'))
      .add(sum(mul(x, x)));
  };
  const x = f64([0.2, -0.5, 0.9]);
  const v = f64([1, -2, 0.5]);
  it('jvp(f, x, v) = jacobian(f)(x) @ v, and the primal output is f(x)', () => {
    const [out, tangent] = jvp(f, [x], [v]);
    expectClose((out as Tensor).dataSync(), f(x).dataSync(), 1e-15);
    const J = jacobian(f)(x) as Tensor;
    expect(J.shape).toEqual([2, 3]);
    expectClose((tangent as Tensor).dataSync(), matmul(J, v).dataSync(), 1e-12);
  });
  it('jacobian agrees with central differences', () => {
    const J = (jacobian(f)(x) as Tensor).dataSync();
    const eps = 1e-6;
    for (let j = 0; j < 3; j++) {
      const e = [0, 0, 0];
      e[j] = eps;
      const plus = f(x.add(f64(e))).dataSync();
      const minus = f(x.sub(f64(e))).dataSync();
      for (let i = 0; i < 2; i++) expect(J[i * 3 + j]).toBeCloseTo((plus[i]! - minus[i]!) / (2 * eps), 7);
    }
  });
  it('jvp nests: the derivative of a jvp is a second directional derivative', () => {
    const g = (y: Tensor) => sum(tanh(y).mul(y));
    const dir = (y: Tensor) => jvp(g, [y], [v])[1] as Tensor;
    const viaGrad = sum(mul(grad(dir)(x) as Tensor, v)).item();
    const viaHessian = sum(mul(matmul(hessian(g)(x) as Tensor, v), v)).item();
    expect(viaGrad).toBeCloseTo(viaHessian, 12);
  });
});
