export type { Kernel, HyperTensors, SpectralTerm } from './kernels/kernel.js';
export type { HyperOption, HyperSpec, HyperSpecs, HyperValues } from './kernels/hyper.js';
export { rbf, matern12, matern32, matern52, rationalQuadratic, periodic } from './kernels/stationary.js';
export type { StationaryOptions, RationalQuadraticOptions, PeriodicOptions } from './kernels/stationary.js';
export { linear, polynomial } from './kernels/dot.js';
export type { LinearOptions, PolynomialOptions } from './kernels/dot.js';
export { kernelSum, kernelProduct } from './kernels/combine.js';
export { gammaPrior, logNormalPrior, normalPrior, halfCauchyPrior, type Prior } from './kernels/priors.js';
export { sqdist } from './ops/sqdist.js';
export { gaussLogLik, type GaussLogLikInfo } from './ops/gauss-loglik.js';
export { normPdf, normCdf, logNormCdf, invMills, logH } from './ops/normal.js';
export { fitGP, negativeMll, type FitGPOptions, type FitReport } from './gp/fit.js';
export { GaussianProcess, type GPDefinition, type PredictOptions } from './gp/gp.js';
export type { Surrogate, Posterior, JointPosterior } from './gp/surrogate.js';
export type { InputLike, TargetLike, InputTransform, OutputTransform } from './gp/data.js';
export type { AcquisitionFunction, ImprovementOptions } from './acquisition/types.js';
export {
  expectedImprovement,
  logExpectedImprovement,
  probabilityOfImprovement,
  upperConfidenceBound,
  type EIOptions,
  type PIOptions,
  type UCBOptions,
} from './acquisition/analytic.js';
export {
  qExpectedImprovement,
  qNoisyExpectedImprovement,
  noisyExpectedImprovement,
  qUpperConfidenceBound,
  baseSampler,
  type MCOptions,
  type NEIOptions,
  type QUCBOptions,
} from './acquisition/monte-carlo.js';
export {
  knowledgeGradient,
  envelopeExpectation,
  type KnowledgeGradientOptions,
} from './acquisition/knowledge-gradient.js';
export { maxValueEntropy, maxValueSamples, type MaxValueEntropyOptions } from './acquisition/max-value-entropy.js';
export { samplePath, thompsonSampling, type SamplePath, type ThompsonOptions } from './acquisition/thompson.js';
export {
  optimizeAcquisition,
  type OptimizeAcquisitionOptions,
  type OptimizeAcquisitionResult,
} from './acquisition/optimize.js';
export { sobol, SOBOL_MAX_DIM, type SobolOptions } from './design/sobol.js';
export { latinHypercube } from './design/lhs.js';
export { toBox, type BoundsLike, type Box } from './design/bounds.js';
export {
  branin,
  hartmann3,
  hartmann6,
  ackley,
  rosenbrock,
  levy,
  styblinskiTang,
  type TestFunction,
} from './testfns/functions.js';
export { bayesOpt, type BayesOptOptions, type BayesOptResult, type IterationInfo } from './loop/bayes-opt.js';
export { BayesOptimizer, defaultBOKernel, type BayesOptimizerOptions } from './loop/optimizer.js';
export type { BayesOptState, Observation } from './loop/state.js';
export type { AcquisitionName, AcquisitionFactory, AcquisitionContext, AcquisitionSettings } from './loop/registry.js';
export { autoregressiveKernel, type AutoregressiveKernelOptions } from './multifidelity/kernel.js';
export { multiFidelityExpectedImprovement, type MultiFidelityEIOptions } from './multifidelity/acquisition.js';
export {
  multiFidelityBayesOpt,
  type MultiFidelityOptions,
  type MultiFidelityResult,
  type MultiFidelityObservation,
} from './multifidelity/loop.js';
export { deepEnsemble, type DeepEnsemble, type DeepEnsembleOptions } from './surrogates/ensemble.js';
export { bayesianNeuralNetwork, type BNN, type BNNOptions } from './surrogates/bnn.js';
export {
  conformalQuantileRegression,
  pinballLoss,
  type ConformalQuantileOptions,
  type ConformalQuantileSurrogate,
} from './surrogates/conformal-quantile.js';
export type { NetworkOptions } from './surrogates/common.js';
export {
  conformalQuantile,
  weightedConformalQuantile,
  splitConformal,
  conformalRiskControl,
  adaptiveConformalUpdate,
  type ConformalInterval,
  type RiskControlOptions,
  type RiskControlResult,
  type ACIState,
} from './calibration/conformal.js';
export {
  pitValues,
  calibrationCurve,
  probabilisticCalibrationError,
  quantileRecalibration,
  intervalCoverage,
  gaussianNll,
  crpsGaussian,
  gaussianInterval,
  expectedCalibrationError,
} from './calibration/metrics.js';
export type { Numbers } from './calibration/conformal.js';
export type { Matrix } from './gp/data.js';
export type { ParamLayout } from './gp/params.js';
