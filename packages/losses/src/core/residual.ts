import { sub, type Tensor } from '@difflab/tensor';
import { requireFloat, requireSameShape } from './validate.js';

/** Residual input - target after the shared checks of the regression losses. */
export function residual(op: string, input: Tensor, target: Tensor): Tensor {
  requireFloat(op, 'input', input);
  requireFloat(op, 'target', target);
  requireSameShape(op, ['input', 'target'], input, target);
  return sub(input, target);
}
