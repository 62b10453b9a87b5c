export {
  massSpring2d,
  springLattice,
  type MassSpring,
  type MassSpringOptions,
  type SpringParams,
  type SpringState,
} from './mass-spring.js';
export { mpm2d, fillParticles, type Mpm, type MpmOptions, type MpmState } from './mpm.js';
export {
  fixedCorotated,
  neoHookean,
  neuralConstitutive,
  polarRotation,
  lame,
  type StressFn,
  type NeuralConstitutive,
  type NeuralConstitutiveOptions,
} from './constitutive.js';
