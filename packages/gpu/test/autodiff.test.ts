import { beforeAll, describe, it } from 'vitest';
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
  vjp,
  type Tensor,
} from '@difflab/tensor';
import { autodiffFixture } from '../../tensor/test/helpers/ops-fixture.js';
import { sameOnBothDevices } from './helpers/compare.js';
import { gpu } from './helpers/setup.js';

beforeAll(gpu);

const f32 = (xs: number[], shape: number[], device: string) =>
  fromTypedArray(Float32Array.from(xs), shape, { dtype: 'float32', device });

describe('autodiff transforms on webgpu match the CPU (float32)', () => {
  const fx = autodiffFixture().mlp;
  /** The tensor package's 2-layer MLP objective, parameters unpacked from one flat vector. */
  const lossOn = (device: string) => {
    const X = f32(fx.X, fx.Xshape, device);
    const Y = f32(fx.Y, fx.Yshape, device);
    return (t: Tensor): Tensor => {
      let off = 0;
      const p: Record<string, Tensor> = {};
      for (const { name, shape } of fx.layout as { name: string; shape: number[] }[]) {
        const size = shape.reduce((a: number, b: number) => a * b, 1);
        p[name] = reshape(t.slice(`${off}:${off + size}`), shape);
        off += size;
      }
      const h = tanh(add(matmul(X, p.w1!), p.b1!));
      const r = add(matmul(h, p.w2!), p.b2!).sub(Y);
      return sum(mul(r, r)).div(fx.Xshape[0]);
    };
  };
  const theta = (device: string) => f32(fx.theta, [fx.theta.length], device);
  const v = (device: string) => f32(fx.v, [fx.v.length], device);

  it('loss and gradient', () =>
    sameOnBothDevices((d) => {
      const loss = lossOn(d);
      return [loss(theta(d)), grad(loss)(theta(d)) as Tensor];
    }));
  it('Hessian (grad of grad over every parameter)', () =>
    sameOnBothDevices((d) => [hessian(lossOn(d))(theta(d)) as Tensor], 1e-5, 1e-1));
  it('Hessian-vector product', () => sameOnBothDevices((d) => [hvp(lossOn(d), [theta(d)], [v(d)]) as Tensor]));
  it('gradient of a gradient-norm penalty', () =>
    sameOnBothDevices((d) => {
      const loss = lossOn(d);
      const penalized = (t: Tensor) => {
        const g = grad(loss)(t) as Tensor;
        return add(loss(t), mul(sum(mul(g, g)), 0.1));
      };
      return [penalized(theta(d)), grad(penalized)(theta(d)) as Tensor];
    }));
  it('jvp, vjp and jacobian of a vector function', () =>
    sameOnBothDevices((d) => {
      const a = f32([0.3, -1.2, 0.5, 1.1, 0.4, -0.7], [2, 3], d);
      const f = (x: Tensor) =>
        tanh(matmul(a, x))
          .mul(x.slice('0:2'))
          .add(sum(mul(x, x)));
      const x = f32([0.2, -0.5, 0.9], [3], d);
      const [out, tangent] = jvp(f, [x], [f32([1, -2, 0.5], [3], d)]) as Tensor[];
      const [, pull] = vjp(f, x);
      return [out!, tangent!, pull(f32([0.7, -0.1], [2], d))[0] as Tensor, jacobian(f)(x) as Tensor];
    }));
  it('fourth derivative of tanh', () =>
    sameOnBothDevices(
      (d) => {
        const dd = (f: (x: Tensor) => Tensor) => (x: Tensor) => grad((y: Tensor) => sum(f(y)))(x) as Tensor;
        return [dd(dd(dd(dd(tanh))))(f32([-1.7, -0.4, 0, 0.3, 1.1, 2.5], [6], d))];
      },
      1e-5,
      1e-1,
    ));
});
