import { getDefaultDevice } from '../backend/registry.js';
import { assertDType, type DType } from '../dtype.js';
import { DTypeError, DeviceError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { fromTypedArray } from '../ops/creation.js';
import { assertValidShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { KeyWords } from './threefry.js';

/**
 * Reads a key tensor (int32, shape [2], made by `random.key` / `random.split`) as two words.
 * Batches of keys (`[n, 2]`) are rejected with a hint, so a split result is never used by accident.
 */
export function keyWords(op: string, key: unknown): KeyWords {
  if (!(key instanceof Tensor))
    throw new ValueError(`${op}: key must be a key Tensor from random.key(seed) or random.split(key), got ${key === null ? 'null' : typeof key}`);
  if (key.dtype !== 'int32')
    throw new DTypeError(`${op}: key must be an int32 tensor of shape [2] from random.key(seed), got ${key.dtype} of shape ${fmtShape(key.shape)}`);
  if (key.ndim !== 1 || key.shape[0] !== 2) {
    const hint = key.ndim === 2 && key.shape[1] === 2 ? '; pick one key of a split with keys.slice(i) or use random.splitN' : '';
    throw new ShapeError(`${op}: key must have shape [2], got ${fmtShape(key.shape)}${hint}`);
  }
  const read = key.storage.backend.readSync;
  if (!read) throw new DeviceError(`${op}: key lives on '${key.device}', which cannot be read synchronously; keep keys on the CPU`);
  const d = key.dataSync();
  return [d[0]! | 0, d[1]! | 0];
}

/** A key tensor (always on the CPU: keys are tiny and read by the host generator). */
export function keyTensor(words: readonly [number, number]): Tensor {
  return fromTypedArray(Int32Array.from(words), [2], { dtype: 'int32', device: 'cpu' });
}

export function sampleShape(op: string, shape: unknown): number[] {
  return assertValidShape(op, shape);
}

export function floatDType(op: string, dtype: unknown): 'float32' | 'float64' {
  const d: DType = assertDType(op, dtype ?? 'float32');
  if (d !== 'float32' && d !== 'float64') throw new DTypeError(`${op}: dtype must be float32 or float64, got ${d}`);
  return d;
}

export function finiteNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ValueError(`${op}: ${name} must be a number, got ${String(v)}`);
  return v;
}

/** Output device: the option, else the default device. */
export function deviceOf(opts: { device?: string }): string {
  return opts.device ?? getDefaultDevice();
}
