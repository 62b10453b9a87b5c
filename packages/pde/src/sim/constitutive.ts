import {
  ShapeError,
  Tensor,
  add,
  atan2,
  cos,
  div,
  einsum,
  fmtShape,
  log,
  mlp,
  mul,
  nn,
  sin,
  slice,
  stack,
  sub,
  swapAxes,
  matmul,
  type DenseParams,
  tensor,
  concat,
  reshape,
} from '@difflab/tensor';
import { integer, positive } from '../internal/checks.js';

/**
 * A first Piola–Kirchhoff stress law P(F) on batches of 2×2 deformation gradients [P, 2, 2].
 *
 * @example
 * ```ts
 * import { mpm2d, fillParticles, type StressFn } from '@difflab/pde';
 * import { mul, sub, eye } from '@difflab/tensor';
 * // Linear-ish toy law P = k (F − I).
 * const toy: StressFn = (F) => mul(sub(F, eye(2)), 100);
 * const sim = mpm2d({ gridSize: 16 });
 * const s = sim.step(sim.initialState(fillParticles((x, y) => x > 0.45 && x < 0.55 && y > 0.45 && y < 0.55, [0, 0, 1, 1], 1 / 32)), toy);
 * ```
 */
export type StressFn = (F: Tensor) => Tensor;

function entries(F: Tensor): [Tensor, Tensor, Tensor, Tensor] {
  if (F.ndim !== 3 || F.shape[1] !== 2 || F.shape[2] !== 2)
    throw new ShapeError(`stress: deformation gradients must be [P, 2, 2], got ${fmtShape(F.shape)}`);
  return [slice(F, null, 0, 0), slice(F, null, 0, 1), slice(F, null, 1, 0), slice(F, null, 1, 1)];
}

function mat(a: Tensor, b: Tensor, c: Tensor, d: Tensor): Tensor {
  return stack([stack([a, b], 1), stack([c, d], 1)], 1);
}

/** det F and F^{-T} for 2×2 batches. */
function detInvT(F: Tensor): { J: Tensor; FinvT: Tensor } {
  const [a, b, c, d] = entries(F);
  const J = sub(mul(a, d), mul(b, c));
  // F^{-1} = [d −b; −c a] / J, so F^{-T} = [d −c; −b a] / J.
  const FinvT = div(mat(d, mul(c, -1), mul(b, -1), a), J.reshape([-1, 1, 1]));
  return { J, FinvT };
}

/**
 * Lamé parameters from Young's modulus E and Poisson's ratio ν (plane strain).
 *
 * @example
 * ```ts
 * import { lame } from '@difflab/pde';
 * lame(1000, 0.25); // { mu: 400, lambda: 400 }
 * ```
 */
export function lame(
  E: number,
  nu: number,
): {
  /** Shear modulus μ = E / (2(1 + ν)). */
  mu: number;
  /** First Lamé parameter λ = Eν / ((1 + ν)(1 − 2ν)). */
  lambda: number;
} {
  positive('lame', 'E', E);
  if (!(nu > -1 && nu < 0.5)) throw new RangeError(`lame: Poisson's ratio must lie in (−1, 0.5), got ${nu}`);
  return { mu: E / (2 * (1 + nu)), lambda: (E * nu) / ((1 + nu) * (1 - 2 * nu)) };
}

/**
 * Rotation R of the polar decomposition F = R S in 2-D: angle atan2(c − b, a + d).
 *
 * @example
 * ```ts
 * import { polarRotation } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * // A pure rotation by 90° times a stretch: R = [[0, −1], [1, 0]].
 * polarRotation(tensor([[[0, -1], [2, 0]]], { dtype: 'float64' })).dataSync(); // [0, −1, 1, 0]
 * ```
 */
export function polarRotation(F: Tensor): Tensor {
  const [a, b, c, d] = entries(F);
  const th = atan2(sub(c, b), add(a, d));
  const [co, si] = [cos(th), sin(th)];
  return mat(co, mul(si, -1), si, co);
}

/**
 * Fixed corotated elasticity (Stomakhin et al. 2012): P = 2μ(F − R) + λ(J − 1) J F^{-T}.
 *
 * @example
 * ```ts
 * import { fixedCorotated, lame } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const { mu, lambda } = lame(1000, 0.3);
 * const P = fixedCorotated(mu, lambda)(tensor([[[1.1, 0], [0, 1]]])); // [1, 2, 2] stress of a 10% stretch
 * ```
 */
export function fixedCorotated(mu: number, lambda: number): StressFn {
  return (F) => {
    const R = polarRotation(F);
    const { J, FinvT } = detInvT(F);
    return add(mul(sub(F, R), 2 * mu), mul(FinvT, mul(mul(sub(J, 1), J), lambda).reshape([-1, 1, 1])));
  };
}

/**
 * Compressible neo-Hookean: P = μ(F − F^{-T}) + λ log(J) F^{-T}.
 *
 * @example
 * ```ts
 * import { neoHookean } from '@difflab/pde';
 * import { eye, reshape } from '@difflab/tensor';
 * neoHookean(100, 100)(reshape(eye(2), [1, 2, 2])).dataSync(); // [0, 0, 0, 0]: stress-free at rest
 * ```
 */
