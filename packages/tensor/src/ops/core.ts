import { getBackend, getDefaultDevice } from '../backend/registry.js';
import type { Backend, Storage } from '../backend/types.js';
import { castScalar, promoteTypes, typedArrayFor, type DType } from '../dtype.js';
import { DTypeError, DeviceError, DisposedError, ValueError, fmtShape } from '../errors.js';
import { contiguousStrides } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';

/** Wraps a fresh contiguous storage as a tensor. */
export function fromStorage(storage: Storage, shape: readonly number[], dtype: DType = storage.dtype): Tensor {
  return new Tensor(storage, shape.slice(), contiguousStrides(shape), 0, dtype);
}

/** A new view sharing `x`'s storage (no autodiff record). */
export function viewOf(x: Tensor, shape: readonly number[], strides: readonly number[], offset: number): Tensor {
  return new Tensor(x.storage, shape.slice(), strides.slice(), offset, x.dtype);
}

export function backendOf(x: Tensor): Backend {
  return x.storage.backend;
}

export function scalarTensor(value: number, dtype: DType, device: string): Tensor {
  return fromStorage(getBackend(device).fill([], value, dtype), [], dtype);
}

/** dtype a JS number takes next to a tensor of `other` (weak scalar typing, as in JAX/PyTorch). */
function scalarDType(v: number | boolean, other: DType | undefined): DType {
  if (typeof v === 'boolean') return other ?? 'bool';
  if (other === undefined) return Number.isInteger(v) ? 'int32' : 'float32';
  if (other === 'bool') return Number.isInteger(v) ? 'int32' : 'float32';
  if (other === 'int32' && !Number.isInteger(v)) return 'float32';
  return other;
}

/** Converts operands to tensors on one device; numbers adopt the other operand's dtype. */
export function asTensors(op: string, ...xs: TensorLike[]): Tensor[] {
  const ts = xs.filter((x): x is Tensor => x instanceof Tensor);
  for (const t of ts)
    if (t.isDisposed) throw new DisposedError(`${op}: an input of shape ${fmtShape(t.shape)} was used after dispose()`);
  let device: string | undefined;
  for (const t of ts) {
    if (device === undefined) device = t.device;
    else if (t.device !== device)
      throw new DeviceError(`${op}: tensors are on different devices (${ts.map((u) => `${u.device} ${fmtShape(u.shape)}`).join(', ')}); move them with .to()`);
  }
  const dev = device ?? getDefaultDevice();
  let dt: DType | undefined;
  for (const t of ts) dt = dt === undefined ? t.dtype : promoteTypes(dt, t.dtype);
  return xs.map((x) => {
    if (x instanceof Tensor) return x;
    if (typeof x !== 'number' && typeof x !== 'boolean')
      throw new ValueError(`${op}: expected a Tensor or a number, got ${x === null ? 'null' : typeof x}`);
    const d = scalarDType(x, dt);
    return scalarTensor(castScalar(Number(x), d), d, dev);
  });
}

export function asTensor(op: string, x: TensorLike): Tensor {
  return asTensors(op, x)[0]!;
}

export function requireFloat(op: string, x: Tensor): void {
  if (x.dtype !== 'float32' && x.dtype !== 'float64')
    throw new DTypeError(`${op}: expected a float32 or float64 tensor, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
}

export function hostArray(dtype: DType, n: number) {
  return typedArrayFor(dtype, n);
}
