import {
  ShapeError,
  Tensor,
  ValueError,
  add,
  div,
  fmtShape,
  gather,
  mul,
  relu,
  scatterAdd,
  sqrt,
  square,
  stack,
  sub,
  sum,
  tensor,
  neg,
  slice,
  concat,
  fromTypedArray,
} from '@difflab/tensor';
import { finite, integer, nonNegative, positive } from '../internal/checks.js';

/**
 * Options of {@link massSpring2d}.
 *
 * @example
 * ```ts
 * import { massSpring2d, springLattice, type MassSpringOptions } from '@difflab/pde';
 * const lat = springLattice(3, 3, 0.1);
 * const opts: MassSpringOptions = { particles: 9, springs: lat.springs, restLengths: lat.restLengths, dt: 1e-3, ground: { height: 0, stiffness: 2e3, friction: 0.5 } };
 * const sys = massSpring2d(opts);
 * ```
 */
export interface MassSpringOptions {
  /** Spring end points (particle indices). */
  springs: readonly (readonly [number, number])[];
  /** Number of particles. */
  particles: number;
  /** Rest lengths per spring. */
  restLengths: ArrayLike<number>;
  /** Particle mass (default 1). */
  mass?: number;
  /** Time step (default 1e-3). */
  dt?: number;
  /** Gravity along y (default −9.8). */
  gravity?: number;
  /** Velocity damping per second, v ← v·exp(−damping·dt) (default 0). */
  damping?: number;
  /** Ground at y = height with penalty stiffness and tangential friction (default: no ground). */
  ground?: {
    /** Height of the ground line (default 0). */
    height?: number;
    /** Penalty stiffness of the contact force (default 1e4). */
    stiffness?: number;
    /** Tangential friction coefficient (default 0: frictionless). */
    friction?: number;
  };
  /** dtype of states and parameters (default 'float32'). */
  dtype?: 'float32' | 'float64';
}

/**
 * The differentiable parameters of a {@link MassSpring} system.
 *
 * @example
 * ```ts
 * import { type SpringParams } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const params: SpringParams = { stiffness: tensor(300), springDamping: tensor(0.5) };
 * ```
 */
export interface SpringParams {
  /** Stiffness per spring [S] or a scalar tensor. */
  stiffness: Tensor;
  /** Spring damping coefficient (along the spring), scalar or [S] (default 0). */
  springDamping?: Tensor;
}

/**
 * Positions x and velocities v of the particles, [n, 2] each.
 *
 * @example
 * ```ts
 * import { springLattice, type SpringState } from '@difflab/pde';
 * import { zeros } from '@difflab/tensor';
 * const lat = springLattice(2, 2, 0.1);
 * const state: SpringState = { x: lat.positions, v: zeros([4, 2]) };
 * ```
 */
export interface SpringState {
  /** Positions [n, 2]. */
  x: Tensor;
  /** Velocities [n, 2]. */
  v: Tensor;
}

/**
 * A mass-spring system built by {@link massSpring2d}.
 *
 * @example
 * ```ts
 * import { massSpring2d, type MassSpring } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const pair: MassSpring = massSpring2d({ particles: 2, springs: [[0, 1]], restLengths: [1], gravity: 0 });
 * pair.forces({ x: tensor([[0, 0], [1.5, 0]]), v: tensor([[0, 0], [0, 0]]) }, { stiffness: tensor(10) }); // [[5, 0], [−5, 0]]
 * ```
 */
export interface MassSpring {
  /** Number of particles. */
  readonly particles: number;
  /** Spring end points. */
  readonly springs: readonly (readonly [number, number])[];
  /** Net force on every particle, [n, 2]. `actuation` [S] scales rest lengths by (1 + a). */
  forces(state: SpringState, params: SpringParams, actuation?: Tensor | null): Tensor;
  /** One symplectic-Euler step (v then x). */
  step(state: SpringState, params: SpringParams, actuation?: Tensor | null): SpringState;
  /**
   * `steps` steps; `actuation(k)` gives the step's rest-length modulation [S]. Returns the
   * positions [steps + 1, n, 2] and the final state. Differentiable end to end with respect to
   * the initial state, the parameters and whatever the actuation depends on.
   */
  rollout(
    state: SpringState,
    params: SpringParams,
    steps: number,
    actuation?: (k: number) => Tensor | null,
  ): {
    /** Positions after every step, the initial ones first: [steps + 1, n, 2]. */
    positions: Tensor;
    /** The state after the last step. */
    final: SpringState;
  };
  /** Kinetic + spring + gravity (+ ground) energy of a state (a scalar tensor). */
  energy(state: SpringState, params: SpringParams): Tensor;
}

