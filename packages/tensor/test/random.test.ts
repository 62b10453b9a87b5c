import { describe, expect, it } from 'vitest';
import { DTypeError, DifflabError, ShapeError, ValueError, grad, mul, random, sum, tensor, type Tensor } from '../src/index.js';
import { erfc } from '../src/special.js';
import { threefry2x32 } from '../src/random/threefry.js';

const N = 100_000;
const u32 = (t: Tensor) => Array.from(t.dataSync(), (v) => v >>> 0);
const values = (t: Tensor) => Array.from(t.dataSync());

function moments(xs: ArrayLike<number>): { mean: number; var: number; skew: number } {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i]!;
  m /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return { mean: m, var: m2, skew: m3 / m2 ** 1.5 };
}

/** Kolmogorov-Smirnov statistic sup |F_n(x) - F(x)| of the samples against the exact CDF. */
function ks(xs: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = Float64Array.from(xs).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}
/** Critical value of the KS statistic at significance 0.001 (asymptotic, c(0.001) = 1.949). */
const KS_CRIT = 1.949 / Math.sqrt(N);

const phi = (x: number) => 0.5 * erfc(-x / Math.SQRT2);

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ma = moments(a);
  const mb = moments(b);
  let c = 0;
  for (let i = 0; i < a.length; i++) c += (a[i]! - ma.mean) * (b[i]! - mb.mean);
  return c / a.length / Math.sqrt(ma.var * mb.var);
}

