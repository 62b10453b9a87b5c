import { record } from '../autodiff/graph.js';
import { getBackend, hasBackend } from '../backend/registry.js';
import { assertDType, isDType, isFloat, type DType } from '../dtype.js';
import { DeviceError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { backendOf, fromStorage } from './core.js';

/** Converts dtype (float -> int truncates toward zero). Gradients flow between float dtypes only. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (!isDType(dtype)) assertDType(`cast (tensor of shape ${fmtShape(x.shape)})`, dtype);
  if (x.dtype === dtype) return x;
  const out = fromStorage(backendOf(x).copy(x, dtype), x.shape, dtype);
  if (!isFloat(dtype) || !isFloat(x.dtype)) return out;
  return record(out, 'cast', [x], (g) => [cast(g, x.dtype)]);
}

/** Copies to another device (`'cpu'`, `'webgpu'`); differentiable (the gradient moves back). */
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

/** Device transfer that also works from devices without synchronous reads (webgpu -> cpu). */
export async function toAsync(x: Tensor, device: string): Promise<Tensor> {
  if (x.device === device) return x;
  const target = getBackend(device, 'toAsync');
  const host = await backendOf(x).read(x);
  const out = fromStorage(target.fromHost(host, x.dtype), x.shape, x.dtype);
  return record(out, 'to', [x], (g) => [to(g, x.device)]);
}
