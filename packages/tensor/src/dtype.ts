import { DTypeError } from './errors.js';

/**
 * Element types: `float32` (default), `float64`, `int32`, `bool` (stored as bytes).
 *
 * float64 is there for finite-difference checks and ill-conditioned linear algebra (GPs); the
 * WebGPU device has no float64 and throws `DTypeError` for it. Mixed dtypes promote as in {@link promoteTypes}.
 *
 * @example
 * ```ts
 * import { zeros, type DType } from '@difflab/tensor';
 * const dt: DType = 'float64';
 * zeros([2], { dtype: dt }).dtype; // => 'float64'
 * ```
 */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';
/**
 * Host arrays backing each dtype: Float32Array, Float64Array, Int32Array, Uint8Array (bool).
 *
 * @example
 * ```ts
 * import { tensor, type TypedArray } from '@difflab/tensor';
 * const values: TypedArray = tensor([1, 2], { dtype: 'int32' }).dataSync();
 * values instanceof Int32Array; // => true
 * ```
 */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

export function isDType(x: unknown): x is DType {
  return typeof x === 'string' && (DTYPES as readonly string[]).includes(x);
}

export function assertDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype)) throw new DTypeError(`${op}: unknown dtype ${String(dtype)} (expected one of ${DTYPES.join(', ')})`);
  return dtype;
}

/**
 * True for `float32` and `float64`: the dtypes gradients flow through.
 *
 * @param dtype - The dtype to test.
 * @returns Whether `dtype` is a floating-point type.
 *
 * @example
 * ```ts
 * import { isFloat } from '@difflab/tensor';
 * isFloat('float64'); // => true
 * isFloat('int32'); // => false
 * ```
 */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * NumPy/PyTorch-style promotion between two tensor dtypes: the wider of the two in the order
 * bool < int32 < float32 < float64 (`torch.promote_types`).
 *
 * Plain JS numbers next to a tensor do not take part: they adopt the tensor's dtype (weak scalar
 * typing, as in JAX and PyTorch), so `x.mul(2)` keeps a float32 `x` in float32.
 *
 * @param a - First dtype.
 * @param b - Second dtype.
 * @returns The dtype an elementwise op on `a` and `b` computes in.
 *
 * @example
 * ```ts
 * import { promoteTypes } from '@difflab/tensor';
 * promoteTypes('int32', 'float32'); // => 'float32'
 * promoteTypes('float32', 'float64'); // => 'float64'
 * ```
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Float dtype an op on `dtype` should compute in (ints and bools become float32). */
export function floatTypeOf(dtype: DType): DType {
  return isFloat(dtype) ? dtype : 'float32';
}

export function typedArrayFor(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

export function dtypeOfTypedArray(a: ArrayLike<number>): DType | undefined {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return undefined;
}

/** Converts a JS number to the value a dtype stores (truncation for int32, 0/1 for bool). */
export function castScalar(x: number, dtype: DType): number {
  switch (dtype) {
    case 'int32':
      return x | 0;
    case 'bool':
      return x ? 1 : 0;
    case 'float32':
      return Math.fround(x);
    default:
      return x;
  }
}