describe('Threefry-2x32 and keys', () => {
  it('matches the Random123 known-answer vectors', () => {
    const out = new Int32Array(2);
    const kat: [number[], number[], number[]][] = [
      [[0, 0], [0, 0], [0x6b200159, 0x99ba4efe]],
      [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
      [[0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3], [0xc4923a9c, 0x483df7a0]],
    ];
    for (const [key, ctr, want] of kat) {
      threefry2x32(key[0]!, key[1]!, ctr[0]!, ctr[1]!, out);
      expect([out[0]! >>> 0, out[1]! >>> 0]).toEqual(want);
    }
  });
  it('key(seed) splits the seed into (high, low) words like jax.random.key', () => {
    expect(u32(random.key(0))).toEqual([0, 0]);
    expect(u32(random.key(42))).toEqual([0, 42]);
    expect(u32(random.key(2 ** 32 + 5))).toEqual([1, 5]);
    expect(u32(random.key(-1))).toEqual([0, 0xffffffff]);
    const k = random.key(7);
    expect(k.dtype).toBe('int32');
    expect(k.shape).toEqual([2]);
  });
  it('split / foldIn agree with JAX (partitionable Threefry) on known values', () => {
    // jax tests/random_test.py testPRNGValues: fold_in(key(0), 4) (identical in both Threefry modes).
    expect(u32(random.foldIn(random.key(0), 4))).toEqual([2285895361, 433833334]);
    const keys = random.split(random.key(0), 5);
    expect(keys.shape).toEqual([5, 2]);
    // Row i hashes counter (0, i): row 0 is the first Random123 vector; row 4 is fold_in(key, 4).
    expect(u32(keys.slice(0))).toEqual([0x6b200159, 0x99ba4efe]);
    expect(u32(keys.slice(4))).toEqual([2285895361, 433833334]);
    const parts = random.splitN(random.key(0), 5);
    parts.forEach((p, i) => expect(u32(p)).toEqual(u32(keys.slice(i))));
    expect(random.split(random.key(3)).shape).toEqual([2, 2]);
    expect(random.split(random.key(3), 0).shape).toEqual([0, 2]);
  });
  it('float32 uniform is bit-for-bit jax.random.uniform (values from JAX docs doctests)', () => {
    // jax/random.py and docs/jep/9263-typed-keys.md print uniform(key(0), shape=(3,)) and, after
    // `key, subkey = split(key)`, uniform(subkey), with numpy's 8 fractional digits. Samples are
    // multiples of 2^-23, so being within half that spacing of the printed value pins down the exact
    // float32 sample.
    const same = (got: number, printed: number) => {
      expect(Number.isInteger(got * 2 ** 23)).toBe(true);
      expect(Math.abs(got - printed)).toBeLessThan(2 ** -24);
    };
    const printed = [0.947667, 0.9785799, 0.33229148];
    values(random.uniform(random.key(0), [3])).forEach((v, i) => same(v, printed[i]!));
    same(random.uniform(random.key(0)).item(), 0.947667);
    const [, sub] = random.splitN(random.key(0));
    same(random.uniform(sub!).item(), 0.00729382);
  });
});

describe('determinism and independence', () => {
  it('same key, same numbers; element i depends only on (key, i)', () => {
    const k = random.key(123);
    expect(values(random.normal(k, [50]))).toEqual(values(random.normal(random.key(123), [50])));
    expect(values(random.uniform(k, [10])).slice(0, 5)).toEqual(values(random.uniform(k, [5])));
    expect(values(random.uniform(k, [2, 5]))).toEqual(values(random.uniform(k, [10])));
    expect(values(random.permutation(k, 30))).toEqual(values(random.permutation(random.key(123), 30)));
    expect(values(random.randint(k, [20], -5, 5))).toEqual(values(random.randint(k, [20], -5, 5)));
  });
  it('split keys give different, uncorrelated streams', () => {
    const [a, b] = random.splitN(random.key(1));
    const xa = random.uniform(a!, [N]).dataSync();
    const xb = random.uniform(b!, [N]).dataSync();
    const xp = random.uniform(random.key(1), [N]).dataSync();
    // 5 standard errors of a correlation estimate from N pairs.
    const bound = 5 / Math.sqrt(N);
    expect(Math.abs(correlation(xa, xb))).toBeLessThan(bound);
    expect(Math.abs(correlation(xa, xp))).toBeLessThan(bound);
    expect(Math.abs(correlation(xa.subarray(1), xa.subarray(0, N - 1)))).toBeLessThan(bound);
    // Neighbouring seeds and fold-ins are independent too.
    const xs = random.normal(random.key(2), [N]).dataSync();
    const xf = random.normal(random.foldIn(random.key(1), 1), [N]).dataSync();
    expect(Math.abs(correlation(random.normal(random.key(1), [N]).dataSync(), xs))).toBeLessThan(bound);
    expect(Math.abs(correlation(xf, xs))).toBeLessThan(bound);
    const words = random.split(random.key(9), 1000).dataSync();
    const all = new Set(Array.from({ length: 1000 }, (_, i) => `${words[2 * i]},${words[2 * i + 1]}`));
    expect(all.size).toBe(1000);
  });
});

describe('uniform', () => {
  it('float32: multiples of 2^-23 in [0, 1) with the right moments and KS distance', () => {
    const x = random.uniform(random.key(13), [N]);
    expect(x.dtype).toBe('float32');
    const d = x.dataSync();
    expect(d.every((v) => v >= 0 && v < 1 && Number.isInteger(v * 2 ** 23))).toBe(true);
    const m = moments(d);
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(m.var - 1 / 12)).toBeLessThan(0.0015);
    expect(ks(d, (v) => Math.min(Math.max(v, 0), 1))).toBeLessThan(KS_CRIT);
  });
  it('the KS statistic over many keys follows the Kolmogorov distribution (mean 0.8687)', () => {
    // One fixed-seed KS test fails with probability alpha by design; the average of sqrt(n) D over
    // 20 keys checks the whole distribution instead (its standard error is about 0.06).
    for (const dtype of ['float32', 'float64'] as const) {
      let total = 0;
      for (let s = 0; s < 20; s++) total += ks(random.uniform(random.key(100 + s), [20000], { dtype }).dataSync(), (v) => v) * Math.sqrt(20000);
      expect(Math.abs(total / 20 - 0.8687)).toBeLessThan(0.2);
    }
  });
  it('float64: 53 random bits, range [minval, maxval), KS against the exact CDF', () => {
    const u = random.uniform(random.key(11), [N], { dtype: 'float64' }).dataSync();
    // About half the samples use the 53rd bit (odd multiples of 2^-53).
    const odd = u.filter((v) => (v * 2 ** 53) % 2 === 1).length / N;
    expect(Math.abs(odd - 0.5)).toBeLessThan(0.01);
    const x = random.uniform(random.key(11), [N], { minval: -2, maxval: 3, dtype: 'float64' });
    expect(x.dtype).toBe('float64');
    const d = x.dataSync();
    expect(d.every((v) => v >= -2 && v < 3)).toBe(true);
    const m = moments(d);
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(m.var - 25 / 12)).toBeLessThan(0.05);
    expect(ks(d, (v) => Math.min(Math.max((v + 2) / 5, 0), 1))).toBeLessThan(KS_CRIT);
  });
  it('never returns maxval, even where float32 rounding would reach it', () => {
    const x = random.uniform(random.key(12), [N], { minval: 1e6, maxval: 1e6 + 1 }).dataSync();
    expect(x.every((v) => v >= 1e6 && v < 1e6 + 1)).toBe(true);
  });
});

