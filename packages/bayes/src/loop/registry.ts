import { ValueError } from '@difflab/tensor';
import {
  expectedImprovement,
  logExpectedImprovement,
  probabilityOfImprovement,
  upperConfidenceBound,
} from '../acquisition/analytic.js';
import { knowledgeGradient } from '../acquisition/knowledge-gradient.js';
import { maxValueEntropy } from '../acquisition/max-value-entropy.js';
import {
  noisyExpectedImprovement,
  qExpectedImprovement,
  qNoisyExpectedImprovement,
  qUpperConfidenceBound,
} from '../acquisition/monte-carlo.js';
import { thompsonSampling } from '../acquisition/thompson.js';
import type { AcquisitionFunction } from '../acquisition/types.js';
import { sobol } from '../design/sobol.js';
import { latinHypercube } from '../design/lhs.js';
import { GaussianProcess } from '../gp/gp.js';
import type { Surrogate } from '../gp/surrogate.js';

/**
 * Built-in acquisition names accepted by `bayesOpt` / `BayesOptimizer`.
 *
 * @example
 * ```ts
 * import { bayesOpt, type AcquisitionName } from '@difflab/bayes';
 * const acquisition: AcquisitionName = 'ucb';
 * await bayesOpt({ objective: ([x]) => Math.sin(5 * x!), bounds: [[0, 1]], budget: 8, acquisition, seed: 0 });
 * ```
 */
export type AcquisitionName =
  'ei' | 'logEi' | 'pi' | 'ucb' | 'nei' | 'qEi' | 'qNei' | 'qUcb' | 'kg' | 'mes' | 'thompson';

/**
 * What a custom acquisition factory receives besides the model.
 *
 * @example
 * ```ts
 * import { upperConfidenceBound, type AcquisitionContext, type Surrogate } from '@difflab/bayes';
 * // Anneal UCB's exploration with the batch size and dimension.
 * const factory = (model: Surrogate, ctx: AcquisitionContext) => upperConfidenceBound(model, { beta: 0.2 * ctx.dim * Math.log(2 + ctx.q) });
 * ```
 */
export interface AcquisitionContext {
  /** Candidate batch size of this proposal. */
  q: number;
  /** Seed for this proposal (derived from the run seed and the iteration). */
  seed: number;
  /** Input dimension (the model works in the unit cube [0, 1]^dim). */
  dim: number;
  /** Best observed value on the model's (maximization) scale. */
  best: number;
  /** Valid observed inputs (unit cube), e.g. as a noisy-EI baseline. */
  observed: number[][];
}

/**
 * A custom acquisition: receives the surrogate (the GP, unless a custom `surrogate` is configured)
 * fitted on unit-cube inputs and *maximization-scale* targets (y, or −y when minimizing) and
 * returns an acquisition function to maximize.
 *
 * @example
 * ```ts
 * import { bayesOpt, expectedImprovement, type AcquisitionFactory } from '@difflab/bayes';
 * // EI with an exploration margin; the model already maximizes, so `maximize` stays true.
 * const eiXi: AcquisitionFactory = (model, ctx) => expectedImprovement(model, { best: ctx.best, xi: 0.1 });
 * await bayesOpt({ objective: ([x]) => (x! - 0.4) ** 2, bounds: [[0, 1]], budget: 8, acquisition: eiXi, seed: 0 });
 * ```
 */
export type AcquisitionFactory = (model: Surrogate, ctx: AcquisitionContext) => AcquisitionFunction;

/**
 * Tuning of the built-in acquisitions of {@link bayesOpt} / {@link BayesOptimizer}.
 *
 * @example
 * ```ts
 * import type { AcquisitionSettings } from '@difflab/bayes';
 * const settings: AcquisitionSettings = { beta: 1, samples: 512, kgPoints: 256 };
 * ```
 */
export interface AcquisitionSettings {
  /** UCB / qUCB exploration weight. Default 2 (qUCB/UCB in the unit cube). */
  beta?: number;
  /** MC samples for qEI / qNEI / qUCB / NEI. Default 256 (128 for qNEI). */
  samples?: number;
  /** KG discretization size (Sobol points besides the observed inputs). Default 128. */
  kgPoints?: number;
  /** MES candidate set size. Default 512. */
  mesPoints?: number;
  /** Random Fourier features for Thompson sampling. Default 1024. */
  features?: number;
}

const NAMES: readonly AcquisitionName[] = [
  'ei',
  'logEi',
  'pi',
  'ucb',
  'nei',
  'qEi',
  'qNei',
  'qUcb',
  'kg',
  'mes',
  'thompson',
];

export function isAcquisitionName(a: unknown): a is AcquisitionName {
  return typeof a === 'string' && (NAMES as readonly string[]).includes(a);
}

export function builtinAcquisition(name: AcquisitionName, s: AcquisitionSettings): AcquisitionFactory {
  if (!isAcquisitionName(name))
    throw new ValueError(
      `bayesOpt: unknown acquisition '${String(name)}'; expected one of ${NAMES.join(', ')} or a function`,
    );
  return (gp, ctx) => {
    const unitDesign = (n: number) =>
      ctx.dim <= 21 ? sobol(n, ctx.dim, { seed: ctx.seed }) : latinHypercube(n, ctx.dim, { seed: ctx.seed });
    switch (name) {
      case 'ei':
        return expectedImprovement(gp, { best: ctx.best });
      case 'logEi':
        return logExpectedImprovement(gp, { best: ctx.best });
      case 'pi':
        return probabilityOfImprovement(gp, { best: ctx.best, log: true });
      case 'ucb':
        return upperConfidenceBound(gp, { beta: s.beta ?? 2 });
      case 'nei':
        return noisyExpectedImprovement(gp, {
          samples: s.samples ?? 256,
          seed: ctx.seed,
          qmc: true,
          baseline: ctx.observed,
        });
      case 'qEi':
        return qExpectedImprovement(gp, { best: ctx.best, samples: s.samples ?? 256, seed: ctx.seed, qmc: true });
      case 'qNei':
        return qNoisyExpectedImprovement(gp, {
          samples: s.samples ?? 128,
          seed: ctx.seed,
          qmc: true,
          baseline: ctx.observed,
        });
      case 'qUcb':
        return qUpperConfidenceBound(gp, { beta: s.beta ?? 2, samples: s.samples ?? 256, seed: ctx.seed, qmc: true });
      case 'kg':
        return knowledgeGradient(gp, { discretization: [...unitDesign(s.kgPoints ?? 128), ...ctx.observed] });
      case 'mes':
        return maxValueEntropy(gp, { candidates: unitDesign(s.mesPoints ?? 512) });
      case 'thompson':
        if (!(gp instanceof GaussianProcess))
          throw new ValueError(
            `bayesOpt: 'thompson' needs the GP surrogate; use a custom acquisition for other surrogates`,
          );
        return thompsonSampling(gp, { seed: ctx.seed, features: s.features ?? 1024 });
    }
  };
}
