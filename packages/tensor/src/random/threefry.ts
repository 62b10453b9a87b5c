/**
 * Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011), the counter-based hash behind JAX's default PRNG. It maps a 64-bit key and a 64-bit
 * counter to 64 pseudo-random bits; everything in `random` is built from it on the host with 32-bit
 * additions, rotations and xors only, so every backend and
 * platform sees the same numbers.
 */

const ROT_A = [13, 15, 26, 6] as const;
const ROT_B = [17, 29, 16, 24] as const;
const PARITY = 0x1bd11bda;

/** Four rounds of add-rotate-xor on (x0, x1). */
function rounds(x: Int32Array, rot: readonly number[]): void {
  let a = x[0]!;
  let b = x[1]!;
  for (const r of rot) {
    a = (a + b) | 0;
    b = (b << r) | (b >>> (32 - r));
    b ^= a;
  }
  x[0] = a;
  x[1] = b;
}

/**
 * Hashes the counter `(c0, c1)` under the key `(k0, k1)` into `out[0..1]` (int32 bit patterns;
 * read them with `>>> 0` for the unsigned value).
 */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number, out: Int32Array): void {
  const ks0 = k0 | 0;
  const ks1 = k1 | 0;
  const ks2 = ks0 ^ ks1 ^ PARITY;
  out[0] = (c0 + ks0) | 0;
  out[1] = (c1 + ks1) | 0;
  rounds(out, ROT_A);
  out[0] = (out[0]! + ks1) | 0;
  out[1] = (out[1]! + ks2 + 1) | 0;
  rounds(out, ROT_B);
  out[0] = (out[0]! + ks2) | 0;
  out[1] = (out[1]! + ks0 + 2) | 0;
  rounds(out, ROT_A);
  out[0] = (out[0]! + ks0) | 0;
  out[1] = (out[1]! + ks1 + 3) | 0;
  rounds(out, ROT_B);
  out[0] = (out[0]! + ks1) | 0;
  out[1] = (out[1]! + ks2 + 4) | 0;
  rounds(out, ROT_A);
  out[0] = (out[0]! + ks2) | 0;
  out[1] = (out[1]! + ks0 + 5) | 0;
}

export type KeyWords = readonly [number, number];

/**
 * The two output words for the counters `0 .. count-1` (the 64-bit counter `i` split into high
 * and low 32-bit halves), as in JAX's partitionable Threefry: element `i` of any sample depends
 * only on the key and `i`.
 */
export function counterWords(key: KeyWords, count: number): { hi: Uint32Array; lo: Uint32Array } {
  const hi = new Uint32Array(count);
  const lo = new Uint32Array(count);
  const tmp = new Int32Array(2);
  const [k0, k1] = key;
  for (let i = 0; i < count; i++) {
    threefry2x32(k0, k1, Math.floor(i / 4294967296), i % 4294967296, tmp);
    hi[i] = tmp[0]!;
    lo[i] = tmp[1]!;
  }
  return { hi, lo };
}

/** 32 random bits per element: the xor of the two words (JAX's 32-bit `random.bits`). */
export function bits32(key: KeyWords, count: number): Uint32Array {
  const { hi, lo } = counterWords(key, count);
  for (let i = 0; i < count; i++) hi[i] = hi[i]! ^ lo[i]!;
  return hi;
}

/** The `i`-th child key: the hash of counter `i` (JAX's `fold_in`, and row `i` of `split`). */
export function childKey(key: KeyWords, i: number): [number, number] {
  const tmp = new Int32Array(2);
  threefry2x32(key[0], key[1], Math.floor(i / 4294967296), i % 4294967296, tmp);
  return [tmp[0]!, tmp[1]!];
}
