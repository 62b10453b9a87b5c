import { describe, expect, it } from 'vitest';
import { exp, fromTypedArray, matmul, mul, sub, sum, tensor, type Tensor } from '@difflab/tensor';
import * as optim from '../src/index.js';

// Ridge regression: inner g(w, h) = ||Xw - y||²/(2n) + e^h ||w||²/2, outer F(w) = ||X_v w - y_v||²/(2 n_v).
const rng = optim.createRng(2024);
const n = 20;
const nv = 15;
const d = 5;
const wTrue = Array.from({ length: d }, () => rng.normal());
const mk = (rows: number) => {
  const X = Array.from({ length: rows }, () => Array.from({ length: d }, () => rng.normal()));
  const y = X.map((r) => r.reduce((s, x, j) => s + x * wTrue[j]!, 0) + 0.5 * rng.normal());
  return { X, y };
};
const tr = mk(n);
const va = mk(nv);
const T = (x: number[] | number[][]) => tensor(x, { dtype: 'float64' });
const Xt = T(tr.X);
const yt = T(tr.y);
const Xv = T(va.X);
const yv = T(va.y);
const sq = (t: Tensor) => sum(mul(t, t));
const inner = (w: Tensor, h: Tensor) => sq(sub(matmul(Xt, w), yt)).mul(1 / (2 * n)).add(mul(exp(h), sq(w)).mul(0.5));
const outer = (w: Tensor, _h: Tensor) => sq(sub(matmul(Xv, w), yv)).mul(1 / (2 * nv));

/** Dense solve by Gaussian elimination with partial pivoting (test-only reference). */
function solve(A: number[][], b: number[]): number[] {
  const m = A.map((r, i) => [...r, b[i]!]);
  const k = b.length;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < k; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let j = c; j <= k; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    let s = m[r]![k]!;
    for (let j = r + 1; j < k; j++) s -= m[r]![j]! * x[j]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/** Closed forms: w*(h) and dF/dh = -∇F(w*)ᵀ (XᵀX/n + λI)⁻¹ λ w*. */
function closedForm(h: number) {
  const lam = Math.exp(h);
  const Hm = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => tr.X.reduce((s, r) => s + r[i]! * r[j]!, 0) / n + (i === j ? lam : 0)));
  const rhs = Array.from({ length: d }, (_, i) => tr.X.reduce((s, r, k) => s + r[i]! * tr.y[k]!, 0) / n);
  const w = solve(Hm, rhs);
  const resid = va.X.map((r, k) => r.reduce((s, x, j) => s + x * w[j]!, 0) - va.y[k]!);
  const gF = Array.from({ length: d }, (_, j) => va.X.reduce((s, r, k) => s + r[j]! * resid[k]!, 0) / nv);
  const u = solve(Hm, w.map((x) => lam * x));
  return { w, hypergrad: -gF.reduce((s, g, j) => s + g * u[j]!, 0), outer: resid.reduce((s, r) => s + r * r, 0) / (2 * nv) };
}

const h0 = Math.log(0.3);
const ref = closedForm(h0);
const wStar = fromTypedArray(Float64Array.from(ref.w), [d], { dtype: 'float64' });
const hT = T([h0]).reshape([]);

describe('bilevel hypergradients on ridge regression (w.r.t. the log ridge penalty)', () => {
  it('implicit hypergradient with CG matches the closed form', () => {
    const r = optim.implicitHypergradient(inner, outer, wStar, hT);
    expect(r.hypergrad.item()).toBeCloseTo(ref.hypergrad, 12);
    expect(r.iterations).toBeLessThanOrEqual(d + 1);
  });

  it('implicit hypergradient with a Neumann series matches the closed form', () => {
    const r = optim.implicitHypergradient(inner, outer, wStar, hT, { method: 'neumann', iters: 300, alpha: 0.3 });
    expect(r.hypergrad.item()).toBeCloseTo(ref.hypergrad, 8);
    // Truncation error shrinks with more terms.
    const short = optim.implicitHypergradient(inner, outer, wStar, hT, { method: 'neumann', iters: 5, alpha: 0.3 });
    expect(Math.abs(short.hypergrad.item() - ref.hypergrad)).toBeGreaterThan(Math.abs(r.hypergrad.item() - ref.hypergrad));
  });

  it('unrolled differentiation approaches the closed form as the inner problem converges', () => {
    const w0 = T(new Array(d).fill(0));
    const long = optim.unrolledHypergradient(inner, outer, w0, hT, { steps: 150, optimizer: optim.sgd({ lr: 0.5 }) });
    expect(long.hypergrad.item()).toBeCloseTo(ref.hypergrad, 7);
    expect(long.outer).toBeCloseTo(ref.outer, 9);
    const short = optim.unrolledHypergradient(inner, outer, w0, hT, { steps: 3, optimizer: optim.sgd({ lr: 0.5 }) });
    expect(Math.abs(short.hypergrad.item() - ref.hypergrad)).toBeGreaterThan(1e-4);
  });

  it('the penalty hypergradient is O(sigma)-close and first-order only', () => {
    const w0 = T(new Array(d).fill(0));
    const errs = [1e-1, 1e-2].map((sigma) => {
      const r = optim.penaltyHypergradient(outer, inner, hT, w0, w0, { sigma, innerSteps: 400, zLr: 0.4 });
      return Math.abs(r.hypergrad.item() - ref.hypergrad);
    });
    expect(errs[1]!).toBeLessThan(errs[0]!);
    expect(errs[1]!).toBeLessThan(0.05 * Math.abs(ref.hypergrad) + 1e-3);
  });

  it('penaltyBilevel descends the validation loss over the penalty', () => {
    const w0 = T(new Array(d).fill(0));
    const r = optim.penaltyBilevel(outer, inner, hT, w0, { steps: 40, sigma: 1e-2, innerSteps: 60, zLr: 0.4, optimizer: optim.sgd({ lr: 2 }) });
    const start = closedForm(h0).outer;
    const end = closedForm(r.x.item()).outer;
    expect(end).toBeLessThan(start);
    expect(Math.abs(closedForm(r.x.item()).hypergrad)).toBeLessThan(0.2 * Math.abs(ref.hypergrad));
  });

  it('validates options', () => {
    expect(() => optim.implicitHypergradient(inner, outer, wStar, hT, { method: 'lu' as any })).toThrow(/implicitHypergradient: method/);
    expect(() => optim.penaltyHypergradient(outer, inner, hT, wStar, wStar, { sigma: 0 })).toThrow(/penaltyHypergradient: sigma must be > 0/);
    expect(() => optim.conjugateGradient((v: Tensor) => v.mul(-1), T([1]))).toThrow(/not positive definite/);
  });
});
