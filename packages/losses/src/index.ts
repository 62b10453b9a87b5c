export type { Reduction, ReductionOptions } from './core/reduction.js';
// PyTorch parity set
export * from './classification/cross-entropy.js';
export * from './binary/binary-cross-entropy.js';
export * from './binary/multilabel.js';
export * from './regression/pointwise.js';
export * from './probabilistic/poisson.js';
export * from './probabilistic/gaussian-nll.js';
export * from './divergence/kl-div.js';
export * from './margin/ranking.js';
export * from './margin/multi-margin.js';
export * from './margin/embedding.js';
// Classification families from the literature
export * from './classification/comp-sum.js';
export * from './classification/comp-sum-adversarial.js';
export * from './classification/focal.js';
export * from './classification/poly.js';
export * from './classification/squentropy.js';
export * from './classification/z-loss.js';
export * from './classification/ldr.js';
export * from './classification/ensloss.js';
export * from './classification/noise-robust.js';
export * from './classification/ovr.js';
export * from './classification/margin-softmax.js';
// Regression and probabilistic
export * from './regression/robust.js';
export * from './probabilistic/scale-families.js';
// Distribution distances
export * from './distances/discrete.js';
export * from './distances/mmd.js';
export * from './distances/energy.js';
export * from './distances/wasserstein.js';
export * from './distances/sinkhorn.js';
export * from './distances/cauchy-schwarz.js';
// Representation learning
export * from './contrastive/info-nce.js';
export * from './contrastive/supcon.js';
export * from './contrastive/pair-weighting.js';
export * from './contrastive/geometry.js';
export * from './contrastive/temperature.js';
export { l2normalize } from './contrastive/common.js';
// Distillation, flooding, segmentation
export * from './misc/distillation.js';
export * from './misc/flooding.js';
export * from './misc/segmentation.js';
// Metrics
export * from './metrics/classification.js';
export * from './metrics/calibration.js';
export * from './metrics/ranking.js';
