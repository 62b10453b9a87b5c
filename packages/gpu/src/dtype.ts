import { DTypeError, type DType, type TypedArray } from '@difflab/tensor';

/** WGSL element type a dtype is stored as: bool is a u32 holding 0 or 1 (WGSL has no 8-bit storage). */
export type WgslType = 'f32' | 'i32' | 'u32';

/** The WGSL literal for zero of a storage type (untyped `0` would be an abstract int, wrong for f32/u32 vars). */
export const wgslZero = (t: WgslType): string => (t === 'f32' ? '0.0' : t === 'i32' ? '0' : '0u');

export function wgslType(dtype: DType, op = 'webgpu'): WgslType {
  switch (dtype) {
    case 'float32':
      return 'f32';
    case 'int32':
      return 'i32';
    case 'bool':
      return 'u32';
    default:
      throw float64Error(op, dtype);
  }
}

/** WGSL has no f64, so float64 data never reaches the device. */
export function float64Error(op: string, dtype: string, detail = ''): DTypeError {
  return new DTypeError(
    `${op}: dtype ${dtype} is not supported on the webgpu device (WGSL has no 64-bit floats)${detail}; ` +
      `cast with .astype('float32') first or keep the tensor on the CPU`,
  );
}

export function assertGpuDType(op: string, dtype: DType, detail = ''): void {
  if (dtype === 'float64') throw float64Error(op, dtype, detail);
}

/** Every device element is 4 bytes (f32, i32 or u32). */
export const ELEM_BYTES = 4;

/** Host data in the layout the device stores: bool bytes widen to u32. */
export function toDeviceArray(data: TypedArray, dtype: DType): Float32Array | Int32Array | Uint32Array {
  if (dtype === 'bool')
    return data instanceof Uint32Array ? data : Uint32Array.from(data as ArrayLike<number>, (v) => (v ? 1 : 0));
  if (dtype === 'int32') return data instanceof Int32Array ? data : Int32Array.from(data as ArrayLike<number>);
  return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
}

/** Device bytes back to the host TypedArray of `dtype` (u32 bools narrow to bytes). */
export function fromDeviceBytes(bytes: ArrayBuffer, n: number, dtype: DType): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(bytes, 0, n).slice();
    case 'int32':
      return new Int32Array(bytes, 0, n).slice();
    case 'bool':
      return Uint8Array.from(new Uint32Array(bytes, 0, n));
    default:
      throw float64Error('read', dtype);
  }
}
