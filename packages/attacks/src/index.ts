// Types and shared helpers
export type * from './core/types.js';
export { bindAttack } from './core/bind.js';
export { ceLoss, dlrLoss, dlrTargetedLoss, marginLoss, objective } from './core/objective.js';
export { lpNorm, projectBall, randomInBall, steepestDirection } from './core/project.js';

// White-box attacks
export { fgsm, ffgsm, rfgsm, type FgsmOptions, type FfgsmOptions, type RfgsmOptions } from './whitebox/fgsm.js';
export { pgd, bim, type PgdOptions, type BimOptions } from './whitebox/pgd.js';
export {
  mifgsm,
  nifgsm,
  difgsm,
  tifgsm,
  vmifgsm,
  type MomentumOptions,
  type DiversityOptions,
  type TranslationOptions,
  type VarianceOptions,
} from './whitebox/momentum.js';
export { gaussianKernel, resizeBilinear } from './whitebox/input-transforms.js';
export { eotPgd, type EotPgdOptions } from './whitebox/eot.js';
export { cw, type CwOptions } from './whitebox/cw.js';
export { deepfool, type DeepFoolOptions } from './whitebox/deepfool.js';
export { apgd, apgdTargeted, type ApgdOptions, type ApgdTargetedOptions } from './whitebox/apgd.js';
export { fab, type FabOptions } from './whitebox/fab.js';
export { projectHyperplaneBox } from './whitebox/hyperplane.js';
export { jsma, type JsmaOptions } from './whitebox/jsma.js';

// Black-box attacks
export { square, squareSchedule, type SquareOptions } from './blackbox/square.js';
export { spsa, nes, type SpsaOptions, type NesOptions } from './blackbox/gradient-estimates.js';
export { onePixel, type OnePixelOptions } from './blackbox/one-pixel.js';
export { hopSkipJump, type HopSkipJumpOptions } from './blackbox/hop-skip-jump.js';

// Ensembles and evaluation
export { ensemble, worstCase, type EnsembleOptions, type EnsembleResult } from './ensemble/ensemble.js';
export {
  autoAttack,
  autoAttackDetailed,
  autoAttackMembers,
  type AutoAttackOptions,
  type AutoAttackMember,
} from './ensemble/auto-attack.js';
export {
  robustAccuracy,
  robustAccuracySync,
  type RobustAccuracyOptions,
  type RobustnessReport,
  type AttackReport,
  type ProgressInfo,
} from './eval/robust-accuracy.js';

// Certification
export { sequential, fromMlp, denseOf, type Layer, type Network, type Dense } from './certify/network.js';
export { ibp, ibpLayers, inputInterval, type IntervalBounds, type BallOptions } from './certify/ibp.js';
export { crown, type CrownOptions } from './certify/crown.js';
export { certify, marginSpec, ibpSpec, type CertifyOptions, type CertifyResult } from './certify/certify.js';
export { localLipschitz, globalLipschitz, type LipschitzOptions } from './certify/lipschitz.js';

// Adversarial training
export type { Apply, ParamLoss } from './training/common.js';
export {
  pgdAtLoss,
  klDroAtLoss,
  klDroWeights,
  trainingExamples,
  type AdversarialLossOptions,
  type KlDroOptions,
} from './training/pgd-at.js';
export { tradesLoss, tradesAdversary, klFromLogits, type TradesOptions } from './training/trades.js';
export { martLoss, type MartOptions } from './training/mart.js';
export { awpLoss, awpPerturbation, type AwpOptions } from './training/awp.js';
export { vatLoss, virtualAdversarialPerturbation, type VatOptions } from './training/vat.js';
export { localLinearityLoss, type LocalLinearityOptions } from './training/local-linearity.js';
export { adversarialTraining, type TrainOptions, type TrainResult, type StepInfo } from './training/train.js';

// Attributions
export {
  saliency,
  gradientXInput,
  smoothGrad,
  type SaliencyOptions,
  type SmoothGradOptions,
} from './attribution/gradients.js';
export {
  integratedGradients,
  gaussLegendre,
  type IntegratedGradientsOptions,
} from './attribution/integrated-gradients.js';
export { occlusion, type OcclusionOptions } from './attribution/occlusion.js';
export type { AttributionOptions } from './attribution/common.js';
