import {
  ShapeError,
  Tensor,
  ValueError,
  add,
  concat,
  div,
  einsum,
  fmtShape,
  fromTypedArray,
  gather,
  maximum,
  minimum,
  mul,
  reshape,
  scatterAdd,
  slice,
  stack,
  stopGradient,
  sub,
  sum,
  square,
  tensor,
  floor,
} from '@difflab/tensor';
import { finite, hostData, integer, positive } from '../internal/checks.js';
import type { StressFn } from './constitutive.js';

/**
 * Options of {@link mpm2d}.
 *
 * @example
 * ```ts
 * import { mpm2d, type MpmOptions } from '@difflab/pde';
 * const opts: MpmOptions = { gridSize: 32, dt: 2e-4, gravity: -9.8, dtype: 'float64' };
 * const sim = mpm2d(opts);
 * ```
 */
export interface MpmOptions {
  /** Grid cells per side of the unit square (default 32). */
  gridSize?: number;
  /** Time step (default 2e-4). */
  dt?: number;
  /** Gravity along y (default −9.8). */
  gravity?: number;
  /** Particle volume (default (dx/2)², four particles per cell) and density (default 1). */
  particleVolume?: number;
  /** Particle density (default 1). */
  density?: number;
  /** Width in cells of the slip walls around the domain (default 3). */
  bound?: number;
  /** dtype of the state (default 'float32'). */
  dtype?: 'float32' | 'float64';
}

/**
 * Particle state: positions x and velocities v [P, 2], APIC affine velocities C and deformation gradients F [P, 2, 2].
 *
 * @example
 * ```ts
 * import { fillParticles, mpm2d, type MpmState } from '@difflab/pde';
 * const sim = mpm2d({ gridSize: 16 });
 * const state: MpmState = sim.initialState(fillParticles((x, y) => x > 0.4 && x < 0.6 && y > 0.4 && y < 0.6, [0, 0, 1, 1], 1 / 32));
 * state.F.shape; // [P, 2, 2], identity at rest
 * ```
 */
export interface MpmState {
  /** Positions [P, 2]. */
  x: Tensor;
  /** Velocities [P, 2]. */
  v: Tensor;
  /** APIC affine velocity fields [P, 2, 2]. */
  C: Tensor;
  /** Deformation gradients [P, 2, 2]. */
  F: Tensor;
}

/**
 * An MLS-MPM simulator built by {@link mpm2d}.
 *
 * @example
 * ```ts
 * import { fillParticles, fixedCorotated, lame, mpm2d, type Mpm } from '@difflab/pde';
 * const sim: Mpm = mpm2d({ gridSize: 16 });
 * const { mu, lambda } = lame(400, 0.2);
 * const x0 = fillParticles((x, y) => Math.hypot(x - 0.5, y - 0.5) < 0.1, [0, 0, 1, 1], 1 / 32);
 * const { positions } = sim.rollout(sim.initialState(x0), fixedCorotated(mu, lambda), 100, { every: 10 });
 * ```
 */
export interface Mpm {
  /** Grid cells per side. */
  readonly gridSize: number;
  /** Time step. */
  readonly dt: number;
  /** Particles at rest (v = 0, C = 0, F = I) at the given positions [P, 2]. */
  initialState(x: Tensor, v?: Tensor): MpmState;
  /** One MLS-MPM step (P2G with the stress of `stress`, grid update, G2P, advection). */
  step(state: MpmState, stress: StressFn): MpmState;
  /** `steps` steps; positions [steps + 1, P, 2] and the final state. */
  rollout(
    state: MpmState,
    stress: StressFn,
    steps: number,
    opts?: { every?: number },
  ): {
    /** Positions every `every` steps (default 1), the initial ones first. */
    positions: Tensor;
    /** The state after the last step. */
    final: MpmState;
  };
}

const OFFSETS: [number, number][] = [];
for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) OFFSETS.push([i, j]);

