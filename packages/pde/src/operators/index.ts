export { gaussianRandomField1d, gaussianRandomField2d, type GrfOptions } from './grf.js';
export { deepONet, type DeepONet, type DeepONetOptions, type DeepONetParams } from './deeponet.js';
export { fno, fno1d, fno2d, type Fno, type FnoOptions, type FnoParams, type FnoLinear } from './fno.js';
export { fitOperator, relativeL2Loss, type FitOperatorOptions } from './train.js';