describe('normal, truncatedNormal, gumbel', () => {
  it('normal float32 and float64: moments and KS against Phi', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = random.normal(random.key(20), [N], { dtype });
      expect(x.dtype).toBe(dtype);
      const d = x.dataSync();
      const m = moments(d);
      expect(Math.abs(m.mean)).toBeLessThan(0.015);
      expect(Math.abs(m.var - 1)).toBeLessThan(0.02);
      expect(Math.abs(m.skew)).toBeLessThan(0.04);
      expect(ks(d, phi)).toBeLessThan(KS_CRIT);
    }
  });
  it('normal with mean and std', () => {
    const d = random.normal(random.key(21), [N], { mean: 3, std: 0.5, dtype: 'float64' }).dataSync();
    const m = moments(d);
    expect(Math.abs(m.mean - 3)).toBeLessThan(0.008);
    expect(Math.abs(m.var - 0.25)).toBeLessThan(0.005);
    expect(ks(d, (v) => phi((v - 3) / 0.5))).toBeLessThan(KS_CRIT);
  });
  it('truncatedNormal: KS against the truncated CDF, inside the bounds, accurate in the tails', () => {
    const cases: [number, number][] = [[-1, 2], [5, 6], [-8, -7.5], [-Infinity, -3], [1, Infinity]];
    for (const [a, b] of cases) {
      const d = random.truncatedNormal(random.key(22), a, b, [N], { dtype: 'float64' }).dataSync();
      expect(d.every((v) => v > a && v < b)).toBe(true);
      // Tail CDFs from the side where they keep relative precision.
      const cdf = a >= 0 ? (v: number) => (phi(-a) - phi(-v)) / (phi(-a) - phi(-b)) : (v: number) => (phi(v) - phi(a)) / (phi(b) - phi(a));
      expect(ks(d, cdf)).toBeLessThan(KS_CRIT);
    }
    const f = random.truncatedNormal(random.key(23), -2, 2, [N]);
    expect(f.dtype).toBe('float32');
    expect(f.dataSync().every((v) => v > -2 && v < 2)).toBe(true);
    // Float32 samples stay strictly inside even when the bounds are not float32 numbers.
    expect(random.truncatedNormal(random.key(24), 0.1, 0.1000001, [1000]).dataSync().every((v) => v > 0.1 && v < 0.1000001)).toBe(true);
  });
  it('gumbel: KS against exp(-exp(-x)) and mean = Euler-Mascheroni', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const d = random.gumbel(random.key(25), [N], { dtype }).dataSync();
      expect(Math.abs(moments(d).mean - 0.5772156649)).toBeLessThan(0.02);
      expect(ks(d, (x) => Math.exp(-Math.exp(-x)))).toBeLessThan(KS_CRIT);
    }
  });
});

