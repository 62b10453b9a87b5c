import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { argmax, random, type Tensor } from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import * as A from '../src/index.js';
import { accuracy, correctDigits, fixtureMlp } from './helpers/model.js';

const { params } = fixtureMlp('float64');
const mlp = A.fromMlp(params);
const model = A.sequential(mlp);
const { x, y } = correctDigits(model, 8, 'float64');

/** A small random convnet on 8x8 digits: conv -> relu -> avgpool -> flatten -> linear -> relu -> linear. */
function convnet(): A.Layer[] {
  const k = random.splitN(random.key(11), 6);
  const g = (key: Tensor, shape: number[], s: number) => random.normal(key, shape, { std: s, dtype: 'float64' });
  return [
    { type: 'conv2d', w: g(k[0]!, [4, 1, 3, 3], 0.5), b: g(k[1]!, [4], 0.1), padding: 1 },
    { type: 'relu' },
    { type: 'avgPool2d', kernel: 2 },
    { type: 'flatten' },
    { type: 'linear', w: g(k[2]!, [16, 64], 0.2), b: g(k[3]!, [16], 0.1) },
    { type: 'relu' },
    { type: 'linear', w: g(k[4]!, [10, 16], 0.3), b: g(k[5]!, [10], 0.1) },
  ];
}

/** `count` points of the L-inf ball ∩ [0, 1] around each example (corners included), outputs [count, N, C]. */
function sampleOutputs(f: A.Model, x0: Tensor, eps: number, count: number, seed: number): Float64Array[] {
  const outs: Float64Array[] = [];
  for (let s = 0; s < count; s++) {
    const u = random.uniform(random.key(seed * 1000 + s), x0.shape, { minval: -1, maxval: 1, dtype: 'float64' });
    // Every other sample is a vertex of the ball, where bounds are most often tight.
    const d = s % 2 === 0 ? u.sign() : u;
    outs.push(Float64Array.from(f(x0.add(d.mul(eps)).clamp(0, 1)).dataSync()));
  }
  return outs;
}

function contains(b: A.IntervalBounds, outs: Float64Array[]) {
  const lo = b.lower.dataSync();
  const hi = b.upper.dataSync();
  for (const o of outs)
    for (let i = 0; i < o.length; i++) {
      expect(o[i]!).toBeGreaterThanOrEqual(lo[i]! - 1e-9);
      expect(o[i]!).toBeLessThanOrEqual(hi[i]! + 1e-9);
    }
}

const width = (b: A.IntervalBounds) => b.upper.sub(b.lower).mean().item();

describe('IBP and CROWN bounds are sound', () => {
  it('contain the outputs of sampled perturbations (MLP, random eps)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.002, max: 0.15, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (eps, seed) => {
        const outs = sampleOutputs(model, x, eps, 24, seed);
        contains(A.ibp(mlp, x, eps), outs);
        contains(A.crown(mlp, x, eps), outs);
      }),
      { numRuns: 12 },
    );
  });

  it('contain the outputs of a convnet with average pooling', () => {
    const net = convnet();
    const f = A.sequential(net);
    const xi = x.reshape([8, 1, 8, 8]);
    for (const eps of [0.01, 0.05]) {
      const outs = sampleOutputs(f, xi, eps, 30, 7);
      const ib = A.ibp(net, xi, eps);
      const cr = A.crown(net, xi, eps);
      contains(ib, outs);
      contains(cr, outs);
      expect(width(cr)).toBeLessThanOrEqual(width(ib));
    }
  });

  it('margin specifications contain the sampled margins', () => {
    const spec = A.marginSpec(y, 10, 'float64');
    const eps = 0.03;
    const margins = sampleOutputs((z) => spec.matmul(model(z).expandDims(2)).squeeze(2), x, eps, 20, 3);
    contains(A.crown(mlp, x, eps, { spec }), margins);
    const box = A.inputInterval('test', x, eps);
    contains(A.ibpSpec(mlp, box.lower, box.upper, spec), margins);
  });

  it('collapse to the network output at eps = 0 and CROWN is tighter than IBP on average', () => {
    const z = model(x).dataSync();
    const c0 = A.crown(mlp, x, 0);
    c0.lower.dataSync().forEach((v, i) => expect(v).toBeCloseTo(z[i]!, 9));
    c0.upper.dataSync().forEach((v, i) => expect(v).toBeCloseTo(z[i]!, 9));
    for (const eps of [0.005, 0.02, 0.05, 0.1])
      expect(width(A.crown(mlp, x, eps))).toBeLessThanOrEqual(width(A.ibp(mlp, x, eps)));
    // Every lower-slope choice is sound; the adaptive one is the default.
    const outs = sampleOutputs(model, x, 0.03, 10, 5);
    for (const lowerSlope of ['zero', 'one', 'parallel'] as const)
      contains(A.crown(mlp, x, 0.03, { lowerSlope }), outs);
  });
});

