import { ShapeError, Tensor, ValueError, add, concat, fmtShape, mean, mul, square, sum, tensor } from '@difflab/tensor';
import type { Geometry } from '../geometry/geometry.js';
import { finite, positive } from '../internal/checks.js';
import { CausalLoss, type CausalOptions } from './causal.js';
import type { Condition, ResidualContext } from './conditions.js';
import { AutodiffDerivatives, JetDerivatives, type FieldDerivatives } from './derivatives.js';
import { Jet, normalizePairs, type Pair } from './jet.js';
import type { PinnModel } from './networks.js';
import { applyTransform, applyTransformJet, transformHasJet, type OutputTransform } from './transforms.js';

/**
 * The trainable state of a PINN: the network's parameters and the PDE coefficients.
 *
 * @example
 * ```ts
 * import { pinn, pinnMlp, interval, type PinnParams } from '@difflab/pde';
 * const problem = pinn({ model: pinnMlp([1, 8, 1]), collocation: interval(0, 1).sample(16), coefficients: { k: 1 }, pde: (D, ctx) => D.d2(0, 0).add(D.value().mul(ctx.coefficients.k!)) });
 * const params: PinnParams<typeof problem.initialParams.net> = problem.initialParams;
 * params.coefficients.k!.item(); // 1
 * ```
 */
export interface PinnParams<P> {
  /** Network parameters. */
  net: P;
  /** Trainable PDE coefficients, by name (scalar tensors unless given otherwise). */
  coefficients: Record<string, Tensor>;
}

/**
 * The PDE residual(s) of a PINN as a function of the field’s derivatives and the trainable coefficients.
 *
 * @example
 * ```ts
 * import { type PdeResidual } from '@difflab/pde';
 * const nu = 0.01 / Math.PI;
 * // Burgers: u_t + u u_x − ν u_xx on rows (x, t).
 * const burgers: PdeResidual = (D) => D.d(1).add(D.value().mul(D.d(0))).sub(D.d2(0, 0).mul(nu));
 * ```
 */
export type PdeResidual = (D: FieldDerivatives, ctx: ResidualContext) => Tensor | Tensor[];

/**
 * Options of {@link pinn}.
 *
 * @example
 * ```ts
 * import { pinn, pinnMlp, interval, type PinnOptions } from '@difflab/pde';
 * const model = pinnMlp([1, 16, 1], { dtype: 'float64' });
 * const opts: PinnOptions<typeof model.params> = { model, collocation: interval(0, 1).sample(32, { dtype: 'float64' }), pde: (D) => D.d2(0, 0).add(1) };
 * const problem = pinn(opts);
 * ```
 */
export interface PinnOptions<P> {
  /** The network (e.g. {@link pinnMlp}) or any {@link PinnModel}. */
  model: PinnModel<P>;
  /** The PDE residual(s) at the collocation points, each [N, 1] (an array for systems). */
  pde: PdeResidual;
  /** Initial collocation points [N, d] (resampling may replace them). */
  collocation: Tensor;
  /** Soft constraints: boundary/initial conditions, observations. */
  conditions?: readonly Condition[];
  /** When given, collocation points must lie in it (checked), and resampling draws from it. */
  geometry?: Geometry;
  /** Trainable PDE coefficients (inverse problems) with their initial values. */
  coefficients?: Record<string, number | Tensor>;
  /** Hard constraints / output transform. */
  transform?: OutputTransform;
  /**
   * Second derivatives the PDE reads, as coordinate pairs (Taylor mode computes only these;
   * default: every ∂²/∂x_i²). E.g. `[[0, 0]]` for u_xx of a 1-D time-dependent problem.
   */
  secondDerivatives?: readonly Pair[];
  /** 'taylor' (forward jets; needs `model.jet`), 'reverse' (nested reverse passes) or 'auto' (default). */
  derivatives?: 'auto' | 'taylor' | 'reverse';
  /** Weight of the PDE term (default 1). */
  pdeWeight?: number;
  /** Causal weighting of the PDE term over time slices. */
  causal?: CausalOptions | boolean;
}