/**
 * A differentiable 2-D mass-spring system (the soft-robot benchmark of DiffTaichi / ChainQueen
 * style controllers): Hookean springs with optional actuated rest lengths and damping, gravity,
 * a penalty ground with smooth friction, symplectic Euler. Every operation is a tensor op, so
 * `grad` of any loss on a rollout gives exact gradients of the discrete simulation.
 *
 * @example
 * ```ts
 * import { massSpring2d, springLattice } from '@difflab/pde';
 * import { grad, mean, sum, tensor, zeros, type Tensor } from '@difflab/tensor';
 * const lat = springLattice(3, 3, 0.1, [0, 0.05], 'float64');
 * const sys = massSpring2d({ particles: 9, springs: lat.springs, restLengths: lat.restLengths, ground: {}, dtype: 'float64' });
 * // Gradient of the final mean height with respect to every spring's stiffness.
 * const height = (k: Tensor) => sum(mean(sys.rollout({ x: lat.positions, v: zeros([9, 2], { dtype: 'float64' }) }, { stiffness: k }, 50).final.x, 0).slice(1));
 * const dk = grad(height)(tensor(new Array(lat.springs.length).fill(400), { dtype: 'float64' }));
 * ```
 */
export function massSpring2d(opts: MassSpringOptions): MassSpring {
  const op = 'massSpring2d';
  const n = integer(op, 'particles', opts.particles, 1);
  const S = opts.springs.length;
  if (S === 0) throw new ValueError(`${op}: no springs`);
  opts.springs.forEach(([i, j], s) => {
    if (![i, j].every((v) => Number.isInteger(v) && v >= 0 && v < n) || i === j)
      throw new ValueError(`${op}: spring ${s} (${i}, ${j}) must join two distinct particles in [0, ${n})`);
  });
  if (opts.restLengths.length !== S)
    throw new ShapeError(`${op}: ${opts.restLengths.length} rest lengths for ${S} springs`);
  for (let s = 0; s < S; s++) positive(op, `restLengths[${s}]`, opts.restLengths[s]);
  const dtype = opts.dtype ?? 'float32';
  const mass = positive(op, 'mass', opts.mass ?? 1);
  const dt = positive(op, 'dt', opts.dt ?? 1e-3);
  const g = finite(op, 'gravity', opts.gravity ?? -9.8);
  const damp = Math.exp(-nonNegative(op, 'damping', opts.damping ?? 0) * dt);
  const ground = opts.ground
    ? {
        height: finite(op, 'ground.height', opts.ground.height ?? 0),
        k: positive(op, 'ground.stiffness', opts.ground.stiffness ?? 1e4),
        mu: nonNegative(op, 'ground.friction', opts.ground.friction ?? 0),
      }
    : null;
  const I = opts.springs.map((s) => s[0]);
  const J = opts.springs.map((s) => s[1]);
  const L0 = fromTypedArray(Float64Array.from(opts.restLengths), [S], { dtype: 'float64' }).astype(dtype);
  const gravity = tensor([[0, g * mass]], { dtype });

  const check = (st: SpringState) => {
    for (const [k, t] of Object.entries(st))
      if (!(t instanceof Tensor) || t.ndim !== 2 || t.shape[0] !== n || t.shape[1] !== 2)
        throw new ShapeError(
          `${op}: state.${k} must be [${n}, 2], got ${t instanceof Tensor ? fmtShape(t.shape) : typeof t}`,
        );
  };

  const springForces = (st: SpringState, p: SpringParams, act?: Tensor | null): Tensor => {
    const d = sub(gather(st.x, I, 0), gather(st.x, J, 0));
    const len = sqrt(add(sum(square(d), 1), 1e-12));
    const rest = act ? mul(L0, add(act, 1)) : L0;
    // Force on i along −d/|d|; j gets the opposite.
    let mag = mul(p.stiffness, sub(len, rest));
    if (p.springDamping) {
      const dv = sub(gather(st.v, I, 0), gather(st.v, J, 0));
      mag = add(mag, mul(p.springDamping, div(sum(mul(dv, d), 1), len)));
    }
    const f = mul(d, div(mag, len).reshape([S, 1]));
    return sub(scatterAdd(f, J, 0, [n, 2]), scatterAdd(f, I, 0, [n, 2]));
  };

  const groundForces = (st: SpringState): Tensor | null => {
    if (!ground) return null;
    const y = slice(st.x, null, { start: 1, stop: 2 });
    const pen = relu(sub(ground.height, y));
    const normal = mul(pen, ground.k);
    if (ground.mu === 0) return concat([mul(normal, 0), normal], 1);
    // Smooth Coulomb friction −μ N tanh(v_x / 0.01) on the tangential velocity.
    const vx = slice(st.v, null, { start: 0, stop: 1 });
    const fric = mul(neg(mul(normal, ground.mu)), div(vx, sqrt(add(square(vx), 1e-4))));
    return concat([fric, normal], 1);
  };

  const forces = (st: SpringState, p: SpringParams, act?: Tensor | null): Tensor => {
    check(st);
    let f = add(springForces(st, p, act), gravity);
    const gf = groundForces(st);
    if (gf) f = add(f, gf);
    return f;
  };

  const step = (st: SpringState, p: SpringParams, act?: Tensor | null): SpringState => {
    const v = mul(add(st.v, mul(forces(st, p, act), dt / mass)), damp);
    return { x: add(st.x, mul(v, dt)), v };
  };

  const rollout = (st: SpringState, p: SpringParams, steps: number, actuation?: (k: number) => Tensor | null) => {
    integer(`${op}.rollout`, 'steps', steps, 0);
    const xs = [st.x];
    let s = st;
    for (let k = 0; k < steps; k++) {
      s = step(s, p, actuation ? actuation(k) : null);
      xs.push(s.x);
    }
    return { positions: stack(xs, 0), final: s };
  };

  const energy = (st: SpringState, p: SpringParams): Tensor => {
    check(st);
    const d = sub(gather(st.x, I, 0), gather(st.x, J, 0));
    const len = sqrt(add(sum(square(d), 1), 1e-12));
    const spring = sum(mul(mul(p.stiffness, square(sub(len, L0))), 0.5));
    const kinetic = mul(sum(square(st.v)), 0.5 * mass);
    const pot = mul(sum(slice(st.x, null, 1)), -g * mass);
    let e = add(add(spring, kinetic), pot);
    if (ground) e = add(e, mul(sum(square(relu(sub(ground.height, slice(st.x, null, 1))))), 0.5 * ground.k));
    return e;
  };

  return { particles: n, springs: opts.springs, forces, step, rollout, energy };
}

