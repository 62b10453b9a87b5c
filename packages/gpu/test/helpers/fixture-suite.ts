import { describe, it } from 'vitest';
import { hasGradient, opCases } from '../../../tensor/test/helpers/ops-fixture.js';
import { checkCaseOnGpu, checkSecondOrderOnGpu } from './fixture-gpu.js';

/**
 * The tensor package's PyTorch op fixtures (scripts/fixtures/ops.py) for `groups`, run with every
 * tensor on webgpu: float32 forward values and autograd gradients against torch, and for each
 * differentiable case a grad-of-grad (Hessian-vector product) against the CPU backend.
 */
export function fixtureSuiteOnGpu(groups: string[]): void {
  for (const group of groups) {
    const cases = opCases(group);
    describe(`${group} ops on webgpu vs PyTorch float32 (${cases.length} cases)`, () => {
      it('has cases', () => {
        if (cases.length === 0) throw new Error(`no fixture cases for group '${group}'`);
      });
      for (const c of cases) {
        it(`${c.name}: forward and gradient`, () => checkCaseOnGpu(c));
        if (hasGradient(c)) it(`${c.name}: grad-of-grad matches the CPU`, () => checkSecondOrderOnGpu(c));
      }
    });
  }
}