describe('certified accuracy', () => {
  it('is at most the PGD robust accuracy at the same eps, and CROWN certifies at least IBP on this net', () => {
    const { x: xs, y: ys } = correctDigits(model, 40, 'float64');
    for (const eps of [0.01, 0.03, 0.06]) {
      const ibpCert = A.certify(mlp, xs, ys, eps, { method: 'ibp' });
      const crownCert = A.certify(mlp, xs, ys, eps);
      const pgdAcc = accuracy(model, A.pgd(model, xs, ys, { eps, steps: 20, restarts: 2 }), ys);
      expect(ibpCert.accuracy).toBeLessThanOrEqual(pgdAcc);
      expect(crownCert.accuracy).toBeLessThanOrEqual(pgdAcc);
      expect(crownCert.accuracy).toBeGreaterThanOrEqual(ibpCert.accuracy);
      // A certified example is never broken by the attack.
      const adv = argmax(model(A.pgd(model, xs, ys, { eps, steps: 20 })), 1).dataSync();
      crownCert.certified.forEach((c, i) => c && expect(adv[i]).toBe(ys.dataSync()[i]));
    }
    expect(A.certify(mlp, xs, ys, 0.01).accuracy).toBeGreaterThan(0.8);
  });
});

describe('local Lipschitz bounds', () => {
  it('bound the slopes between sampled points of the ball and lie below the global bound', () => {
    const eps = 0.03;
    for (const norm of ['linf', 'l2'] as const) {
      const L = A.localLipschitz(mlp, x, eps, { norm }).dataSync();
      const G = A.globalLipschitz(mlp, [64], { norm });
      for (let s = 0; s < 30; s++) {
        const a = x
          .add(random.uniform(random.key(2 * s), x.shape, { minval: -eps, maxval: eps, dtype: 'float64' }))
          .clamp(0, 1);
        const b = x
          .add(random.uniform(random.key(2 * s + 1), x.shape, { minval: -eps, maxval: eps, dtype: 'float64' }))
          .clamp(0, 1);
        const fa = model(a).dataSync();
        const fb = model(b).dataSync();
        const dist = A.lpNorm(a.sub(b), norm).dataSync();
        for (let i = 0; i < 8; i++)
          for (let k = 0; k < 10; k++)
            expect(Math.abs(fa[i * 10 + k]! - fb[i * 10 + k]!)).toBeLessThanOrEqual(L[i * 10 + k]! * dist[i]! + 1e-9);
      }
      for (let i = 0; i < 8; i++)
        for (let k = 0; k < 10; k++) expect(L[i * 10 + k]!).toBeLessThanOrEqual(G[k]! * (1 + 1e-9));
    }
  });

  it('grows with eps and equals the gradient norm where no ReLU is unstable (eps -> 0)', () => {
    const small = A.localLipschitz(mlp, x, 1e-7).dataSync();
    const big = A.localLipschitz(mlp, x, 0.05).dataSync();
    small.forEach((v, i) => expect(v).toBeLessThanOrEqual(big[i]! + 1e-9));
    // At a point with a fixed activation pattern the Jacobian is exact: compare sum |grad z_0|.
    const g = A.saliency(model, x.slice({ start: 0, stop: 1 }), [0])
      .sum()
      .item();
    expect(small[0]).toBeCloseTo(g, 6);
  });
});

describe('IBP is differentiable (certified training)', () => {
  it('matches finite differences with respect to the weights', () => {
    const k = random.splitN(random.key(5), 4);
    const w1 = random.normal(k[0]!, [5, 4], { dtype: 'float64' });
    const b1 = random.normal(k[1]!, [5], { dtype: 'float64' });
    const w2 = random.normal(k[2]!, [3, 5], { dtype: 'float64' });
    const xs = random.uniform(k[3]!, [2, 4], { minval: 0.2, maxval: 0.8, dtype: 'float64' });
    const f = (a: Tensor, b: Tensor, c: Tensor) => {
      const net: A.Layer[] = [{ type: 'linear', w: a, b }, { type: 'relu' }, { type: 'linear', w: c }];
      const r = A.ibp(net, xs, 0.05);
      return r.upper.sub(r.lower.mul(0.5));
    };
    gradcheck(f, [w1, b1, w2]);
  });
});