export function neoHookean(mu: number, lambda: number): StressFn {
  return (F) => {
    const { J, FinvT } = detInvT(F);
    return add(mul(sub(F, FinvT), mu), mul(FinvT, mul(log(J), lambda).reshape([-1, 1, 1])));
  };
}

/**
 * Options of {@link neuralConstitutive}.
 *
 * @example
 * ```ts
 * import { neuralConstitutive, type NeuralConstitutiveOptions } from '@difflab/pde';
 * const opts: NeuralConstitutiveOptions = { hidden: [16, 16], scale: 400, dtype: 'float64' };
 * const law = neuralConstitutive(opts);
 * ```
 */
export interface NeuralConstitutiveOptions {
  /** Hidden layer sizes (default [32, 32]). */
  hidden?: readonly number[];
  /** Stress scale multiplying the network's coefficients (≈ the expected stiffness, default 1). */
  scale?: number;
  /** Seed of the initial weights (default 0). */
  key?: number;
  /** dtype of the weights (default 'float32'). */
  dtype?: 'float32' | 'float64';
}

/**
 * A learnable stress law: parameters and P(F) as a function of them.
 *
 * @example
 * ```ts
 * import { neuralConstitutive, type NeuralConstitutive, type StressFn } from '@difflab/pde';
 * const law: NeuralConstitutive = neuralConstitutive({ scale: 400 });
 * const stress: StressFn = (F) => law.stress(law.params, F); // plug into mpm2d().step
 * ```
 */
export interface NeuralConstitutive {
  /** Initial parameters of the MLP. */
  params: DenseParams[];
  /** P(F) for the given parameters. */
  stress(params: DenseParams[], F: Tensor): Tensor;
}

/**
 * A learnable hyperelastic-style law in the spirit of NCLaw (Ma et al. 2023) that is
 * rotation-equivariant and stress-free at rest by construction:
 *
 *   P(F) = F · [ a₀(ξ) I + a₁(ξ) C − (a₀(0) + a₁(0)) I ],   C = FᵀF,  ξ = (tr C − 2, det F − 1),
 *
 * with (a₀, a₁) an MLP of the rotation invariants ξ. In 2-D every isotropic symmetric function of C
 * has the form a₀ I + a₁ C (Cayley–Hamilton), so this covers all isotropic elastic laws; P(QF) =
 * Q P(F) for rotations Q, and P(R) = 0 for every rotation R (undeformed equilibrium).
 *
 * @example
 * ```ts
 * import { fixedCorotated, neuralConstitutive } from '@difflab/pde';
 * import { grad, mean, square, sub, tensor, type DenseParams } from '@difflab/tensor';
 * const law = neuralConstitutive({ scale: 400, dtype: 'float64' });
 * const F = tensor([[[1.1, 0.05], [0, 0.95]]], { dtype: 'float64' });
 * const target = fixedCorotated(400, 400)(F);
 * // Fit the law to reference stresses (or, through mpm2d, to observed trajectories).
 * const g = grad((p: DenseParams[]) => mean(square(sub(law.stress(p, F), target))))(law.params);
 * ```
 */
export function neuralConstitutive(opts: NeuralConstitutiveOptions = {}): NeuralConstitutive {
  const hidden = opts.hidden ?? [32, 32];
  hidden.forEach((h, i) => integer('neuralConstitutive', `hidden[${i}]`, h, 1));
  const scale = positive('neuralConstitutive', 'scale', opts.scale ?? 1);
  const dtype = opts.dtype ?? 'float32';
  const net = mlp([2, ...hidden, 2], { activation: 'tanh', key: opts.key ?? 0, dtype, init: nn.glorotNormal });
  const zero = tensor([[0, 0]], { dtype });
  const stress = (ps: DenseParams[], F: Tensor): Tensor => {
    const C = matmul(swapAxes(F, 1, 2), F);
    const [a, b, c, d] = entries(F);
    const trC = add(slice(C, null, 0, 0), slice(C, null, 1, 1));
    const J = sub(mul(a, d), mul(b, c));
    const xi = stack([sub(trC, 2), sub(J, 1)], 1);
    const coef = mul(net.apply(ps, concat([xi, zero], 0)), scale);
    const P = F.shape[0]!;
    const a0 = reshape(slice(coef, { stop: P }, 0), [P, 1, 1]);
    const a1 = reshape(slice(coef, { stop: P }, 1), [P, 1, 1]);
    const rest = add(slice(coef, P, 0), slice(coef, P, 1));
    const eye = tensor(
      [
        [
          [1, 0],
          [0, 1],
        ],
      ],
      { dtype: F.dtype },
    );
    const S = add(mul(sub(a0, rest), eye), mul(a1, C));
    return einsum('pij,pjk->pik', F, S);
  };
  return { params: net.params, stress };
}
