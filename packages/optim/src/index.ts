export type * from './core/types.js';
export { asOptimizer, applyUpdates } from './core/optimizer.js';
export { chain } from './core/chain.js';
export { pathMask, ndimMask, resolveMask } from './core/mask.js';
export { leafPaths, globalNorm, treeDot, treeAdd, treeScale, treeAxpy, treeZerosLike } from './core/tree-utils.js';

export * from './optimizers/sgd.js';
export * from './optimizers/adam.js';
export * from './optimizers/adagrad.js';
export * from './optimizers/rmsprop.js';
export * from './optimizers/adadelta.js';
export * from './optimizers/adamax.js';
export * from './optimizers/nadam.js';
export * from './optimizers/radam.js';
export * from './optimizers/lion.js';
export * from './optimizers/lamb.js';
export * from './optimizers/adafactor.js';
export * from './optimizers/lbfgs.js';
export { strongWolfe, cubicInterpolate, type StrongWolfeOptions, type StrongWolfeResult, type LineObjective } from './optimizers/strong-wolfe.js';

export * from './transforms/clip.js';
export * from './transforms/scale.js';
export * from './transforms/weight-decay.js';
export * from './transforms/masked.js';
export * from './transforms/multi-steps.js';
export * from './transforms/ema.js';
export * from './transforms/averaging.js';
export * from './transforms/lookahead.js';
export * from './transforms/plateau.js';

export * from './schedules/basic.js';
export * from './schedules/one-cycle.js';
export * from './minimize.js';

export { createRng, type Rng } from './core/prng.js';
export { randomLike } from './core/random-tree.js';
export * from './sharpness/sam.js';
export * from './sharpness/gam.js';
export * from './sharpness/saf.js';
export * from './curvature/hvp.js';
export * from './curvature/eigen.js';
export * from './curvature/trace.js';
export * from './curvature/landscape.js';
export { gradientMatrix, gram, combineRows, type GradientMatrix } from './multiobjective/gradient-matrix.js';
export * from './multiobjective/aggregators.js';
export * from './multiobjective/combine.js';
export * from './multiobjective/jacobian-descent.js';
