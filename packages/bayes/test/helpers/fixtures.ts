import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  kernelProduct,
  kernelSum,
  linear,
  matern12,
  matern32,
  matern52,
  periodic,
  polynomial,
  rationalQuadratic,
  rbf,
  type Kernel,
} from '../../src/index.js';

export const fixtures = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/bayes.json', import.meta.url)), 'utf8'),
);

/** Builds a difflab kernel from the JSON spec written by scripts/fixtures/bayes.py. */
export function kernelFromSpec(spec: any): Kernel {
  const fix = (v: any) => (v === undefined ? undefined : { value: v, bounds: [1e-5, 1e5] as [number, number] });
  switch (spec.type) {
    case 'rbf':
      return rbf({ lengthscale: fix(spec.lengthscale), variance: fix(spec.variance), ard: spec.ard });
    case 'matern12':
      return matern12({ lengthscale: fix(spec.lengthscale), variance: fix(spec.variance), ard: spec.ard });
    case 'matern32':
      return matern32({ lengthscale: fix(spec.lengthscale), variance: fix(spec.variance), ard: spec.ard });
    case 'matern52':
      return matern52({ lengthscale: fix(spec.lengthscale), variance: fix(spec.variance), ard: spec.ard });
    case 'rationalQuadratic':
      return rationalQuadratic({
        lengthscale: fix(spec.lengthscale),
        variance: fix(spec.variance),
        alpha: fix(spec.alpha),
      });
    case 'periodic':
      return periodic({ lengthscale: fix(spec.lengthscale), variance: fix(spec.variance), period: fix(spec.period) });
    case 'linear':
      return linear({ variance: fix(spec.variance) });
    case 'polynomial':
      return polynomial({ power: spec.power, offset: fix(spec.offset), variance: fix(spec.variance) });
    case 'sum':
      return kernelSum(...spec.terms.map(kernelFromSpec));
    case 'product':
      return kernelProduct(...spec.terms.map(kernelFromSpec));
    default:
      throw new Error(`unknown kernel ${spec.type}`);
  }
}

/**
 * sklearn theta entry → [difflab hyperparameter name, d log(ours)/d log(theirs)]. Lengthscale
 * vectors occupy consecutive theta entries.
 */
export const THETA_MAP: Record<string, [string, number][]> = {
  k1__constant_value: [['variance', 1]],
  k2__length_scale: [['lengthscale', 1]],
  k2__alpha: [['alpha', 1]],
  k2__periodicity: [['period', 1]],
  k2__kernel__sigma_0: [['offset', 2]],
};
export const THETA_MAP_COMPOSITE: Record<string, Record<string, string>> = {
  sum_rbf_matern32: {
    k1__k1__constant_value: '0.variance',
    k1__k2__length_scale: '0.lengthscale',
    k2__k1__constant_value: '1.variance',
    k2__k2__length_scale: '1.lengthscale',
  },
  product_rbf_periodic: {
    k1__k1__constant_value: '0.variance',
    k1__k2__length_scale: '0.lengthscale',
    k2__length_scale: '1.lengthscale',
    k2__periodicity: '1.period',
  },
};
