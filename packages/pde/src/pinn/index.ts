export { Jet, type Pair } from './jet.js';
export { pinnMlp, type PinnModel, type PinnMlpOptions, type PinnActivation } from './networks.js';
export {
  AutodiffDerivatives,
  JetDerivatives,
  fieldDerivatives,
  gradient,
  laplacian,
  divergence,
  hessian,
  partial,
  type Field,
  type FieldDerivatives,
} from './derivatives.js';
export {
  dirichletBC,
  neumannBC,
  robinBC,
  periodicBC,
  initialCondition,
  observations,
  customCondition,
  type Condition,
  type ConditionOptions,
  type ResidualContext,
  type Target,
} from './conditions.js';
export {
  hardConstraint,
  outputTransform,
  type OutputTransform,
  type HardConstraint,
  type FunctionTransform,
} from './transforms.js';
export { causalWeights, CausalLoss, type CausalOptions } from './causal.js';
export {
  resample,
  residualDensity,
  residualMagnitude,
  weightedSampleWithoutReplacement,
  type ResamplingOptions,
} from './resampling.js';
export { Pinn, pinn, type PinnOptions, type PinnParams, type PdeResidual } from './problem.js';
export {
  trainPinn,
  type TrainPinnOptions,
  type TrainPinnResult,
  type PinnStepInfo,
  type PinnHistoryEntry,
} from './train.js';
