import { describe, expect, it } from 'vitest';
import {
  GradError,
  add,
  customGrad,
  exp,
  fromTypedArray,
  grad,
  hessian,
  hvp,
  jacobian,
  log1p,
  matmul,
  mul,
  sigmoid,
  sin,
  stopGradient,
  sum,
  tanh,
  tree,
  valueAndGrad,
  vjp,
  zeros,
  type Tensor,
} from '../src/index.js';

const f64 = (xs: number[], shape = [xs.length]) => fromTypedArray(Float64Array.from(xs), shape, { dtype: 'float64' });
const arr = (t: unknown) => (t as Tensor).toArray();

describe('perturbation confusion (nested derivatives keep their variables apart)', () => {
  it('d/dx [x * d/dy (x * y)] = 2x', () => {
    const outer = (x: Tensor) => mul(x, grad((y: Tensor) => sum(mul(x, y)))(f64([3])) as Tensor).sum();
    expect(arr(grad(outer)(f64([1.5])))).toEqual([3]);
    expect(arr(grad(outer)(f64([-4])))).toEqual([-8]);
  });
  it('Siskind-Pearlmutter: d/dx [x * d/dy (x + y) at y=1] at x=1 is 1, not 2', () => {
    const outer = (x: Tensor) => mul(x, grad((y: Tensor) => sum(add(x, y)))(f64([1])) as Tensor).sum();
    expect(arr(grad(outer)(f64([1])))).toEqual([1]);
  });
  it('an inner gradient that closes over the outer variable through a nonlinearity', () => {
    // f(x) = d/dy sin(x y) at y = 2 = x cos(2x); f'(x) = cos(2x) - 2x sin(2x).
    const f = (x: Tensor) => (grad((y: Tensor) => sum(sin(mul(x, y))))(f64([2])) as Tensor).sum();
    const x = 0.7;
    expect((grad(f)(f64([x])) as Tensor).item()).toBeCloseTo(Math.cos(2 * x) - 2 * x * Math.sin(2 * x), 14);
  });
  it('the same tensor passed as two arguments gets one gradient per argument', () => {
    const x = f64([2]);
    const [ga, gb] = grad((a: Tensor, b: Tensor) => sum(mul(mul(a, a), b)), { argnums: [0, 1] })(x, x) as Tensor[];
    expect(arr(ga)).toEqual([8]);
    expect(arr(gb)).toEqual([4]);
  });
});

