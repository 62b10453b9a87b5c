import { describe, expect, it } from 'vitest';
import { sleb, uleb } from '../src/backend/wasm/emit.js';
import { moduleBytes, resetModuleCache } from '../src/backend/wasm/module.js';

/*
 * The in-repo WebAssembly emitter: LEB128 encodings against known byte sequences (from the
 * WebAssembly spec's examples), and the generated kernel module validates in both memory variants
 * and is byte-for-byte deterministic (nothing depends on the environment that generates it).
 */

describe('wasm emitter', () => {
  it('encodes LEB128 like the spec', () => {
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(0)).toEqual([0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('generates a valid, deterministic kernel module with and without shared memory', () => {
    const plain = moduleBytes(false);
    const shared = moduleBytes(true);
    expect(WebAssembly.validate(plain)).toBe(true);
    expect(WebAssembly.validate(shared)).toBe(true);
    expect(Array.from(plain.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0]);
    resetModuleCache();
    expect(Buffer.from(moduleBytes(false)).equals(Buffer.from(plain))).toBe(true);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(plain)).map((e) => e.name);
    expect(exports).toEqual(expect.arrayContaining(['gemm_f32', 'gemm_f64', 'micro_f32', 'packA_f64']));
  });
});
