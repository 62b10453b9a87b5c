import { record } from '../autodiff/graph.js';
import { getBackend, hasBackend } from '../backend/registry.js';
import { assertDType, isDType, isFloat, type DType } from '../dtype.js';
import { DeviceError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { backendOf, fromStorage } from './core.js';

/**
 * Converts dtype (float → int truncates toward zero; to bool, non-zero → true). Gradients flow
 * between float dtypes only; casts to or from int/bool are constants for autodiff.
 *
 * Returns `x` itself when it already has `dtype`. Same as `x.astype(dtype)`.
 *
 * @param x - Input tensor.
 * @param dtype - Target element type.
 * @returns A tensor of `dtype` with the same shape and device.
 * @throws {DTypeError} for an unknown dtype.
 *
 * @example
 * ```ts
 * import { cast, tensor } from '@difflab/tensor';
 * cast(tensor([1.7, -1.7]), 'int32').toArray(); // => [1, -1]
 * cast(tensor([2, 0]), 'bool').toArray(); // => [true, false]
 * cast(tensor([1]), 'float64').dtype; // => 'float64'
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (!isDType(dtype)) assertDType(`cast (tensor of shape ${fmtShape(x.shape)})`, dtype);
  if (x.dtype === dtype) return x;
  const out = fromStorage(backendOf(x).copy(x, dtype), x.shape, dtype);
  if (!isFloat(dtype) || !isFloat(x.dtype)) return out;
  return record(out, 'cast', [x], (g) => [cast(g, x.dtype)]);
}

/**
 * Copies to another device (`'cpu'`, `'webgpu'`); differentiable (the gradient moves back).
 *
 * Returns `x` itself when it is already there. Same as `x.to(device)`.
 *
 * @param x - Input tensor.
 * @param device - Name of a registered device.
 * @returns The tensor on `device`.
 * @throws {DeviceError} for an unknown device, or when `x`'s device cannot be read synchronously
 *   (use {@link toAsync}).
 *
 * @example
 * ```ts
 * import { to, tensor, DeviceError } from '@difflab/tensor';
 * to(tensor([1, 2]), 'cpu').device; // => 'cpu'
 * to(tensor([1, 2]), 'tpu'); // throws DeviceError
 * ```
 */
export function to(x: Tensor, device: string): Tensor {
  if (x.device === device) return x;
  if (!hasBackend(device)) getBackend(device, `to (tensor of shape ${fmtShape(x.shape)} on '${x.device}')`);
  const target = getBackend(device, 'to');
  const host = backendOf(x).readSync?.(x);
  if (!host)
    throw new DeviceError(`to: device '${x.device}' cannot be read synchronously; use await toAsync(t, '${device}')`);
  const out = fromStorage(target.fromHost(host, x.dtype), x.shape, x.dtype);
  return record(out, 'to', [x], (g) => [to(g, x.device)]);
}

/**
 * Device transfer that also works from devices without synchronous reads (webgpu → cpu).
 *
 * Differentiable like {@link to}.
 *
 * @param x - Input tensor.
 * @param device - Name of a registered device.
 * @returns A promise of the tensor on `device`.
 * @throws {DeviceError} for an unknown device.
 *
 * @example
 * ```ts
 * import { toAsync, tensor } from '@difflab/tensor';
 * const y = await toAsync(tensor([1, 2]), 'cpu');
 * y.toArray(); // => [1, 2]
 * ```
 */
export async function toAsync(x: Tensor, device: string): Promise<Tensor> {
  if (x.device === device) return x;
  const target = getBackend(device, 'toAsync');
  const host = await backendOf(x).read(x);
  const out = fromStorage(target.fromHost(host, x.dtype), x.shape, x.dtype);
  return record(out, 'to', [x], (g) => [to(g, x.device)]);
}
