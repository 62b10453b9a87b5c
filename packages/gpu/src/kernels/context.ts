import type { DType, View } from '@difflab/tensor';
import type { Runtime } from '../runtime.js';

/** A materialised strided view: what non-elementwise kernels read. */
export interface DeviceView {
  buffer: GPUBuffer;
  dtype: DType;
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
}

/** What a kernel needs from the backend: the runtime, inputs as buffers and fresh output buffers. */
export interface KernelContext {
  rt: Runtime;
  /** Materialises the view's array (running any pending fused kernel) and returns its buffer view. */
  input(v: View): DeviceView;
  /** A new device buffer for `n` elements (contents undefined). */
  output(n: number): GPUBuffer;
  /** Returns a scratch buffer obtained from {@link output}. */
  scratch(buf: GPUBuffer): void;
}
