import { ShapeError, ValueError, abs, fmtShape, sub, type Tensor } from '@difflab/tensor';
import { checkFiniteNumber, requireFloat } from '../core/validate.js';

/**
 * Options of {@link flooding}.
 *
 * @example
 * ```ts
 * import type { FloodingOptions } from '@difflab/losses';
 * const o: FloodingOptions = { level: 0.05 };
 * ```
 */
export interface FloodingOptions {
  /** Flood level b: the training loss is kept from going below it. Required. */
  level: number;
}

/**
 * Flooding (Ishida et al., "Do We Need Zero Training Loss After Achieving Zero Training Error?",
 * ICML 2020, eq. 2): |L - b| + b. Identical to L above the flood level b; below it the gradient is
 * reversed, so the optimiser random-walks around L = b. Wraps an already reduced scalar loss.
 *
 * @param loss - A scalar loss.
 * @param opts - See {@link FloodingOptions}; `level` is required.
 * @returns `|loss - level| + level`, a scalar.
 * @throws {ShapeError} for a non-scalar loss.
 * @throws {ValueError} for a missing or negative level.
 *
 * @example
 * ```ts
 * import { tensor } from '@difflab/tensor';
 * import { flooding } from '@difflab/losses';
 * flooding(tensor(0.3), { level: 0.1 }).item(); // 0.3: unchanged above the level
 * flooding(tensor(0.02), { level: 0.1 }).item(); // 0.18: reflected below it
 * ```
 */
export function flooding(loss: Tensor, opts: FloodingOptions): Tensor {
  const op = 'flooding';
  requireFloat(op, 'loss', loss);
  if (loss.size !== 1)
    throw new ShapeError(`${op}: expects a reduced scalar loss (the batch mean), got shape ${fmtShape(loss.shape)}`);
  if (!opts || opts.level === undefined) throw new ValueError(`${op}: opts.level (the flood level b) is required`);
  checkFiniteNumber(op, 'level', opts.level);
  return abs(sub(loss, opts.level)).add(opts.level);
}
