import type { WgslType } from '../dtype.js';

/**
 * Every kernel reads its parameters (sizes, strides, offsets, scalars) from one uniform at binding 0,
 * declared as vec4 words because uniform arrays need a 16-byte stride; `mu`/`mi`/`mf` read word k as
 * u32 / i32 / f32.
 */
export function metaDecl(words: number): string {
  const n = Math.max(1, Math.ceil(words / 4));
  return `struct Meta { v: array<vec4<u32>, ${n}> }
@group(0) @binding(0) var<uniform> M: Meta;
fn mu(k: u32) -> u32 { return M.v[k >> 2u][k & 3u]; }
fn mi(k: u32) -> i32 { return bitcast<i32>(M.v[k >> 2u][k & 3u]); }
fn mf(k: u32) -> f32 { return bitcast<f32>(M.v[k >> 2u][k & 3u]); }`;
}

export function storageDecl(
  binding: number,
  name: string,
  type: WgslType | `atomic<${WgslType}>`,
  write: boolean,
): string {
  return `@group(0) @binding(${binding}) var<storage, ${write ? 'read_write' : 'read'}> ${name}: array<${type}>;`;
}

/** Entry point over a 1-D index space folded into a 2-D grid of workgroups of `wg` threads. */
export function mainHeader(wg: number): string {
  return `@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let gi = (wid.x + wid.y * nwg.x) * ${wg}u + lid;`;
}

/** Meta words for host numbers: i32 and f32 values are stored by their bit patterns. */
export class MetaWriter {
  readonly words: number[] = [];
  private readonly f32 = new Float32Array(1);
  private readonly u32 = new Uint32Array(this.f32.buffer);

  u(v: number): number {
    this.words.push(v >>> 0);
    return this.words.length - 1;
  }
  i(v: number): number {
    this.words.push((v | 0) >>> 0);
    return this.words.length - 1;
  }
  f(v: number): number {
    this.f32[0] = v;
    this.words.push(this.u32[0]!);
    return this.words.length - 1;
  }
  /** A scalar of the given device type. */
  scalar(v: number, t: WgslType): number {
    return t === 'f32' ? this.f(v) : t === 'i32' ? this.i(v) : this.u(v ? 1 : 0);
  }
}

/** Reads meta word k as type t. */
export function metaRead(k: number, t: WgslType): string {
  return t === 'f32' ? `mf(${k}u)` : t === 'i32' ? `mi(${k}u)` : `mu(${k}u)`;
}
