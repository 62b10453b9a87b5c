import type { DType } from '../dtype.js';
import { DeviceError } from '../errors.js';
import { backendOf } from '../ops/core.js';
import type { Storage } from '../backend/types.js';
import type { Tensor } from '../tensor.js';
import type { LinalgKernel, LinalgKernelName } from './kernels/types.js';

export interface LinalgCall {
  op: string;
  kernel: LinalgKernelName;
  inputs: readonly Tensor[];
  opts?: Readonly<Record<string, unknown>>;
  /** dtype of every output. */
  dtype: DType;
  /** Host computation on float64 copies of the inputs (free to overwrite); returns float64 outputs. */
  host: (data: Float64Array[]) => Float64Array[];
}

/**
 * Runs a linalg kernel on the inputs' device when it provides one, else on the host: inputs are
 * read synchronously, computed in float64 (also for float32 tensors, for accuracy) and uploaded
 * back in the requested dtype.
 */
export function runLinalg(call: LinalgCall): Storage[] {
  const backend = backendOf(call.inputs[0]!);
  const device = backend.kernels?.[call.kernel] as LinalgKernel | undefined;
  if (device)
    return device(
      call.inputs.map((t) => t.view),
      call.opts ?? {},
    );
  const read = backend.readSync?.bind(backend);
  if (!read)
    throw new DeviceError(
      `${call.op}: device '${backend.name}' has no '${call.kernel}' kernel and cannot be read synchronously; move the operands to the CPU with .to('cpu')`,
    );
  const data = call.inputs.map((t) => {
    const v = read(t);
    return v instanceof Float64Array ? v : Float64Array.from(v);
  });
  return call.host(data).map((o) => backend.fromHost(call.dtype === 'float64' ? o : Float32Array.from(o), call.dtype));
}
