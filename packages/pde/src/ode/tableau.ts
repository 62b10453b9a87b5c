/**
 * Butcher tableaux of the explicit integrators.
 *
 * @example
 * ```ts
 * import { RK4, type Tableau } from '@difflab/pde';
 * const t: Tableau = RK4;
 * t.b; // [1/6, 1/3, 1/3, 1/6]
 * ```
 */
export interface Tableau {
  /** Nodes c_i (stage times as fractions of the step). */
  c: readonly number[];
  /** Runge–Kutta matrix, row i holding a_ij for j < i. */
  a: readonly (readonly number[])[];
  /** Weights of the propagated solution. */
  b: readonly number[];
  /** b − b̂ (embedded error weights), over all stages; absent for fixed-step methods. */
  e?: readonly number[];
  /** Order of the propagated solution (sets the step-size exponent). */
  order: number;
  /** First same as last: the last stage is f at the new point. */
  fsal?: boolean;
}

/**
 * Forward Euler (order 1).
 *
 * @example
 * ```ts
 * import { EULER } from '@difflab/pde';
 * EULER.order; // 1
 * ```
 */
export const EULER: Tableau = { c: [0], a: [[]], b: [1], order: 1 };

/**
 * The explicit midpoint method (order 2).
 *
 * @example
 * ```ts
 * import { MIDPOINT } from '@difflab/pde';
 * MIDPOINT.c; // [0, 0.5]
 * ```
 */
export const MIDPOINT: Tableau = { c: [0, 0.5], a: [[], [0.5]], b: [0, 1], order: 2 };

/**
 * The classical fourth-order Runge–Kutta method.
 *
 * @example
 * ```ts
 * import { RK4 } from '@difflab/pde';
 * RK4.order; // 4
 * ```
 */
export const RK4: Tableau = {
  c: [0, 0.5, 0.5, 1],
  a: [[], [0.5], [0, 0.5], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  order: 4,
};

/**
 * Dormand–Prince 5(4) (scipy's RK45, MATLAB's ode45), with the FSAL seventh stage.
 *
 * @example
 * ```ts
 * import { DOPRI5 } from '@difflab/pde';
 * DOPRI5.fsal; // true
 * DOPRI5.order; // 5
 * ```
 */
export const DOPRI5: Tableau = {
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
  a: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
  ],
  b: [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
  e: [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40],
  order: 5,
  fsal: true,
};
