import { describe, expect, it } from 'vitest';
import { tensor, grad, valueAndGrad, jvp, hessian, hvp, jacobian, matmul, softmax, tanh, sum, mul, zeros, vjp, customGrad } from '../src/index.js';

describe('smoke', () => {
  it('basic ops', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([10, 20]);
    expect(a.add(b).toArray()).toEqual([[11, 22], [13, 24]]);
    expect(matmul(a, a).toArray()).toEqual([[7, 10], [15, 22]]);
    expect(a.sum(0).toArray()).toEqual([4, 6]);
    expect(a.T.toArray()).toEqual([[1, 3], [2, 4]]);
    expect(a.slice(':', 1).toArray()).toEqual([2, 4]);
    expect(softmax(tensor([0, 0])).toArray()).toEqual([0.5, 0.5]);
  });
  it('grads', () => {
    const f = (x: any) => x.mul(x).sum();
    expect(grad(f)(tensor([1, 2, 3])).toArray()).toEqual([2, 4, 6]);
    const t3 = (x: any) => tanh(x).sum();
    const d3 = grad((x: any) => grad((y: any) => grad(t3)(y).sum())(x).sum());
    const x = tensor([0.5], { dtype: 'float64' });
    const th = Math.tanh(0.5);
    // d3/dx3 tanh = -2 sech^2 (1 - 3 tanh^2)... = 6 tanh^2 sech^2 - 2 sech^2
    const s2 = 1 - th * th;
    expect(d3(x).toArray()[0]).toBeCloseTo(6 * th * th * s2 - 2 * s2, 10);
    const h = hessian((x: any) => x.mul(x).mul(x).sum())(tensor([1, 2], { dtype: 'float64' }));
    expect(h.toArray()).toEqual([[6, 0], [0, 12]]);
    const [out, t] = jvp((x: any) => x.mul(x), [tensor([1, 2, 3])], [tensor([1, 1, 1])]);
    expect(t.toArray()).toEqual([2, 4, 6]);
    expect(out.toArray()).toEqual([1, 4, 9]);
    expect(hvp((x: any) => x.mul(x).mul(x).sum(), [tensor([1, 2])], [tensor([1, 0])]).toArray()).toEqual([6, 0]);
    expect(jacobian((x: any) => x.mul(2))(tensor([1, 2])).toArray()).toEqual([[2, 0], [0, 2]]);
    const [v, g] = valueAndGrad((p: any) => sum(mul(p.w, p.b)))({ w: tensor([1, 2]), b: tensor([3, 4]) });
    expect((v as any).item()).toBe(11);
    expect((g as any).w.toArray()).toEqual([3, 4]);
    const [o2, pb] = vjp((x: any) => x.mul(3), tensor([1, 2]));
    expect(pb(tensor([1, 1]))[0].toArray()).toEqual([3, 3]);
    void o2; void zeros;
    const clip = customGrad((x: any) => x.mul(1), (g: any) => [g.clamp(-1, 1)]);
    expect(grad((x: any) => clip(x).mul(5).sum())(tensor([1])).toArray()).toEqual([1]);
  });
});