describe('discrete samplers', () => {
  it('bernoulli with a scalar p and with broadcast tensor probabilities', () => {
    const b = random.bernoulli(random.key(30), 0.3, [N]);
    expect(b.dtype).toBe('bool');
    const mean = Array.from(b.dataSync()).reduce((s, v) => s + v, 0) / N;
    expect(Math.abs(mean - 0.3)).toBeLessThan(0.006);
    expect(random.bernoulli(random.key(30), 0, [100]).dataSync().every((v) => v === 0)).toBe(true);
    expect(random.bernoulli(random.key(30), 1, [100]).dataSync().every((v) => v === 1)).toBe(true);
    const p = tensor([0, 1, 0.5]);
    const t = random.bernoulli(random.key(31), p, [20000, 3]);
    expect(t.shape).toEqual([20000, 3]);
    const col = [0, 0, 0];
    t.dataSync().forEach((v, i) => (col[i % 3]! += v));
    expect(col[0]).toBe(0);
    expect(col[1]).toBe(20000);
    expect(Math.abs(col[2]! / 20000 - 0.5)).toBeLessThan(0.015);
    expect(random.bernoulli(random.key(31), p).shape).toEqual([3]);
  });
  it('categorical: frequencies match softmax(logits), -Infinity never drawn, batches and axis', () => {
    const probs = [0.1, 0.2, 0.3, 0.4, 0];
    const logits = tensor(probs.map(Math.log));
    const s = random.categorical(random.key(40), logits, { shape: [N] });
    expect(s.dtype).toBe('int32');
    expect(s.shape).toEqual([N]);
    const counts = [0, 0, 0, 0, 0];
    for (const v of s.dataSync()) counts[v]!++;
    probs.forEach((p, i) => expect(Math.abs(counts[i]! / N - p)).toBeLessThan(0.006));
    expect(counts[4]).toBe(0);
    // Batch of two distributions along axis 0 of a [4, 2] logits tensor.
    const batch = tensor([[0, Math.log(11)], [0, -Infinity], [0, 0], [0, 0]], { dtype: 'float64' });
    const draws = random.categorical(random.key(41), batch, { axis: 0, shape: [20000, 2] });
    expect(draws.shape).toEqual([20000, 2]);
    const first = [0, 0, 0, 0];
    const second = [0, 0, 0, 0];
    draws.dataSync().forEach((v, i) => ((i % 2 ? second : first)[v]! += 1));
    // Column 0 has weights [1, 1, 1, 1]; column 1 has weights [11, 0, 1, 1].
    first.forEach((c) => expect(Math.abs(c / 20000 - 0.25)).toBeLessThan(0.015));
    expect(second[1]).toBe(0);
    expect(Math.abs(second[0]! / 20000 - 11 / 13)).toBeLessThan(0.015);
    expect(random.categorical(random.key(42), tensor([[0, 1, 2], [2, 1, 0]])).shape).toEqual([2]);
  });
  it('randint: range, uniform frequencies, large spans, span 1', () => {
    const x = random.randint(random.key(50), [N], -3, 5);
    expect(x.dtype).toBe('int32');
    const counts = new Array<number>(8).fill(0);
    const d = x.dataSync();
    expect(d.every((v) => v >= -3 && v < 5)).toBe(true);
    for (const v of d) counts[v + 3]!++;
    counts.forEach((c) => expect(Math.abs(c / N - 1 / 8)).toBeLessThan(0.006));
    const wide = random.randint(random.key(51), [N], -(2 ** 31), 2 ** 31).dataSync();
    const m = moments(wide);
    expect(Math.abs(m.mean / 2 ** 31)).toBeLessThan(0.01);
    expect(ks(Array.from(wide, (v) => (v + 2 ** 31) / 2 ** 32), (v) => v)).toBeLessThan(KS_CRIT);
    expect(random.randint(random.key(52), [10], 7, 8).dataSync().every((v) => v === 7)).toBe(true);
  });
  it('permutation: valid permutations of every size, uniform over 3! orders, and of tensor rows', () => {
    for (const n of [0, 1, 2, 10, 2000]) {
      const p = random.permutation(random.key(n), n);
      expect(p.dtype).toBe('int32');
      expect(Array.from(p.dataSync()).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    const counts = new Map<string, number>();
    const base = random.key(60);
    for (let i = 0; i < 6000; i++) {
      const key = values(random.permutation(random.foldIn(base, i), 3)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
    const m = tensor([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]], { dtype: 'float64' });
    const rows = random.permutation(random.key(61), m);
    expect(rows.shape).toEqual([5, 2]);
    const r = rows.toArray() as number[][];
    expect(r.map((row) => row[0]).sort()).toEqual([0, 1, 2, 3, 4]);
    r.forEach((row) => expect(row[0]).toBe(row[1]));
    const cols = random.permutation(random.key(61), m.T, { axis: 1 }).T;
    expect(cols.toArray()).toEqual(r);
    // Differentiable in the permuted tensor (a gather): d/dm sum(w * perm(m)) = unpermuted w.
    const w = tensor([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]], { dtype: 'float64' });
    const g = grad((t: Tensor) => sum(mul(random.permutation(random.key(61), t), w)))(m) as Tensor;
    const idx = r.map((row) => row[0]!);
    const want = [0, 1, 2, 3, 4].map((i) => [2 * idx.indexOf(i) + 1, 2 * idx.indexOf(i) + 2]);
    expect(g.toArray()).toEqual(want);
  });
});

describe('random bad input', () => {
  const k = random.key(0);
  const expectErr = (f: () => unknown, cls: typeof DifflabError, re: RegExp) => {
    expect(f).toThrow(cls);
    expect(f).toThrow(re);
  };
  it('rejects things that are not keys', () => {
    expectErr(() => random.uniform(tensor([0, 0]), [2]), DTypeError, /random.uniform: key must be an int32 tensor .* float32 of shape \[2\]/);
    expectErr(() => random.normal(tensor([1, 2, 3], { dtype: 'int32' })), ShapeError, /random.normal: key must have shape \[2\], got \[3\]/);
    expectErr(() => random.normal(random.split(k, 3)), ShapeError, /got \[3, 2\]; pick one key of a split/);
    expectErr(() => random.split([0, 0] as unknown as Tensor), ValueError, /random.split: key must be a key Tensor/);
    expectErr(() => random.key(1.5), ValueError, /random.key: seed must be an integer/);
    expectErr(() => random.key(-(2 ** 40)), ValueError, /random.key/);
    expectErr(() => random.split(k, -1), ValueError, /random.split: number of keys/);
    expectErr(() => random.foldIn(k, -3), ValueError, /random.foldIn: data/);
  });
  it('rejects bad shapes, ranges, probabilities and dtypes', () => {
    expectErr(() => random.uniform(k, [2, -1]), ValueError, /random.uniform: invalid shape \[2, -1\]/);
    expectErr(() => random.normal(k, [1.5]), ValueError, /random.normal: invalid shape/);
    expectErr(() => random.uniform(k, [2], { minval: 1, maxval: 1 }), ValueError, /random.uniform: need finite minval < maxval/);
    expectErr(() => random.uniform(k, [2], { minval: 2, maxval: 1 }), ValueError, /minval=2, maxval=1/);
    expectErr(() => random.uniform(k, [2], { maxval: Infinity }), ValueError, /random.uniform/);
    expectErr(() => random.uniform(k, [2], { minval: 1, maxval: 1 + 1e-12 }), ValueError, /round to the same float32/);
    expectErr(() => random.uniform(k, [2], { dtype: 'int32' as never }), DTypeError, /random.uniform: dtype must be float32 or float64/);
    expectErr(() => random.normal(k, [2], { std: -1 }), ValueError, /random.normal: .*std=-1/);
    expectErr(() => random.bernoulli(k, 1.5, [2]), ValueError, /random.bernoulli: p must lie in \[0, 1\], got 1.5/);
    expectErr(() => random.bernoulli(k, -0.1), ValueError, /random.bernoulli/);
    expectErr(() => random.bernoulli(k, tensor([0.5, 2])), ValueError, /probabilities must lie in \[0, 1\], got 2 in p of shape \[2\]/);
    expectErr(() => random.bernoulli(k, tensor([0.5, 0.5]), [3]), ShapeError, /p of shape \[2\] does not broadcast to shape \[3\]/);
    expectErr(() => random.randint(k, [2], 5, 5), ValueError, /random.randint: need minval < maxval, got minval=5, maxval=5/);
    expectErr(() => random.randint(k, [2], 0, 2.5), ValueError, /random.randint: maxval must be an integer/);
    expectErr(() => random.randint(k, [2], 0, 2 ** 40), ValueError, /int32 range/);
    expectErr(() => random.truncatedNormal(k, 1, -1), ValueError, /random.truncatedNormal: need lower < upper/);
    expectErr(() => random.truncatedNormal(k, 50, 60), ValueError, /no representable probability mass/);
    expectErr(() => random.permutation(k, -1), ValueError, /random.permutation: x must be a non-negative integer/);
    expectErr(() => random.permutation(k, tensor(3)), ShapeError, /random.permutation: x must be at least 1-D/);
    expectErr(() => random.categorical(k, tensor([1, 2], { dtype: 'int32' })), DTypeError, /random.categorical: logits must be float32 or float64/);
    expectErr(() => random.categorical(k, tensor([[1, 2], [3, 4]]), { shape: [3] }), ShapeError, /shape \[3\] is not compatible with the batch shape \[2\]/);
    expectErr(() => random.gumbel(k, [-2]), ValueError, /random.gumbel: invalid shape/);
  });
});
