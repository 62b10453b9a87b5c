/**
 * Complex DFT plans on the host, in float64 with split real/imaginary arrays.
 *
 * Powers of two use an iterative radix-2 (Cooley-Tukey, decimation in time) transform; every
 * other length uses Bluestein's chirp-z algorithm, which rewrites the DFT as a circular
 * convolution of power-of-two length M >= 2n - 1 and so costs O(n log n) for any n (primes too).
 * Plans only compute the forward transform `X_k = sum_j x_j exp(-2 pi i jk / n)`; the inverse is
 * `conj(DFT(conj(x)))`, so one twiddle table serves both directions.
 */

export interface FFTPlan {
  readonly n: number;
  /** In-place forward DFT of `re`/`im` (length >= n; only the first n entries are used). */
  forward(re: Float64Array, im: Float64Array): void;
}

function isPow2(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

class Radix2Plan implements FFTPlan {
  readonly n: number;
  private readonly rev: Uint32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(n: number) {
    this.n = n;
    const bits = Math.round(Math.log2(n));
    this.rev = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0, v = i; b < bits; b++, v >>>= 1) r = (r << 1) | (v & 1);
      this.rev[i] = r;
    }
    // Twiddles evaluated directly (not by recurrence) so each carries only one rounding error.
    const half = n >>> 1;
    this.cos = new Float64Array(half);
    this.sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      const a = (-2 * Math.PI * k) / n;
      this.cos[k] = Math.cos(a);
      this.sin[k] = Math.sin(a);
    }
  }

  forward(re: Float64Array, im: Float64Array): void {
    const { n, rev, cos, sin } = this;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >>> 1;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let k = 0, t = 0; k < half; k++, t += step) {
          const wr = cos[t]!;
          const wi = sin[t]!;
          const a = start + k;
          const b = a + half;
          const br = re[b]! * wr - im[b]! * wi;
          const bi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - br;
          im[b] = im[a]! - bi;
          re[a] = re[a]! + br;
          im[a] = im[a]! + bi;
        }
      }
    }
  }
}

class BluesteinPlan implements FFTPlan {
  readonly n: number;
  private readonly m: number;
  private readonly inner: Radix2Plan;
  /** Chirp w_k = exp(-i pi k^2 / n). */
  private readonly wr: Float64Array;
  private readonly wi: Float64Array;
  /** DFT of the conjugate chirp filter (length m), scaled by 1/m for the inverse pass. */
  private readonly br: Float64Array;
  private readonly bi: Float64Array;
  private readonly tr: Float64Array;
  private readonly ti: Float64Array;

  constructor(n: number) {
    this.n = n;
    let m = 1;
    while (m < 2 * n - 1) m <<= 1;
    this.m = m;
    this.inner = new Radix2Plan(m);
    this.wr = new Float64Array(n);
    this.wi = new Float64Array(n);
    // k^2 mod 2n keeps the angle small, so the chirp stays accurate for large k.
    for (let k = 0; k < n; k++) {
      const a = (-Math.PI * ((k * k) % (2 * n))) / n;
      this.wr[k] = Math.cos(a);
      this.wi[k] = Math.sin(a);
    }
    this.br = new Float64Array(m);
    this.bi = new Float64Array(m);
    this.br[0] = this.wr[0]!;
    this.bi[0] = -this.wi[0]!;
    for (let k = 1; k < n; k++) {
      this.br[k] = this.br[m - k] = this.wr[k]!;
      this.bi[k] = this.bi[m - k] = -this.wi[k]!;
    }
    this.inner.forward(this.br, this.bi);
    for (let k = 0; k < m; k++) {
      this.br[k]! /= m;
      this.bi[k]! /= m;
    }
    this.tr = new Float64Array(m);
    this.ti = new Float64Array(m);
  }

  forward(re: Float64Array, im: Float64Array): void {
    const { n, m, wr, wi, br, bi, tr, ti } = this;
    for (let k = 0; k < n; k++) {
      tr[k] = re[k]! * wr[k]! - im[k]! * wi[k]!;
      ti[k] = re[k]! * wi[k]! + im[k]! * wr[k]!;
    }
    tr.fill(0, n);
    ti.fill(0, n);
    this.inner.forward(tr, ti);
    // Pointwise product, then the inverse DFT as conj(DFT(conj(.))): conjugating the product here
    // and the result below.
    for (let k = 0; k < m; k++) {
      const r = tr[k]! * br[k]! - ti[k]! * bi[k]!;
      const i = tr[k]! * bi[k]! + ti[k]! * br[k]!;
      tr[k] = r;
      ti[k] = -i;
    }
    this.inner.forward(tr, ti);
    for (let k = 0; k < n; k++) {
      const cr = tr[k]!;
      const ci = -ti[k]!;
      re[k] = cr * wr[k]! - ci * wi[k]!;
      im[k] = cr * wi[k]! + ci * wr[k]!;
    }
  }
}

class TrivialPlan implements FFTPlan {
  readonly n = 1;
  forward(): void {}
}

const cache = new Map<number, FFTPlan>();
const CACHE_LIMIT = 64;

/** A (cached) forward DFT plan for length `n >= 1`. */
export function planFor(n: number): FFTPlan {
  let plan = cache.get(n);
  if (plan) {
    // Refresh recency so the most used lengths survive eviction.
    cache.delete(n);
    cache.set(n, plan);
    return plan;
  }
  plan = n === 1 ? new TrivialPlan() : isPow2(n) ? new Radix2Plan(n) : new BluesteinPlan(n);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(n, plan);
  return plan;
}
