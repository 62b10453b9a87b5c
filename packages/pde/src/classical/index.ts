export { gaussHermite, type Quadrature } from './gauss-hermite.js';
export { burgersColeHopf, type ColeHopfOptions } from './cole-hopf.js';
export {
  solveTridiagonal,
  solveCyclicTridiagonal,
  type Solution1d,
  type InitialCondition1d,
  type Boundary1d,
  type BoundaryValue,
} from './grid.js';
export { solveHeat1d, type Heat1dOptions } from './heat.js';
export { solveAdvection1d, type Advection1dOptions } from './advection.js';
export { solveBurgers1d, type Burgers1dOptions } from './burgers.js';
export { CsrMatrix } from './sparse.js';
export {
  conjugateGradientSparse,
  jacobiPreconditioner,
  ssorPreconditioner,
  ic0Preconditioner,
  type CgOptions,
  type CgResult,
  type Preconditioner,
} from './cg.js';
export { solvePoisson2d, type Poisson2dOptions, type Poisson2dResult } from './poisson.js';
