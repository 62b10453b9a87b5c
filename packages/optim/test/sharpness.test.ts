import { describe, expect, it } from 'vitest';
import { grad, matmul, mul, sub, sum, tensor, type Tensor } from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import * as optim from '../src/index.js';

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: 'float64' });
const arr = (t: Tensor) => Array.from(t.dataSync());

// f(x) = ½ xᵀAx − bᵀx with a non-diagonal A.
const A = [
  [3, 1, 0],
  [1, 2, 0.5],
  [0, 0.5, 1],
];
const bv = [1, -1, 0.5];
const At = f64(A);
const bt = f64(bv);
const quad = (p: { x: Tensor }) => sub(mul(sum(mul(p.x, matmul(At, p.x))), 0.5), sum(mul(bt, p.x)));
const gradAt = (x: number[]) => A.map((row, i) => row.reduce((s, a, j) => s + a * x[j]!, 0) - bv[i]!);
const norm = (v: number[]) => Math.sqrt(v.reduce((s, a) => s + a * a, 0));

describe('SAM', () => {
  const x0 = [0.5, -1, 2];

  it('one step equals the hand-computed two-gradient reference', () => {
    const rho = 0.1;
    const eta = 0.2;
    const opt = optim.sam(optim.sgd({ lr: eta }), { rho });
    const params = { x: f64(x0) };
    const r = opt.step(quad, params, opt.init(params));
    const g = gradAt(x0);
    const n = norm(g);
    const xAdv = x0.map((v, i) => v + (rho * g[i]!) / n);
    const gAdv = gradAt(xAdv);
    const expected = x0.map((v, i) => v - eta * gAdv[i]!);
    arr(r.params.x).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 14));
    expect(r.loss.item()).toBeCloseTo(quad(params).item(), 14);
  });

  it('ASAM scales the neighbourhood by |w| + eta', () => {
    const rho = 0.5;
    const etaA = 0.01;
    const opt = optim.sam(optim.sgd({ lr: 1 }), { rho, adaptive: true, eta: etaA });
    const params = { x: f64(x0) };
    const r = opt.step(quad, params, opt.init(params));
    const g = gradAt(x0);
    const T = x0.map((w) => Math.abs(w) + etaA);
    const n = norm(g.map((gi, i) => T[i]! * gi));
    const gAdv = gradAt(x0.map((w, i) => w + (rho * T[i]! * T[i]! * g[i]!) / n));
    arr(r.params.x).forEach((v, i) => expect(v).toBeCloseTo(x0[i]! - gAdv[i]!, 13));
  });

  it('SAM-ON perturbs only the masked leaves', () => {
    const loss = (p: { norm: Tensor; w: Tensor }) => sum(mul(mul(p.norm, p.norm), p.w));
    const params = { norm: f64([2]), w: f64([3]) };
    const rho = 0.1;
    const opt = optim.sam(optim.sgd({ lr: 1 }), { rho, perturbMask: optim.pathMask(/norm/) });
    const r = opt.step(loss, params, opt.init(params));
    // grad: d/dnorm = 2 norm w = 12, d/dw = norm^2 = 4; only 'norm' moves: norm' = 2 + 0.1 (unit direction in 1-D).
    const nAdv = 2.1;
    expect(r.params.norm.item()).toBeCloseTo(2 - 2 * nAdv * 3, 13);
    expect(r.params.w.item()).toBeCloseTo(3 - nAdv * nAdv, 13);
  });

  it('unnormalised SAM on f = λx²/2 is stable iff λ < λ* = (−1 + √(1 + 8ρ/η)) / (2ρ)', () => {
    const eta = 0.1;
    const rho = 0.05;
    const lamStar = (-1 + Math.sqrt(1 + (8 * rho) / eta)) / (2 * rho);
    // At λ* one SAM step is x -> -x: ηλ(1 + ρλ) = 2.
    expect(eta * lamStar * (1 + rho * lamStar)).toBeCloseTo(2, 12);
    const run = (lam: number, steps = 300) => {
      const loss = (p: { x: Tensor }) => mul(sum(mul(p.x, p.x)), lam / 2);
      const opt = optim.sam(optim.sgd({ lr: eta }), { rho, normalize: false });
      let params = { x: f64([1]) };
      let state = opt.init(params);
      const first = opt.step(loss, params, state);
      expect(first.params.x.item()).toBeCloseTo(1 - eta * lam * (1 + rho * lam), 12);
      for (let i = 0; i < steps; i++) ({ params, state } = opt.step(loss, params, state));
      return Math.abs(params.x.item());
    };
    expect(run(0.97 * lamStar)).toBeLessThan(1e-2);
    expect(run(1.03 * lamStar)).toBeGreaterThan(1e2);
    // Plain GD with the same lr is still stable just below 2/η, above λ*: SAM lowers the threshold.
    expect(lamStar).toBeLessThan(2 / eta);
  });

  it('needs the closure and validates rho', () => {
    const opt = optim.sam(optim.sgd({ lr: 0.1 }));
    const params = { x: f64([1]) };
    expect(() => opt.update({ x: f64([1]) }, opt.init(params), params)).toThrow(/sam\(sgd\): needs the loss function/);
    expect(() => optim.sam(optim.sgd({ lr: 0.1 }), { rho: NaN })).toThrow(/sam\(sgd\): rho must be a finite number/);
    expect(() => optim.sam(optim.sgd({ lr: 0.1 }), { rho: -1 })).toThrow(/rho must be >= 0/);
  });

  it('a zero gradient gives no perturbation instead of NaN', () => {
    const opt = optim.sam(optim.sgd({ lr: 0.1 }));
    const params = { x: f64([0]) };
    const r = opt.step((p: { x: Tensor }) => sum(mul(p.x, p.x)), params, opt.init(params));
    expect(r.params.x.item()).toBe(0);
  });
});

