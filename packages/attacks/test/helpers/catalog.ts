import type { Tensor } from '@difflab/tensor';
import * as A from '../../src/index.js';
import type { Bounds, Model } from '../../src/index.js';

export type Budget = { norm: 'linf' | 'l2' | 'l1' | 'l0'; eps: number };

export interface CatalogEntry {
  name: string;
  /** Needs image-shaped inputs [N, 1, 8, 8]. */
  images?: boolean;
  budget: Budget;
  run: (model: Model, x: Tensor, y: Tensor, bounds: Bounds) => Tensor;
}

/** Every attack with cheap settings and the budget its output must respect (eps on the 8x8 digits scale). */
export function catalog(scale = 1): CatalogEntry[] {
  const e = 0.1 * scale;
  const e2 = 1.0 * scale;
  const linf = { norm: 'linf', eps: e } as const;
  return [
    { name: 'fgsm', budget: linf, run: (m, x, y, bounds) => A.fgsm(m, x, y, { eps: e, bounds }) },
    { name: 'ffgsm', budget: linf, run: (m, x, y, bounds) => A.ffgsm(m, x, y, { eps: e, bounds, key: 1 }) },
    { name: 'rfgsm', budget: linf, run: (m, x, y, bounds) => A.rfgsm(m, x, y, { eps: e, bounds, key: 1 }) },
    { name: 'bim', budget: linf, run: (m, x, y, bounds) => A.bim(m, x, y, { eps: e, bounds, steps: 5 }) },
    { name: 'pgd', budget: linf, run: (m, x, y, bounds) => A.pgd(m, x, y, { eps: e, bounds, steps: 5, restarts: 2 }) },
    {
      name: 'pgd-l2',
      budget: { norm: 'l2', eps: e2 },
      run: (m, x, y, bounds) => A.pgd(m, x, y, { eps: e2, norm: 'l2', bounds, steps: 5 }),
    },
    {
      name: 'pgd-l1',
      budget: { norm: 'l1', eps: 4 * e2 },
      run: (m, x, y, bounds) => A.pgd(m, x, y, { eps: 4 * e2, norm: 'l1', bounds, steps: 5 }),
    },
    { name: 'mifgsm', budget: linf, run: (m, x, y, bounds) => A.mifgsm(m, x, y, { eps: e, bounds, steps: 5 }) },
    { name: 'nifgsm', budget: linf, run: (m, x, y, bounds) => A.nifgsm(m, x, y, { eps: e, bounds, steps: 5 }) },
    {
      name: 'difgsm',
      images: true,
      budget: linf,
      run: (m, x, y, bounds) => A.difgsm(m, x, y, { eps: e, bounds, steps: 5 }),
    },
    {
      name: 'tifgsm',
      images: true,
      budget: linf,
      run: (m, x, y, bounds) => A.tifgsm(m, x, y, { eps: e, bounds, steps: 5, kernelSize: 3 }),
    },
    {
      name: 'vmifgsm',
      budget: linf,
      run: (m, x, y, bounds) => A.vmifgsm(m, x, y, { eps: e, bounds, steps: 3, samples: 3 }),
    },
    {
      name: 'eotPgd',
      budget: linf,
      run: (m, x, y, bounds) => A.eotPgd(m, x, y, { eps: e, bounds, steps: 3, eotSamples: 2 }),
    },
    {
      name: 'cw',
      budget: { norm: 'l2', eps: e2 },
      run: (m, x, y, bounds) => A.cw(m, x, y, { eps: e2, bounds, steps: 20, binarySearchSteps: 2, lr: 0.05 }),
    },
    {
      name: 'deepfool',
      budget: { norm: 'l2', eps: e2 },
      run: (m, x, y, bounds) => A.deepfool(m, x, y, { eps: e2, bounds }),
    },
    { name: 'apgd-ce', budget: linf, run: (m, x, y, bounds) => A.apgd(m, x, y, { eps: e, bounds, steps: 10 }) },
    {
      name: 'apgd-dlr-l2',
      budget: { norm: 'l2', eps: e2 },
      run: (m, x, y, bounds) => A.apgd(m, x, y, { eps: e2, norm: 'l2', loss: 'dlr', bounds, steps: 10 }),
    },
    {
      name: 'apgd-t',
      budget: linf,
      run: (m, x, y, bounds) => A.apgdTargeted(m, x, y, { eps: e, bounds, steps: 5, numTargets: 2 }),
    },
    { name: 'fab', budget: linf, run: (m, x, y, bounds) => A.fab(m, x, y, { eps: e, bounds, steps: 5, restarts: 2 }) },
    {
      name: 'fab-l1',
      budget: { norm: 'l1', eps: 4 * e2 },
      run: (m, x, y, bounds) => A.fab(m, x, y, { eps: 4 * e2, norm: 'l1', bounds, steps: 5 }),
    },
    { name: 'jsma', budget: { norm: 'l0', eps: 6 }, run: (m, x, y, bounds) => A.jsma(m, x, y, { gamma: 0.1, bounds }) },
    {
      name: 'square',
      images: true,
      budget: linf,
      run: (m, x, y, bounds) => A.square(m, x, y, { eps: e, bounds, queries: 30 }),
    },
    {
      name: 'square-l2',
      images: true,
      budget: { norm: 'l2', eps: e2 },
      run: (m, x, y, bounds) => A.square(m, x, y, { eps: e2, norm: 'l2', bounds, queries: 30 }),
    },
    { name: 'spsa', budget: linf, run: (m, x, y, bounds) => A.spsa(m, x, y, { eps: e, bounds, steps: 3, samples: 4 }) },
    {
      name: 'nes',
      budget: linf,
      run: (m, x, y, bounds) => A.nes(m, x, y, { eps: e, bounds, steps: 3, samples: 4, randomStart: true }),
    },
    {
      name: 'onePixel',
      images: true,
      budget: { norm: 'l0', eps: 2 },
      run: (m, x, y, bounds) => A.onePixel(m, x, y, { pixels: 2, bounds, popSize: 10, generations: 3 }),
    },
    {
      name: 'hopSkipJump',
      budget: { norm: 'l2', eps: e2 },
      run: (m, x, y, bounds) => A.hopSkipJump(m, x, y, { eps: e2, bounds, iterations: 2, initEvals: 10 }),
    },
    {
      name: 'autoAttack',
      budget: linf,
      run: (m, x, y, bounds) => A.autoAttack(m, x, y, { eps: e, bounds, steps: 5, numTargets: 2, squareQueries: 10 }),
    },
  ];
}
