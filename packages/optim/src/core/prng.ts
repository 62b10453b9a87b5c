/**
 * A small seeded pseudo-random generator (sfc32 seeded through splitmix32) for the methods
 * here that need randomness (derivative-free search, random probe vectors, random directions).
 *
 * Same seed, same stream on every platform. It is independent of @difflab/tensor's `random`
 * module so that host-side search loops need no device round trips.
 *
 * @example
 * ```ts
 * import { createRng, type Rng } from '@difflab/optim';
 * const rng: Rng = createRng(0);
 * const u = rng.uniform(); // in [0, 1)
 * const k = rng.int(10); // integer in [0, 10)
 * ```
 */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** +1 or -1 with equal probability. */
  rademacher(): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates an {@link Rng} seeded by one or more integers.
 *
 * Several seeds give independent streams, e.g. `createRng(seed, step)` for a per-step stream.
 *
 * @param seed - Finite numbers (fractional parts are dropped).
 * @returns A fresh generator.
 * @throws {RangeError} when a seed is not finite.
 *
 * @example
 * ```ts
 * import { createRng } from '@difflab/optim';
 * const a = createRng(42, 0).normal();
 * const b = createRng(42, 0).normal();
 * a === b; // true: same seeds, same stream
 * ```
 */
export function createRng(...seed: number[]): Rng {
  let h = 0x12345678;
  for (const s of seed) {
    if (!Number.isFinite(s)) throw new RangeError(`createRng: seed must be finite, got ${s}`);
    h = splitmix32(h ^ (Math.floor(s) >>> 0) ^ Math.floor(s / 4294967296))();
  }
  const sm = splitmix32(h);
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  const next32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next32();
  let spare: number | null = null;
  // 53 random bits: 27 from one draw, 26 from the next.
  const uniform = () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
  return {
    uniform,
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n: number) => Math.floor(uniform() * n),
    rademacher: () => (next32() & 1 ? 1 : -1),
  };
}
