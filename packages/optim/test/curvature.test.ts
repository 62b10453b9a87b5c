import { describe, expect, it } from 'vitest';
import { concat, hessian, matmul, mul, norm, reshape, split, sub, sum, tensor, type Tensor } from '@difflab/tensor';
import * as optim from '../src/index.js';
import { symEig } from '../src/internal/host-linalg.js';
import { fx, mlp } from './helpers/problems.js';

const { loss, init } = mlp();
const params = init();
const keys: string[] = fx.curvature.keys;
const shapes = keys.map((k) => params[k].shape);
const sizes = keys.map((k) => params[k].size);
const flatLoss = (v: Tensor) => {
  const parts = split(v, sizes);
  return loss(Object.fromEntries(keys.map((k, i) => [k, reshape(parts[i]!, shapes[i]!)])));
};
const v0 = concat(keys.map((k) => reshape(params[k], [-1])));
const n = v0.size;
const H = hessian(flatLoss)(v0) as Tensor;
const dense = symEig(Float64Array.from(H.dataSync()), n).values;
const torchEigs: number[] = fx.curvature.eigenvalues;
const top = torchEigs[torchEigs.length - 1]!;

describe('Hessian tools on a small MLP', () => {
  it('the dense Hessian from @difflab/tensor agrees with PyTorch', () => {
    expect(n).toBe(26);
    dense.forEach((v, i) => expect(v).toBeCloseTo(torchEigs[i]!, 9));
    const Hd = H.dataSync();
    let tr = 0;
    for (let i = 0; i < n; i++) tr += Hd[i * n + i]!;
    expect(tr).toBeCloseTo(fx.curvature.trace, 10);
  });

  it('hessianVectorProduct equals H·v', () => {
    const v = optim.randomLike(params, optim.createRng(3));
    const hv = optim.hessianVectorProduct(loss, params, v);
    const flatV = concat(keys.map((k) => reshape(v[k], [-1])));
    const ref = matmul(H, flatV).dataSync();
    const got = concat(keys.map((k) => reshape(hv[k], [-1]))).dataSync();
    ref.forEach((r, i) => expect(got[i]).toBeCloseTo(r, 11));
  });

  it('power iteration finds the top eigenvalue', () => {
    const r = optim.hessianTopEigenvalue(loss, params, { method: 'power', iters: 200, tol: 1e-12 });
    expect(r.value).toBeCloseTo(top, 8);
    // The vector is a unit eigenvector: ||Hv - λv|| small.
    const hv = optim.hessianVectorProduct(loss, params, r.vector);
    const res = keys.reduce((s, k) => s + sum(mul(sub(hv[k], mul(r.vector[k], r.value)), sub(hv[k], mul(r.vector[k], r.value)))).item(), 0);
    expect(Math.sqrt(res)).toBeLessThan(1e-5);
  });

  it('Lanczos gives the top of the spectrum in few HVPs and all of it in n', () => {
    const r = optim.hessianTopEigenvalue(loss, params, { iters: 14 });
    expect(r.value).toBeCloseTo(top, 8);
    const all = optim.hessianEigenvalues(loss, params, { iters: n });
    expect(all.length).toBe(n);
    all.forEach((v, i) => expect(v).toBeCloseTo(torchEigs[n - 1 - i]!, 8));
    const top3 = optim.hessianEigenvalues(loss, params, { iters: 20, k: 3 });
    top3.forEach((v, i) => expect(v).toBeCloseTo(torchEigs[n - 1 - i]!, 6));
  });

  it("Hutchinson's trace estimate is within its error bars of the exact trace", () => {
    const r = optim.hessianTrace(loss, params, { samples: 300, seed: 1 });
    expect(Math.abs(r.trace - fx.curvature.trace)).toBeLessThan(4 * r.stdError);
    // Rademacher probes: Var(vᵀHv) = 2 Σ_{i≠j} H_ij², so the standard error is known in advance.
    const Hd = H.dataSync();
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) off += Hd[i * n + j]! ** 2;
    expect(r.stdError / Math.sqrt((2 * off) / 300)).toBeGreaterThan(0.8);
    expect(r.stdError / Math.sqrt((2 * off) / 300)).toBeLessThan(1.2);
    const g = optim.hessianTrace(loss, params, { samples: 300, seed: 2, distribution: 'normal' });
    expect(Math.abs(g.trace - fx.curvature.trace)).toBeLessThan(4 * g.stdError);
  });
});

describe('loss-surface slices', () => {
  const A = tensor([[2, 0.5], [0.5, 1]], { dtype: 'float64' });
  const q = (p: { w: Tensor; b: Tensor }) => add2(sum(mul(p.w, matmul(p.w, A))), sum(mul(p.b, p.b)));
  const add2 = (a: Tensor, b: Tensor) => a.add(b);
  const p0 = { w: tensor([[1, -1], [0.5, 2], [0, 1]], { dtype: 'float64' }), b: tensor([0.3, 0.1], { dtype: 'float64' }) };

  it('filter normalisation matches each filter norm to the params and zeroes 1-D leaves', () => {
    const d = optim.randomDirection(p0, { seed: 4 });
    expect(d.b.dataSync().every((x: number) => x === 0)).toBe(true);
    const dn = norm(d.w, 2, [1]).dataSync();
    const pn = norm(p0.w, 2, [1]).dataSync();
    dn.forEach((v, i) => expect(v).toBeCloseTo(pn[i]!, 12));
    const d1 = optim.randomDirection(p0, { seed: 4, filterAxis: 1, ignore1D: false });
    const dn1 = norm(d1.w, 2, [0]).dataSync();
    const pn1 = norm(p0.w, 2, [0]).dataSync();
    dn1.forEach((v, i) => expect(v).toBeCloseTo(pn1[i]!, 12));
  });

  it('1-D and 2-D slices evaluate the loss on the grid', () => {
    const s1 = optim.lossSurface1D(q, p0, { seed: 7, points: 5, range: [-2, 2] });
    expect(s1.alphas).toEqual([-2, -1, 0, 1, 2]);
    s1.alphas.forEach((a, i) => {
      const pt = { w: p0.w.add(s1.direction.w.mul(a)), b: p0.b.add(s1.direction.b.mul(a)) };
      expect(s1.losses[i]).toBeCloseTo(q(pt).item(), 12);
    });
    expect(s1.losses[2]).toBeCloseTo(q(p0).item(), 14);
    const s2 = optim.lossSurface2D(q, p0, { seed: 7, points: 3 });
    expect(s2.losses.length).toBe(3);
    expect(s2.losses[1]![1]).toBeCloseTo(q(p0).item(), 14);
    const [d1, d2] = s2.directions;
    const pt = { w: p0.w.add(d1.w.mul(-1)).add(d2.w.mul(1)), b: p0.b };
    expect(s2.losses[0]![2]).toBeCloseTo(q(pt).item(), 12);
    expect(() => optim.lossSurface1D(q, p0, { range: [1, 0] })).toThrow(/lossSurface1D: range/);
  });
});