describe('vjp / grad over pytrees', () => {
  it('vjp with a pytree output returns cotangents shaped like each primal', () => {
    const f = (p: { w: Tensor; b: Tensor }, x: Tensor) => ({ y: matmul(p.w, x).add(p.b), aux: [mul(x, x), sum(p.b)] });
    const p = { w: f64([1, 2, 3, 4], [2, 2]), b: f64([0.5, -0.5]) };
    const x = f64([1, -1]);
    const [out, pullback] = vjp(f, p, x);
    expect(arr(out.y)).toEqual([-0.5, -1.5]);
    const [gp, gx] = pullback({ y: f64([1, 0]), aux: [f64([1, 1]), f64([2], [])] });
    expect(arr(gp.w)).toEqual([
      [1, -1],
      [0, 0],
    ]);
    expect(arr(gp.b)).toEqual([3, 2]);
    // d/dx of y[0] = w[0]·x plus sum(x^2): w[0] + 2x
    expect(arr(gx)).toEqual([1 + 2, 2 - 2]);
  });
  it('vjp checks the cotangent structure and shapes', () => {
    const [, pullback] = vjp((x: Tensor) => [x, mul(x, 2)], f64([1, 2]));
    expect(() => pullback([f64([1, 1])])).toThrow(GradError);
    expect(() => pullback([f64([1, 1]), f64([1])])).toThrow(
      /vjp: cotangent shape \[1\] does not match output shape \[2\]/,
    );
  });
  it('grad mirrors nested parameter structure and keeps static leaves', () => {
    const params = { layers: [{ w: f64([1, 2]), act: 'tanh' }, { w: f64([3]) }], scale: 2 };
    const g = grad((p: typeof params) => sum(mul(p.layers[0]!.w, p.layers[1]!.w)).mul(p.scale))(
      params,
    ) as typeof params;
    expect(arr(g.layers[0]!.w)).toEqual([6, 6]);
    expect(arr(g.layers[1]!.w)).toEqual([6]);
    expect(g.layers[0]!.act).toBe('tanh');
    expect(g.scale).toBe(2);
    expect(tree.structureEquals(g, params)).toBe(true);
  });
  it('unused arguments get zero gradients of their own shape and dtype', () => {
    const g = grad((a: Tensor, _b: Tensor) => sum(a), { argnums: [0, 1] })(f64([1]), zeros([2, 2])) as Tensor[];
    expect(arr(g[1])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(g[1]!.dtype).toBe('float32');
  });
  it('valueAndGrad with hasAux passes aux through; top-level results carry no graph', () => {
    const [[value, aux], g] = valueAndGrad((x: Tensor) => [sum(mul(x, x)), { y: mul(x, 3) }], { hasAux: true })(
      f64([1, 2]),
    ) as [[Tensor, { y: Tensor }], Tensor];
    expect(value.item()).toBe(5);
    expect(arr(aux.y)).toEqual([3, 6]);
    expect(arr(g)).toEqual([2, 4]);
    expect(value.node).toBeNull();
    expect(aux.y.node).toBeNull();
    expect(g.node).toBeNull();
  });
  it('jacobian over a pytree argument and several argnums; empty outputs (regression: threw ShapeError)', () => {
    const f = (p: { a: Tensor; b: Tensor }) => mul(p.a, sum(p.b));
    const J = jacobian(f)({ a: f64([1, 2]), b: f64([3, 4, 5]) }) as { a: Tensor; b: Tensor };
    expect(J.a.shape).toEqual([2, 2]);
    expect(arr(J.a)).toEqual([
      [12, 0],
      [0, 12],
    ]);
    expect(arr(J.b)).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    const [Jx, Jy] = jacobian((x: Tensor, y: Tensor) => mul(x, y), { argnums: [0, 1] })(
      f64([1, 2]),
      f64([3, 4]),
    ) as Tensor[];
    expect(arr(Jx)).toEqual([
      [3, 0],
      [0, 4],
    ]);
    expect(arr(Jy)).toEqual([
      [1, 0],
      [0, 2],
    ]);
    const Je = jacobian((x: Tensor) => x.slice('0:0'))(f64([1, 2, 3])) as Tensor;
    expect(Je.shape).toEqual([0, 3]);
  });
  it('hvp with several primals equals the block Hessian times the stacked tangent', () => {
    const f = (x: Tensor, y: Tensor) => sum(mul(mul(x, x), y)).add(sum(tanh(y)));
    const x = f64([1, 2]);
    const y = f64([0.5, -1]);
    const [hx, hy] = hvp(f, [x, y], [f64([1, 0]), f64([0, 1])]) as Tensor[];
    // H_xx = diag(2y), H_xy = diag(2x), H_yy = diag(-2 tanh sech^2)
    const t = Math.tanh(-1);
    expect(arr(hx)).toEqual([1, 4]);
    expect((hy as Tensor).dataSync()[0]).toBeCloseTo(2, 14);
    expect((hy as Tensor).dataSync()[1]).toBeCloseTo(-2 * t * (1 - t * t), 14);
  });
  it('hessian honours argnums', () => {
    const H = hessian((a: Tensor, b: Tensor) => sum(mul(mul(a, b), b)), { argnums: 1 })(f64([2]), f64([3])) as Tensor;
    expect(arr(H)).toEqual([[4]]);
  });
});

describe('stopGradient and customGrad semantics', () => {
  it('stopGradient keeps the value and blocks the gradient at every nesting level', () => {
    const x = f64([3]);
    expect(arr(grad((v: Tensor) => sum(mul(stopGradient(v), v)))(x))).toEqual([3]);
    expect(arr(stopGradient(x))).toEqual([3]);
    // The inner stop also hides x from the outer derivative: d/dx [x * d/dy(stop(x) * y)] = stop(x) + 0.
    const outer = (v: Tensor) => mul(v, grad((y: Tensor) => sum(mul(stopGradient(v), y)))(f64([1])) as Tensor).sum();
    expect(arr(grad(outer)(x))).toEqual([3]);
    expect(stopGradient(x)).toBe(x);
  });
  it('customGrad replaces the backward rule (gradient clipping) and leaves the value alone', () => {
    const clipGrad = customGrad(
      (x: Tensor) => mul(x, 1),
      (g: Tensor) => [g.clamp(-1, 1)],
    );
    const x = f64([1, 2]);
    expect(arr(clipGrad(x))).toEqual([1, 2]);
    expect(arr(grad((v: Tensor) => sum(mul(clipGrad(v), f64([5, 0.5]))))(x))).toEqual([1, 0.5]);
  });
  it('a stable custom rule: softplus = log1p(exp(x)) with sigmoid as its derivative', () => {
    const naive = (x: Tensor) => log1p(exp(x));
    const softplus = customGrad(naive, (g: Tensor, _out: Tensor, x: Tensor) => [mul(g, sigmoid(x))]);
    const x = f64([-2, 0, 800]);
    const g = grad((v: Tensor) => sum(softplus(v)))(x) as Tensor;
    // The naive rule gives exp(800)/(1+exp(800)) = inf/inf = NaN at 800; the custom one gives 1.
    expect(Number.isNaN((grad((v: Tensor) => sum(naive(v)))(x) as Tensor).dataSync()[2]!)).toBe(true);
    expect(g.dataSync()[2]).toBe(1);
    expect(g.dataSync()[0]).toBeCloseTo(1 / (1 + Math.exp(2)), 15);
  });
  it('a rule written with tensor ops is itself differentiable, and the output is available to it', () => {
    const cube = customGrad(
      (x: Tensor) => mul(mul(x, x), x),
      (g: Tensor, out: Tensor, x: Tensor) => [mul(g, mul(out, 3)).div(x)],
    );
    const d2 = grad((v: Tensor) => sum(grad((u: Tensor) => sum(cube(u)))(v) as Tensor))(f64([2])) as Tensor;
    expect(d2.item()).toBeCloseTo(12, 13);
  });
  it('the rule may return null for arguments it does not differentiate; a wrong count is a GradError', () => {
    const scaleBy = customGrad(
      (x: Tensor, s: Tensor) => mul(x, s),
      (g: Tensor, _o: Tensor, _x: Tensor, s: Tensor) => [mul(g, s), null],
    );
    const [gx, gs] = grad((x: Tensor, s: Tensor) => sum(scaleBy(x, s)), { argnums: [0, 1] })(
      f64([1, 2]),
      f64([3]),
    ) as Tensor[];
    expect(arr(gx)).toEqual([3, 3]);
    expect(arr(gs)).toEqual([0]);
    const bad = customGrad(
      (x: Tensor) => mul(x, 2),
      () => [],
    );
    expect(() => grad((x: Tensor) => sum(bad(x)))(f64([1]))).toThrow(GradError);
  });
  it('a rule returning the wrong shape is a GradError naming customGrad and the shapes', () => {
    const bad = customGrad(
      (x: Tensor) => mul(x, 2),
      () => [f64([1, 2, 3])],
    );
    expect(() => grad((x: Tensor) => sum(bad(x)))(f64([1, 2]))).toThrow(/customGrad: .*\[3\].*\[2\]/);
  });
});

describe('pytrees', () => {
  it('flatten orders object keys, keeps static leaves, and unflatten inverts it', () => {
    const a = f64([1]);
    const b = f64([2]);
    const c = f64([3]);
    const t = { z: [a, 'tag', null], a: { y: b, x: c }, n: 4 };
    const { leaves, treedef } = tree.flatten(t);
    expect(leaves).toEqual([c, b, a]);
    const back = tree.unflatten<typeof t>(treedef, leaves);
    expect(back).toEqual(t);
    expect(back.z[0]).toBe(a);
    expect(() => tree.unflatten(treedef, [a, b])).toThrow(/tree.unflatten/);
    expect(() => tree.unflatten(treedef, [a, b, c, a])).toThrow(/tree.unflatten/);
  });
  it('map applies leaf-wise over matching structures and rejects mismatched ones', () => {
    const p = { w: f64([1, 2]), layers: [f64([3])] };
    const q = { w: f64([10, 20]), layers: [f64([30])] };
    const s = tree.map((x: Tensor, y: Tensor) => add(x, y), p, q) as typeof p;
    expect(arr(s.w)).toEqual([11, 22]);
    expect(arr(s.layers[0])).toEqual([33]);
    expect(() => tree.map((x: Tensor) => x, p, { w: f64([1]) })).toThrow(/tree.map: pytrees have different structures/);
    expect(tree.leaves(p)).toHaveLength(2);
  });
});
