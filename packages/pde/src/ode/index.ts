export {
  odeint,
  odeintAdjoint,
  solveIvp,
  type OdeFunc,
  type OdeintOptions,
  type IvpResult,
  type TimesLike,
} from './odeint.js';
export type { OdeMethod, IntegrateOptions, IntegrateStats } from './integrate.js';
export { RK4, DOPRI5, EULER, MIDPOINT, type Tableau } from './tableau.js';
