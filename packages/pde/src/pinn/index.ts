export { Jet, type Pair } from './jet.js';
export { pinnMlp, type PinnModel, type PinnMlpOptions, type PinnActivation } from './networks.js';
export { AutodiffDerivatives, JetDerivatives, fieldDerivatives, gradient, laplacian, divergence, hessian, partial, type Field, type FieldDerivatives } from './derivatives.js';