/**
 * A differentiable 2-D MLS-MPM simulator (Hu et al. 2018, "A moving least squares material point
 * method"; the 88-line reference) on the unit square: quadratic B-spline transfers, APIC affine
 * momentum, elastic stress from any `StressFn` (analytic or learned), slip walls. Written in
 * tensor ops (P2G is a `scatterAdd`, G2P a `gather`), so gradients flow through every step to the
 * initial state and to the constitutive law's parameters; the cell indices are piecewise constant.
 *
 * @example
 * ```ts
 * import { fillParticles, mpm2d, neoHookean } from '@difflab/pde';
 * const sim = mpm2d({ gridSize: 16, dt: 5e-4 });
 * const jelly = fillParticles((x, y) => x > 0.4 && x < 0.6 && y > 0.3 && y < 0.5, [0, 0, 1, 1], 1 / 32);
 * const { final } = sim.rollout(sim.initialState(jelly), neoHookean(100, 100), 50); // falls under gravity
 * ```
 */
export function mpm2d(opts: MpmOptions = {}): Mpm {
  const op = 'mpm2d';
  const n = integer(op, 'gridSize', opts.gridSize ?? 32, 8);
  const dt = positive(op, 'dt', opts.dt ?? 2e-4);
  const g = finite(op, 'gravity', opts.gravity ?? -9.8);
  const dx = 1 / n;
  const vol = positive(op, 'particleVolume', opts.particleVolume ?? (dx * 0.5) ** 2);
  const mass = vol * positive(op, 'density', opts.density ?? 1);
  const bound = integer(op, 'bound', opts.bound ?? 3, 1);
  const dtype = opts.dtype ?? 'float32';
  const Arr = dtype === 'float64' ? Float64Array : Float32Array;
  // Wall masks per grid node: which nodes clamp inward normal velocity on each side.
  const mk = (f: (i: number, j: number) => boolean) => {
    const a = new Arr(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = f(i, j) ? 1 : 0;
    return fromTypedArray(a, [n * n, 1], { dtype });
  };
  const wallLo = [mk((i) => i < bound), mk((_, j) => j < bound)];
  const wallHi = [mk((i) => i > n - bound), mk((_, j) => j > n - bound)];
  const offs = fromTypedArray(Arr.from(OFFSETS.flat()), [1, 9, 2], { dtype });
  const gravityStep = tensor([[0, dt * g]], { dtype });
  const eye = tensor(
    [
      [
        [1, 0],
        [0, 1],
      ],
    ],
    { dtype },
  );

  const check = (s: MpmState) => {
    const P = s.x.shape[0]!;
    const want: Record<string, number[]> = { x: [P, 2], v: [P, 2], C: [P, 2, 2], F: [P, 2, 2] };
    for (const k of Object.keys(want))
      if (!(s[k as keyof MpmState] instanceof Tensor) || s[k as keyof MpmState].shape.join() !== want[k]!.join())
        throw new ShapeError(`${op}: state.${k} must be ${fmtShape(want[k]!)}`);
  };

  const initialState = (x: Tensor, v?: Tensor): MpmState => {
    if (x.ndim !== 2 || x.shape[1] !== 2)
      throw new ShapeError(`${op}: positions must be [P, 2], got ${fmtShape(x.shape)}`);
    const P = x.shape[0]!;
    return {
      x,
      v: v ?? fromTypedArray(new Arr(P * 2), [P, 2], { dtype }),
      C: fromTypedArray(new Arr(P * 4), [P, 2, 2], { dtype }),
      F: fromTypedArray(
        new Arr(P * 4).map((_, k) => (k % 4 === 0 || k % 4 === 3 ? 1 : 0)),
        [P, 2, 2],
        { dtype },
      ),
    };
  };

  const step = (s: MpmState, stress: StressFn): MpmState => {
    check(s);
    const P = s.x.shape[0]!;
    const xi = mul(s.x, n);
    const base = floor(sub(stopGradient(xi), 0.5));
    const b = hostData(base);
    const idx = new Int32Array(P * 9);
    for (let p = 0; p < P; p++) {
      const bx = b[2 * p]!;
      const by = b[2 * p + 1]!;
      if (!(bx >= 0 && by >= 0 && bx <= n - 3 && by <= n - 3))
        throw new ValueError(
          `${op}: particle ${p} left the grid (cell ${bx}, ${by}); reduce dt or keep it away from the walls`,
        );
      OFFSETS.forEach(([i, j], k) => (idx[p * 9 + k] = (bx + i) * n + (by + j)));
    }
    const idxT = fromTypedArray(idx, [P * 9], { dtype: 'int32' });
    const fx = sub(xi, base);
    // Quadratic B-spline weights per axis: [P, 3, 2].
    const w = stack([mul(square(sub(1.5, fx)), 0.5), sub(0.75, square(sub(fx, 1))), mul(square(sub(fx, 0.5)), 0.5)], 1);
    const wx = slice(w, null, null, 0);
    const wy = slice(w, null, null, 1);
    const weight = reshape(mul(reshape(wx, [P, 3, 1]), reshape(wy, [P, 1, 3])), [P, 9]);
    const dpos = mul(sub(offs, reshape(fx, [P, 1, 2])), dx);
    const Pk = stress(s.F);
    const stressTerm = mul(einsum('pij,pkj->pik', Pk, s.F), (-dt * vol * 4) / (dx * dx));
    const affine = add(stressTerm, mul(s.C, mass));
    const mom = add(einsum('pab,pkb->pka', affine, dpos), reshape(mul(s.v, mass), [P, 1, 2]));
    const wk = reshape(weight, [P, 9, 1]);
    const gridMv = scatterAdd(reshape(mul(mom, wk), [P * 9, 2]), idxT, 0, [n * n, 2]);
    const gridM = scatterAdd(reshape(mul(weight, mass), [P * 9, 1]), idxT, 0, [n * n, 1]);
    // Empty nodes carry no momentum; the floor on the mass only avoids 0/0 there.
    let gv = add(div(gridMv, maximum(gridM, mass * 1e-14)), gravityStep);
    // Slip walls: no velocity into the boundary layers.
    const comps = [0, 1].map((c) => {
      let vc = slice(gv, null, { start: c, stop: c + 1 });
      vc = sub(vc, mul(wallLo[c]!, minimum(vc, 0)));
      vc = sub(vc, mul(wallHi[c]!, maximum(vc, 0)));
      return vc;
    });
    gv = concat(comps, 1);
    const gp = reshape(gather(gv, idxT, 0), [P, 9, 2]);
    const v = sum(mul(gp, wk), 1);
    const C = mul(einsum('pka,pkb->pab', mul(gp, wk), dpos), 4 / (dx * dx));
    const x = add(s.x, mul(v, dt));
    const F = einsum('pij,pjk->pik', add(eye, mul(C, dt)), s.F);
    return { x, v, C, F };
  };

  const rollout = (s: MpmState, stress: StressFn, steps: number, o: { every?: number } = {}) => {
    integer(`${op}.rollout`, 'steps', steps, 0);
    const every = integer(`${op}.rollout`, 'every', o.every ?? 1, 1);
    const xs = [s.x];
    let st = s;
    for (let k = 1; k <= steps; k++) {
      st = step(st, stress);
      if (k % every === 0) xs.push(st.x);
    }
    return { positions: stack(xs, 0), final: st };
  };

  return { gridSize: n, dt, initialState, step, rollout };
}

/**
 * Particles filling a shape: 2×2 per grid cell area on a jittered-free lattice with spacing dx/2, kept where `inside` holds.
 *
 * @example
 * ```ts
 * import { fillParticles } from '@difflab/pde';
 * const disc = fillParticles((x, y) => Math.hypot(x - 0.5, y - 0.5) < 0.1, [0.4, 0.4, 0.6, 0.6], 0.02); // [P, 2]
 * ```
 */
export function fillParticles(
  inside: (x: number, y: number) => boolean,
  bbox: readonly [number, number, number, number],
  spacing: number,
  dtype: 'float32' | 'float64' = 'float32',
): Tensor {
  positive('fillParticles', 'spacing', spacing);
  const [x0, y0, x1, y1] = bbox;
  const pts: number[] = [];
  for (let x = x0 + spacing / 2; x < x1; x += spacing)
    for (let y = y0 + spacing / 2; y < y1; y += spacing) if (inside(x, y)) pts.push(x, y);
  if (pts.length === 0) throw new ValueError('fillParticles: no particle inside the shape');
  return fromTypedArray(dtype === 'float64' ? Float64Array.from(pts) : Float32Array.from(pts), [pts.length / 2, 2], {
    dtype,
  });
}
