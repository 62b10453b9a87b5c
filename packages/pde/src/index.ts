export * from './geometry/index.js';
export { sobolSequence, SOBOL_MAX_DIM } from './sampling/sobol.js';
export { haltonSequence } from './sampling/halton.js';
export { latinHypercube } from './sampling/lhs.js';
export { SAMPLING_METHODS, type SamplingMethod } from './sampling/unit.js';
export * from './classical/index.js';
export * from './ode/index.js';
export * from './pinn/index.js';
export * from './operators/index.js';
