/**
 * Typed errors. Every error thrown by difflab derives from {@link DifflabError}
 * so callers can catch library failures separately from their own bugs.
 */
export class DifflabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Incompatible or invalid shapes (broadcasting, matmul, reshape, …). */
export class ShapeError extends DifflabError {}
/** An op received a dtype it does not support, or two dtypes that cannot be mixed. */
export class DTypeError extends DifflabError {}
/** Tensors on different devices were mixed, or a device is unknown / unavailable. */
export class DeviceError extends DifflabError {}
/** An axis argument is out of range or repeated. */
export class AxisError extends DifflabError {}
/** An argument value is invalid (NaN hyper-parameter, negative size, empty data, …). */
export class ValueError extends DifflabError {}
/** Misuse of the autodiff API (grad of a non-scalar, integer inputs, …). */
export class GradError extends DifflabError {}
/** A disposed tensor was used. */
export class DisposedError extends DifflabError {}
/** A numerical algorithm failed (matrix not positive definite, no convergence, …). */
export class LinAlgError extends DifflabError {}

/** Formats a shape for error messages: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