/**
 * A rectangular lattice of nx × ny particles with spacing h from `origin`, joined by structural
 * (horizontal, vertical) and shear (diagonal) springs; returns positions [n, 2] (row-major, x
 * fastest) and the springs with their rest lengths.
 *
 * @example
 * ```ts
 * import { springLattice } from '@difflab/pde';
 * const { positions, springs, restLengths } = springLattice(3, 2, 0.1); // 6 particles, 7 structural + 4 shear springs
 * ```
 */
export function springLattice(
  nx: number,
  ny: number,
  h: number,
  origin: readonly [number, number] = [0, 0],
  dtype: 'float32' | 'float64' = 'float32',
): {
  /** Particle positions [nx·ny, 2]. */
  positions: Tensor;
  /** Spring end points. */
  springs: [number, number][];
  /** Rest length of every spring. */
  restLengths: Float64Array;
} {
  integer('springLattice', 'nx', nx, 2);
  integer('springLattice', 'ny', ny, 2);
  positive('springLattice', 'h', h);
  const id = (i: number, j: number) => j * nx + i;
  const pos = new Float64Array(nx * ny * 2);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      pos[2 * id(i, j)] = origin[0] + i * h;
      pos[2 * id(i, j) + 1] = origin[1] + j * h;
    }
  const springs: [number, number][] = [];
  const rest: number[] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const add = (a: number, b: number, l: number) => (springs.push([a, b]), rest.push(l));
      if (i + 1 < nx) add(id(i, j), id(i + 1, j), h);
      if (j + 1 < ny) add(id(i, j), id(i, j + 1), h);
      if (i + 1 < nx && j + 1 < ny) {
        add(id(i, j), id(i + 1, j + 1), h * Math.SQRT2);
        add(id(i + 1, j), id(i, j + 1), h * Math.SQRT2);
      }
    }
  return {
    positions: fromTypedArray(dtype === 'float64' ? pos : Float32Array.from(pos), [nx * ny, 2], { dtype }),
    springs,
    restLengths: Float64Array.from(rest),
  };
}
