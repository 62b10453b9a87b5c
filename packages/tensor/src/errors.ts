/**
 * Base class of every error difflab throws, so callers can catch library failures separately from
 * their own bugs; its `name` is the concrete subclass name.
 *
 * Messages name the op and the shapes involved (`matmul: inner dimensions differ: [2, 3] @ [2, 3]`),
 * so a caught error is usually enough to locate the bad call.
 *
 * @example
 * ```ts
 * import { DifflabError, ones, matmul } from '@difflab/tensor';
 * let caught: unknown;
 * try {
 *   matmul(ones([2, 3]), ones([2, 3]));
 * } catch (e) {
 *   caught = e;
 * }
 * caught instanceof DifflabError; // => true
 * (caught as Error).name; // => 'ShapeError'
 * ```
 */
export class DifflabError extends Error {
  /**
   * @param message - Human-readable description; by convention it starts with the op name.
   */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Incompatible or invalid shapes (broadcasting, matmul, reshape, …).
 *
 * @example
 * ```ts
 * import { ShapeError, ones, add } from '@difflab/tensor';
 * add(ones([2]), ones([3])); // throws ShapeError
 * const e = new ShapeError('myOp: expected [2], got [3]');
 * e.name; // => 'ShapeError'
 * ```
 */
export class ShapeError extends DifflabError {}
/**
 * An op received a dtype it does not support, or two dtypes that cannot be mixed.
 *
 * @example
 * ```ts
 * import { DTypeError, tensor, where } from '@difflab/tensor';
 * where(tensor([1, 0]), 1, 2); // throws DTypeError
 * ```
 */
export class DTypeError extends DifflabError {}
/**
 * Tensors on different devices were mixed, or a device is unknown / unavailable.
 *
 * @example
 * ```ts
 * import { DeviceError, ones } from '@difflab/tensor';
 * ones([2], { device: 'no-such-device' }); // throws DeviceError
 * ```
 */
export class DeviceError extends DifflabError {}
/**
 * An axis argument is out of range or repeated.
 *
 * @example
 * ```ts
 * import { AxisError, ones, sum } from '@difflab/tensor';
 * sum(ones([2, 3]), 2); // throws AxisError
 * ```
 */
export class AxisError extends DifflabError {}
/**
 * An argument value is invalid (NaN hyper-parameter, negative size, empty data, …).
 *
 * @example
 * ```ts
 * import { ValueError, zeros } from '@difflab/tensor';
 * zeros([-1]); // throws ValueError
 * ```
 */
export class ValueError extends DifflabError {}
/**
 * Misuse of the autodiff API (grad of a non-scalar, integer inputs, …).
 *
 * @example
 * ```ts
 * import { GradError, grad, tensor, type Tensor } from '@difflab/tensor';
 * grad((x: Tensor) => x.mul(2))(tensor([1, 2])); // throws GradError
 * ```
 */
export class GradError extends DifflabError {}
/**
 * A disposed tensor was used.
 *
 * @example
 * ```ts
 * import { DisposedError, ones } from '@difflab/tensor';
 * const x = ones([2]);
 * x.dispose();
 * x.add(1); // throws DisposedError
 * ```
 */
export class DisposedError extends DifflabError {}
/**
 * A numerical algorithm failed (matrix not positive definite, no convergence, …).
 *
 * @example
 * ```ts
 * import { LinAlgError, tensor, linalg } from '@difflab/tensor';
 * linalg.cholesky(tensor([[1, 2], [2, 1]])); // throws LinAlgError
 * ```
 */
export class LinAlgError extends DifflabError {}

/**
 * Formats a shape for error messages: `[2, 3]`.
 *
 * Exported so that code built on difflab can raise errors that read like the library's own.
 *
 * @param shape - Size of each axis.
 * @returns The sizes, comma-separated in brackets; `[]` for a scalar.
 *
 * @example
 * ```ts
 * import { fmtShape, ShapeError } from '@difflab/tensor';
 * fmtShape([2, 3]); // => '[2, 3]'
 * const err = new ShapeError(`myOp: expected a matrix, got ${fmtShape([4])}`);
 * ```
 */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