function dtypeOfTree(t: unknown): string | null {
  if (t instanceof Tensor) return t.dtype;
  if (Array.isArray(t))
    for (const v of t) {
      const d = dtypeOfTree(v);
      if (d) return d;
    }
  if (t && typeof t === 'object')
    for (const v of Object.values(t)) {
      const d = dtypeOfTree(v);
      if (d) return d;
    }
  return null;
}

/**
 * A physics-informed neural network problem (Raissi et al. 2019): the network u_θ, a PDE residual
 * at collocation points and soft conditions, combined as
 *
 *   `L(θ, λ) = w_pde · mean‖R[u_θ; λ](x_c)‖² + Σ_k w_k · mean‖B_k[u_θ](x_k)‖²`,
 *
 * with optional hard constraints (output transform), trainable coefficients λ and causal weights.
 * All methods are pure functions of the params pytree `{ net, coefficients }`.
 *
 * @example
 * ```ts
 * import { pinn, pinnMlp, interval } from '@difflab/pde';
 * const I = interval(-1, 1);
 * const problem = pinn({ model: pinnMlp([1, 16, 1]), geometry: I, collocation: I.sample(64), pde: (D) => D.d2(0, 0).add(1) });
 * const p = problem.initialParams;
 * problem.loss(p); // scalar weighted loss
 * problem.residual(p); // [64, 1]
 * problem.predict(p, I.grid(5)); // [5, 1]
 * ```
 */
export class Pinn<P> {
  /** The network. */
  readonly model: PinnModel<P>;
  /** The soft conditions. */
  readonly conditions: readonly Condition[];
  /** The domain, when given. */
  readonly geometry?: Geometry;
  /** The output transform, when given. */
  readonly transform?: OutputTransform;
  /** Second-derivative pairs Taylor mode propagates. */
  readonly pairs: readonly Pair[];
  /** Whether derivatives come from Taylor jets (else nested reverse passes). */
  readonly useJets: boolean;
  /** Weight of the PDE term. */
  readonly pdeWeight: number;
  /** Loss-term names: 'pde' then the conditions' (made unique). */
  readonly names: readonly string[];
  /** Weights of the loss terms, in the order of `names`. */
  readonly weights: readonly number[];
  /** The network’s initial parameters and the coefficients’ initial values. */
  readonly initialParams: PinnParams<P>;
  /** dtype of the network and of every point set. */
  readonly dtype: 'float32' | 'float64';
  private readonly pde: PdeResidual;
  private causalOpts: CausalOptions | null;
  private causal_: CausalLoss | null = null;
  private collocation_: Tensor;

