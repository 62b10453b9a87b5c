import { DTypeError, fmtShape, fromTypedArray, type Tensor } from '@difflab/tensor';

/** Applies a scalar host function elementwise; the result keeps the shape and float dtype of `x`. */
export function mapHost(op: string, x: Tensor, f: (v: number) => number): Tensor {
  if (x.dtype !== 'float64' && x.dtype !== 'float32')
    throw new DTypeError(`${op}: expected a float tensor, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
  const src = x.dataSync();
  const out = x.dtype === 'float64' ? new Float64Array(src.length) : new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]!);
  return fromTypedArray(out, x.shape, { dtype: x.dtype, device: x.device });
}
