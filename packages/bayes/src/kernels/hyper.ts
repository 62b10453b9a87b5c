import { ValueError } from '@difflab/tensor';
import type { Prior } from './priors.js';

/**
 * How a hyperparameter is given: a number (initial value; a number array for per-dimension
 * values), or an object with the initial `value`, hard `bounds` (the fit never leaves them),
 * `fixed: true` to exclude it from fitting, and a `prior` (turns the fit into MAP estimation).
 *
 * @example
 * ```ts
 * import { rbf, gammaPrior, type HyperOption } from '@difflab/bayes';
 * const fixed: HyperOption = { value: 1, fixed: true };
 * const learned: HyperOption = { value: 0.5, bounds: [1e-2, 10], prior: gammaPrior(3, 6) };
 * const k = rbf({ lengthscale: learned, variance: fixed });
 * const ard = rbf({ lengthscale: [0.5, 2] }); // one initial value per dimension
 * ```
 */
export type HyperOption =
  | number
  | readonly number[]
  | {
      /** Initial (or fixed) value; an array gives one value per dimension. */
      value?: number | readonly number[];
      /** Hard `[lower, upper]` box of the fit (positive). */
      bounds?: readonly [number, number];
      /** Exclude from fitting. Default false. */
      fixed?: boolean;
      /** Prior whose log density is added to the marginal likelihood (MAP fit). */
      prior?: Prior;
    };

/**
 * A hyperparameter resolved for a given input dimension: positive values, bounds, flags.
 *
 * @example
 * ```ts
 * import { matern52, type HyperSpec } from '@difflab/bayes';
 * const spec: HyperSpec = matern52({ lengthscale: 0.3 }).hypers(2).lengthscale!;
 * spec.value; // Float64Array [0.3]
 * spec.bounds; // [1e-5, 1e5]
 * ```
 */
export interface HyperSpec {
  /** Initial (or fixed) positive values, one per entry. */
  value: Float64Array;
  /** Hard box the fit keeps the value in. */
  bounds: [number, number];
  /** Excluded from fitting. */
  fixed: boolean;
  /** Log-prior added to the marginal likelihood (MAP fit). */
  prior?: Prior;
}

/**
 * Resolved hyperparameters of a kernel (or a GP), keyed by dotted names such as `0.lengthscale`.
 *
 * @example
 * ```ts
 * import { rbf, type HyperSpecs } from '@difflab/bayes';
 * const specs: HyperSpecs = rbf({ ard: true }).hypers(3);
 * specs.lengthscale!.value.length; // 3
 * ```
 */
export type HyperSpecs = Record<string, HyperSpec>;

/**
 * Plain numeric hyperparameter values, keyed like {@link HyperSpecs}.
 *
 * @example
 * ```ts
 * import { fitGP, type HyperValues } from '@difflab/bayes';
 * const gp = fitGP([[0], [0.5], [1]], [0, 1, 0]);
 * const h: HyperValues = gp.hyperparameters; // { lengthscale: [...], variance: [...], noise: [...] }
 * const refit = fitGP([[0], [0.5], [1], [0.75]], [0, 1, 0, 0.7], { warmStart: h });
 * ```
 */
export type HyperValues = Record<string, number[]>;

export function resolveHyper(
  op: string,
  name: string,
  opt: HyperOption | undefined,
  defaults: { value: number; bounds: readonly [number, number] },
  size: number,
): HyperSpec {
  const o =
    typeof opt === 'number' || Array.isArray(opt)
      ? { value: opt as number | readonly number[] }
      : ((opt ?? {}) as Exclude<HyperOption, number | readonly number[]>);
  const bounds: [number, number] = [o.bounds?.[0] ?? defaults.bounds[0], o.bounds?.[1] ?? defaults.bounds[1]];
  if (!(bounds[0] > 0) || !(bounds[1] >= bounds[0]) || !Number.isFinite(bounds[1]))
    throw new ValueError(
      `${op}: ${name} bounds must satisfy 0 < lower <= upper < Infinity, got [${bounds[0]}, ${bounds[1]}]`,
    );
  const raw = o.value ?? defaults.value;
  let value: Float64Array;
  if (typeof raw === 'number') value = new Float64Array(size).fill(raw);
  else {
    if (raw.length !== size) throw new ValueError(`${op}: ${name} has ${raw.length} values but ${size} are needed`);
    value = Float64Array.from(raw);
  }
  for (const v of value)
    if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be positive and finite, got ${v}`);
  const fixed = o.fixed ?? false;
  if (!fixed)
    for (const v of value)
      if (v < bounds[0] || v > bounds[1])
        throw new ValueError(`${op}: initial ${name} ${v} lies outside its bounds [${bounds[0]}, ${bounds[1]}]`);
  return { value, bounds, fixed, prior: o.prior };
}

export function prefixSpecs(prefix: string, specs: HyperSpecs): HyperSpecs {
  const out: HyperSpecs = {};
  for (const [k, v] of Object.entries(specs)) out[`${prefix}.${k}`] = v;
  return out;
}
