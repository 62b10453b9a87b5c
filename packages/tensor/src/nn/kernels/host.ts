import type { Backend, Storage, View } from '../../backend/types.js';
import { CpuBackend } from '../../backend/cpu/index.js';
import { typedArrayFor, type TypedArray } from '../../dtype.js';
import { contiguousStrides } from '../../shape.js';
import { col2imHost, im2colHost, type HostView } from './im2col.js';
import { wasmCol2im, wasmIm2col } from '../../backend/wasm/unfold.js';
import type { Im2colGeometry } from './types.js';

/**
 * The host view of `v`: a host-memory backend's own array with the view's strides (no copy), or a
 * contiguous synchronous read-back for a device that can only be read.
 */
function hostView(backend: Backend, v: View): HostView {
  const data = v.storage.data;
  if (ArrayBuffer.isView(data)) return { data: data as TypedArray, offset: v.offset, strides: v.strides };
  return { data: backend.readSync!(v), offset: 0, strides: contiguousStrides(v.shape) };
}

function upload(backend: Backend, out: TypedArray, v: View): Storage {
  // The CPU backend can adopt the array; others get a copy.
  return backend instanceof CpuBackend ? backend.wrap(out, v.dtype) : backend.fromHost(out, v.dtype);
}

/** Host im2col for any synchronously readable backend (the CPU path of `nn.unfold`). */
export function unfoldOnHost(backend: Backend, x: View, g: Im2colGeometry): Storage {
  const [n, c] = x.shape as [number, number];
  const out = typedArrayFor(x.dtype, n * c * g.kernel[0] * g.kernel[1] * g.outputSize[0] * g.outputSize[1]);
  const onHost = backend instanceof CpuBackend && ArrayBuffer.isView(x.storage.data);
  if (!(onHost && wasmIm2col(x, g, out as Float32Array))) im2colHost(hostView(backend, x), n, c, g, out);
  return upload(backend, out, x);
}

/** Host col2im for any synchronously readable backend (the CPU path of `nn.fold`). */
export function foldOnHost(backend: Backend, cols: View, g: Im2colGeometry): Storage {
  const n = cols.shape[0]!;
  const c = cols.shape[1]! / (g.kernel[0] * g.kernel[1]);
  const out = typedArrayFor(cols.dtype, n * c * g.inputSize[0] * g.inputSize[1]);
  const onHost = backend instanceof CpuBackend && ArrayBuffer.isView(cols.storage.data);
  if (!(onHost && wasmCol2im(cols, c, g, out as Float32Array))) col2imHost(hostView(backend, cols), n, c, g, out);
  return upload(backend, out, cols);
}
