import { describe, it } from 'vitest';
import { checkCase, gradcheckCase, hasGradient, opCases } from './ops-fixture.js';

/**
 * Registers the fixture checks for one group of scripts/fixtures/ops.py: forward values and
 * autograd gradients against PyTorch in float32 and float64, and a float64 finite-difference
 * check of every differentiable case.
 */
export function fixtureSuite(group: string): void {
  const cases = opCases(group);
  describe(`${group} ops vs PyTorch (${cases.length} cases)`, () => {
    it('has cases', () => {
      if (cases.length === 0) throw new Error(`no fixture cases for group '${group}'`);
    });
    for (const c of cases) {
      describe(c.name, () => {
        it('float64 forward and gradient (1e-10)', () => checkCase(c, 'float64'));
        it('float32 forward and gradient (1e-5)', () => checkCase(c, 'float32'));
        if (hasGradient(c)) it('float64 finite differences', () => gradcheckCase(c));
      });
    }
  });
}
