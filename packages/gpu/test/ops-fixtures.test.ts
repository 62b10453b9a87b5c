import { beforeAll, describe, it } from 'vitest';
import { hasGradient, opCases } from '../../tensor/test/helpers/ops-fixture.js';
import { checkCaseOnGpu, checkSecondOrderOnGpu } from './helpers/fixture-gpu.js';
import { gpu } from './helpers/setup.js';

beforeAll(gpu);

for (const group of ['unary', 'binary', 'compare', 'select', 'reduce', 'shape', 'matmul']) {
  const cases = opCases(group);
  describe(`${group} ops on webgpu vs PyTorch float32 (${cases.length} cases)`, () => {
    for (const c of cases) {
      it(`${c.name}: forward and gradient`, () => checkCaseOnGpu(c));
      if (hasGradient(c)) it(`${c.name}: grad-of-grad matches the CPU`, () => checkSecondOrderOnGpu(c));
    }
  });
}