  constructor(opts: PinnOptions<P>) {
    const op = 'pinn';
    if (!opts.model || typeof opts.model.apply !== 'function')
      throw new ValueError(`${op}: model must have params and apply(params, x)`);
    if (typeof opts.pde !== 'function')
      throw new ValueError(`${op}: pde must be a residual function (D, ctx) => Tensor`);
    this.model = opts.model;
    this.pde = opts.pde;
    this.geometry = opts.geometry;
    this.transform = opts.transform;
    const dtype = dtypeOfTree(opts.model.params);
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new ValueError(`${op}: model params must be float32 or float64 tensors`);
    this.dtype = dtype;
    const x = opts.collocation;
    this.checkPoints('pinn: collocation', x);
    const d = x.shape[1]!;
    this.pairs = normalizePairs(op, opts.secondDerivatives ?? Array.from({ length: d }, (_, i) => [i, i] as Pair), d);
    const mode = opts.derivatives ?? 'auto';
    if (!['auto', 'taylor', 'reverse'].includes(mode))
      throw new ValueError(`${op}: derivatives must be 'auto', 'taylor' or 'reverse', got '${mode}'`);
    const jetOk = typeof opts.model.jet === 'function' && transformHasJet(opts.transform);
    if (mode === 'taylor' && !jetOk)
      throw new ValueError(`${op}: Taylor-mode derivatives need model.jet and a jet-capable transform`);
    this.useJets = mode === 'taylor' || (mode === 'auto' && jetOk);
    this.pdeWeight = opts.pdeWeight === undefined ? 1 : positive(op, 'pdeWeight', opts.pdeWeight);
    this.conditions = opts.conditions ?? [];
    const seen = new Map<string, number>();
    const names = ['pde'];
    for (const c of this.conditions) {
      if (!c || typeof c.residual !== 'function')
        throw new ValueError(`${op}: conditions must be built with dirichletBC, neumannBC, … (got ${typeof c})`);
      this.checkPoints(`pinn: condition '${c.name}'`, c.points);
      const k = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, k);
      names.push(k === 1 ? c.name : `${c.name}${k}`);
    }
    this.names = names;
    this.weights = [this.pdeWeight, ...this.conditions.map((c) => c.weight)];
    const coefficients: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(opts.coefficients ?? {})) {
      const t = typeof v === 'number' ? tensor(finite(op, `coefficient '${k}'`, v), { dtype }) : v;
      if (!(t instanceof Tensor)) throw new ValueError(`${op}: coefficient '${k}' must be a number or a tensor`);
      coefficients[k] = t.dtype === dtype ? t : t.astype(dtype);
    }
    this.initialParams = { net: opts.model.params, coefficients };
    this.causalOpts = opts.causal ? (opts.causal === true ? {} : opts.causal) : null;
    this.collocation_ = x;
    this.setCollocation(x);
  }

  private checkPoints(op: string, x: Tensor): void {
    if (!(x instanceof Tensor) || x.ndim !== 2 || x.shape[0] === 0)
      throw new ShapeError(
        `${op} points must be a non-empty [N, d] tensor, got ${x instanceof Tensor ? fmtShape(x.shape) : typeof x}`,
      );
    if (x.dtype !== this.dtype) throw new ValueError(`${op} points are ${x.dtype} but the model is ${this.dtype}`);
    if (this.collocation_ && x.shape[1] !== this.collocation_.shape[1])
      throw new ShapeError(
        `${op} points have ${x.shape[1]} coordinates, the collocation points ${this.collocation_.shape[1]}`,
      );
    if (this.geometry) this.geometry.assertContains(op, x);
  }

  /** The current collocation points [N, d]. */
  get collocation(): Tensor {
    return this.collocation_;
  }

  /** Replaces the collocation points (resampling); they must lie in the geometry. */
  setCollocation(x: Tensor): void {
    this.checkPoints('pinn.setCollocation:', x);
    this.collocation_ = x;
    this.causal_ = this.causalOpts
      ? new CausalLoss(x, { ...this.causalOpts, epsilon: this.causal_?.epsilon ?? this.causalOpts.epsilon })
      : null;
  }

  /** The causal weighting, or null without causal training. */
  get causal(): CausalLoss | null {
    return this.causal_;
  }

  /** The (transformed) network output at x [N, d] → [N, m]. */
  predict(params: PinnParams<P>, x: Tensor): Tensor {
    return applyTransform(this.transform, x, this.model.apply(params.net, x));
  }

  /** Derivatives of the transformed output at x, for residuals needing up to `order` derivatives. */
  derivatives(params: PinnParams<P>, x: Tensor, order: 0 | 1 | 2 = 2): FieldDerivatives {
    if (order === 0) return new ValuesOnly(x, this.predict(params, x));
    if (this.useJets) {
      const X = Jet.input(x, order === 2 ? this.pairs : []);
      return new JetDerivatives(x, applyTransformJet(this.transform, x, X, this.model.jet!(params.net, X)));
    }
    return new AutodiffDerivatives(x, (p) => this.predict(params, p));
  }

  /** PDE residuals at x, concatenated as [N, k]. */
  residual(params: PinnParams<P>, x: Tensor = this.collocation_): Tensor {
    const r = this.pde(this.derivatives(params, x, 2), { coefficients: params.coefficients });
    const parts = Array.isArray(r) ? r : [r];
    parts.forEach((p, i) => {
      if (!(p instanceof Tensor) || p.ndim !== 2 || p.shape[0] !== x.shape[0])
        throw new ShapeError(
          `pinn: PDE residual ${i} must be [${x.shape[0]}, k], got ${p instanceof Tensor ? fmtShape(p.shape) : typeof p}`,
        );
    });
    return parts.length === 1 ? parts[0]! : concat(parts, 1);
  }

  /** The unweighted loss terms, in the order of `names` (the PDE term causally weighted when enabled). */
  losses(params: PinnParams<P>): Tensor[] {
    const r = this.residual(params);
    const r2 = r.shape[1] === 1 ? square(r) : sum(square(r), 1, true);
    const pdeLoss = this.causal_ ? this.causal_.loss(r2).loss : mean(r2);
    const ctx = { coefficients: params.coefficients };
    return [
      pdeLoss,
      ...this.conditions.map((c) => mean(square(c.residual(this.derivatives(params, c.points, c.order), ctx)))),
    ];
  }

  /** The weighted total loss. */
  loss(params: PinnParams<P>): Tensor {
    return this.losses(params).reduce(
      (acc, l, i) => add(acc, mul(l, this.weights[i]!)),
      tensor(0, { dtype: this.dtype }),
    );
  }

  /** Current causal weights (numbers) at `params`, or null without causal training. */
  causalWeights(params: PinnParams<P>): Float64Array | null {
    if (!this.causal_) return null;
    const r = this.residual(params);
    return Float64Array.from(this.causal_.loss(sum(square(r), 1, true)).weights.dataSync() as ArrayLike<number>);
  }
}

