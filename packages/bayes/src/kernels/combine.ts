import { ValueError, add, mul, type Tensor } from '@difflab/tensor';
import { prefixSpecs, type HyperSpecs } from './hyper.js';
import { subHypers, type HyperTensors, type Kernel, type SpectralTerm } from './kernel.js';

/** Adds `plus`/`times` to a kernel description. */
export function withAlgebra(k: Omit<Kernel, 'plus' | 'times'>): Kernel {
  const full: Kernel = {
    ...k,
    plus: (other: Kernel) => kernelSum(full, other),
    times: (other: Kernel) => kernelProduct(full, other),
  };
  return Object.freeze(full);
}

function composite(kind: 'sum' | 'product', terms: Kernel[]): Kernel {
  if (terms.length < 1) throw new ValueError(`kernel${kind === 'sum' ? 'Sum' : 'Product'}: needs at least one kernel`);
  if (terms.length === 1) return terms[0]!;
  const combine = kind === 'sum' ? add : mul;
  const reduce = (parts: Tensor[]) => parts.reduce((acc, p) => combine(acc, p));
  return withAlgebra({
    kind: `${kind}(${terms.map((t) => t.kind).join(', ')})`,
    hypers(d: number): HyperSpecs {
      return Object.assign({}, ...terms.map((t, i) => prefixSpecs(String(i), t.hypers(d))));
    },
    cov: (a, b, h) => reduce(terms.map((t, i) => t.cov(a, b, subHypers(h, String(i))))),
    diag: (a, h) => reduce(terms.map((t, i) => t.diag(a, subHypers(h, String(i))))),
    spectral:
      kind === 'sum'
        ? (h: HyperTensors) => {
            const out: SpectralTerm[] = [];
            for (let i = 0; i < terms.length; i++) {
              const s = terms[i]!.spectral?.(subHypers(h, String(i)));
              if (!s) return null;
              out.push(...s);
            }
            return out;
          }
        : undefined,
  });
}

/**
 * Sum of kernels. Hyperparameters of term `i` are named `i.<name>` (e.g. `0.lengthscale`,
 * `1.variance`); sums of stationary kernels keep random-Fourier-feature support.
 *
 * The same as `a.plus(b)`; GPyTorch's `AdditiveKernel`.
 *
 * @param kernels - the terms (at least one).
 * @returns The sum kernel.
 * @throws {ValueError} when no kernel is given.
 *
 * @example
 * ```ts
 * import { kernelSum, rbf, linear, fitGP } from '@difflab/bayes';
 * const k = kernelSum(rbf(), linear()); // a smooth trend plus a linear one
 * Object.keys(k.hypers(1)); // ['0.lengthscale', '0.variance', '1.variance']
 * const gp = fitGP([[0], [1], [2], [3]], [0.1, 1.2, 1.9, 3.2], { kernel: k });
 * ```
 */
export function kernelSum(...kernels: Kernel[]): Kernel {
  return composite('sum', kernels);
}

/**
 * Product of kernels (named like {@link kernelSum}). Each factor carries its own output scale,
 * which is redundant in a product: fix all but one (`variance: {value: 1, fixed: true}`).
 *
 * The same as `a.times(b)`; GPyTorch's `ProductKernel`.
 *
 * @param kernels - the factors (at least one).
 * @returns The product kernel.
 * @throws {ValueError} when no kernel is given.
 *
 * @example
 * ```ts
 * import { kernelProduct, rbf, periodic } from '@difflab/bayes';
 * // A locally periodic kernel; the second factor's output scale is fixed because it is redundant.
 * const k = kernelProduct(rbf({ lengthscale: 5 }), periodic({ period: 1, variance: { value: 1, fixed: true } }));
 * ```
 */
export function kernelProduct(...kernels: Kernel[]): Kernel {
  return composite('product', kernels);
}