describe('GAM', () => {
  it('matches the hand-computed first-order flatness gradient on a quadratic', () => {
    const rho = 0.2;
    const alpha = 0.5;
    const x0 = [0.3, 0.7, -1.2];
    const opt = optim.gam(optim.sgd({ lr: 1 }), { rho, alpha });
    const params = { x: f64(x0) };
    const r = opt.step(quad, params, opt.init(params));
    const Av = (v: number[]) => A.map((row) => row.reduce((s, a, j) => s + a * v[j]!, 0));
    // ∇||∇L|| = A g / ||g|| with g = Ax - b.
    const normGrad = (x: number[]) => {
      const g = gradAt(x);
      const n = norm(g);
      return Av(g).map((v) => v / n);
    };
    const h = normGrad(x0);
    const hn = norm(h);
    const shifted = x0.map((v, i) => v + (rho * h[i]!) / hn);
    const total = gradAt(x0).map((gi, i) => gi + alpha * rho * normGrad(shifted)[i]!);
    arr(r.params.x).forEach((v, i) => expect(v).toBeCloseTo(x0[i]! - total[i]!, 12));
  });

  it('gradientNorm is differentiable (finite differences)', () => {
    const f = (x: Tensor) => optim.gradientNorm((p: any) => sum(mul(mul(p, p), p)), x);
    gradcheck((x: Tensor) => f(x), [f64([0.4, -0.9, 1.3])]);
  });
});

describe('SAF trajectory loss', () => {
  it('is lambda · KL(softmax(past/τ) || softmax(logits/τ)) averaged over the batch', () => {
    const logits = f64([
      [1, 2, 0.5],
      [0, -1, 3],
    ]);
    const past = f64([
      [0.5, 2.5, 0],
      [0.2, -0.5, 2],
    ]);
    const tau = 2;
    const lambda = 0.7;
    const sm = (r: number[]) => {
      const e = r.map((v) => Math.exp(v / tau));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    };
    const L = logits.toArray() as number[][];
    const P = past.toArray() as number[][];
    let kl = 0;
    L.forEach((row, i) => {
      const p = sm(P[i]!);
      const q = sm(row);
      kl += p.reduce((s, pi, j) => s + pi * Math.log(pi / q[j]!), 0);
    });
    expect(optim.safLoss(logits, past, { lambda, temperature: tau }).item()).toBeCloseTo((lambda * kl) / 2, 14);
    expect(optim.safLoss(past, past).item()).toBeCloseTo(0, 15);
    gradcheck((x: Tensor) => optim.safLoss(x, past, { lambda, temperature: tau }), [logits]);
    // The past outputs are constants.
    const gPast = grad((p: Tensor) => optim.safLoss(logits, p))(past) as Tensor;
    expect(arr(gPast).every((v) => v === 0)).toBe(true);
    expect(() => optim.safLoss(logits, f64([[1, 2]]))).toThrow(/safLoss: logits \[2, 3\] and past outputs \[1, 2\]/);
  });

  it('trajectoryBank returns the outputs recorded `delay` epochs earlier', () => {
    const bank = optim.trajectoryBank({ delay: 2 });
    bank.record(0, [3, 1], f64([[1, 2], [3, 4]]));
    bank.record(1, [3, 1], f64([[5, 6], [7, 8]]));
    expect(bank.lookup(1, [3])).toBeNull();
    expect(bank.lookup(2, [1, 3])!.toArray()).toEqual([[3, 4], [1, 2]]);
    expect(bank.lookup(2, [1, 9])).toBeNull();
    bank.record(2, [1], f64([[9, 9]]));
    bank.record(4, [1], f64([[0, 0]]));
    // Epochs older than the current one minus the delay are dropped.
    expect(bank.lookup(3, [1])).toBeNull();
    expect(bank.lookup(4, [1])!.toArray()).toEqual([[9, 9]]);
  });
});