/** Values only, for conditions that read no derivatives. */
class ValuesOnly implements FieldDerivatives {
  constructor(
    readonly x: Tensor,
    readonly u: Tensor,
  ) {}
  value(c = 0): Tensor {
    if (!Number.isInteger(c) || c < 0 || c >= this.u.shape[1]!)
      throw new ValueError(`value: component ${c} out of range for a field with ${this.u.shape[1]} outputs`);
    return this.u.slice(null, { start: c, stop: c + 1 });
  }
  private none(): never {
    throw new ValueError(
      'this condition was declared with order 0 (values only); declare order 1 or 2 to read derivatives',
    );
  }
  d(): Tensor {
    return this.none();
  }
  d2(): Tensor {
    return this.none();
  }
  gradient(): Tensor {
    return this.none();
  }
  laplacian(): Tensor {
    return this.none();
  }
}

/**
 * Builds a {@link Pinn} problem (see {@link PinnOptions}); checks the points against the geometry and the dtypes.
 *
 * @example
 * ```ts
 * import { dirichletBC, interval, pinn, pinnMlp } from '@difflab/pde';
 * import { mul, sin, tensor } from '@difflab/tensor';
 * // −u'' = π² sin(πx) on [−1, 1], u(±1) = 0.
 * const I = interval(-1, 1);
 * const problem = pinn({
 *   model: pinnMlp([1, 20, 20, 1], { dtype: 'float64' }),
 *   geometry: I,
 *   collocation: I.sample(64, { method: 'sobol', dtype: 'float64' }),
 *   pde: (D) => D.d2(0, 0).add(mul(sin(mul(D.x, Math.PI)), Math.PI ** 2)),
 *   conditions: [dirichletBC({ points: tensor([[-1], [1]], { dtype: 'float64' }), value: 0 })],
 * });
 * ```
 */
export function pinn<P>(opts: PinnOptions<P>): Pinn<P> {
  return new Pinn(opts);
}
