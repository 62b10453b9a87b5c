import {
  ShapeError,
  Tensor,
  ValueError,
  add,
  concat,
  cos,
  exp,
  fmtShape,
  matmul,
  mul,
  neg,
  sigmoid,
  sin,
  slice,
  softplus,
  square,
  sub,
  swapAxes,
  tanh,
  zerosLike,
  onesLike,
  broadcastTo,
  fromTypedArray,
} from '@difflab/tensor';

/**
 * A second-derivative index pair (i ≤ j) over the input coordinates.
 *
 * @example
 * ```ts
 * import { Jet, type Pair } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * const pairs: Pair[] = [[0, 0], [0, 1]]; // u_xx and u_xy
 * const X = Jet.input(tensor([[1, 2]]), pairs);
 * ```
 */
export type Pair = readonly [number, number];

/**
 * A second-order Taylor jet of a batch of fields with respect to the d input coordinates: the
 * values u [N, m], the first partials ∂u/∂x_i (d tensors [N, m]) and the requested second
 * partials ∂²u/∂x_i∂x_j (one [N, m] tensor per pair in `pairs`).
 *
 * Jets propagate forward through a network in one pass (Taylor-mode differentiation): a dense
 * layer is a single matmul over all rows stacked, an activation applies f, f′ and f″ by the chain
 * rule. For the N-point batches of a PINN this is cheaper than nested reverse passes, and every
 * piece stays an ordinary differentiable tensor, so gradients with respect to the weights (for
 * training) come from the usual reverse mode. Rows known to be zero are `null` and skipped.
 *
 * @example
 * ```ts
 * import { Jet } from '@difflab/pde';
 * import { tensor } from '@difflab/tensor';
 * // u = sin(x)·y at (x, y) = (0, 2): u_x = 2, u_xx = 0, u_xy = 1.
 * const X = Jet.input(tensor([[0, 2]], { dtype: 'float64' }), [[0, 0], [0, 1]]);
 * const U = X.columns(0).sin().mul(X.columns(1));
 * [U.d(0).item(), U.dd(0, 0).item(), U.dd(0, 1).item()]; // [2, 0, 1]
 * ```
 */
export class Jet {
  /** Values u, [N, m]. */
  readonly value: Tensor;
  /** First partials ∂u/∂x_i, one [N, m] tensor per input coordinate (null: known zero). */
  readonly first: readonly (Tensor | null)[];
  /** Second partials, one [N, m] tensor per pair of `pairs` (null: known zero). */
  readonly second: readonly (Tensor | null)[];
  /** The coordinate pairs (i ≤ j) whose second partials are carried. */
  readonly pairs: readonly Pair[];
  private readonly pairIndex: Map<string, number>;

  constructor(
    value: Tensor,
    first: readonly (Tensor | null)[],
    second: readonly (Tensor | null)[],
    pairs: readonly Pair[],
  ) {
    if (value.ndim !== 2) throw new ShapeError(`Jet: values must be [N, m], got ${fmtShape(value.shape)}`);
    if (second.length !== pairs.length)
      throw new ValueError(`Jet: ${second.length} second-derivative rows for ${pairs.length} pairs`);
    this.value = value;
    this.first = first;
    this.second = second;
    this.pairs = pairs;
    this.pairIndex = new Map(pairs.map(([i, j], k) => [`${i},${j}`, k]));
  }

  /** The jet of the identity map at the points x [N, d]: values x, ∂x/∂x_i = e_i, no curvature. */
  static input(x: Tensor, pairs: readonly Pair[] = []): Jet {
    if (x.ndim !== 2) throw new ShapeError(`Jet.input: points must be [N, d], got ${fmtShape(x.shape)}`);
    const d = x.shape[1]!;
    const ps = normalizePairs('Jet.input', pairs, d);
    const first = Array.from({ length: d }, (_, i) => {
      const e = new (x.dtype === 'float64' ? Float64Array : Float32Array)(d);
      e[i] = 1;
      return broadcastTo(fromTypedArray(e, [1, d], { dtype: x.dtype, device: x.device }), x.shape);
    });
    return new Jet(
      x,
      first,
      ps.map(() => null),
      ps,
    );
  }

  /** Number of input coordinates d. */
  get dim(): number {
    return this.first.length;
  }
  /** Number of points N. */
  get n(): number {
    return this.value.shape[0]!;
  }
  /** Number of field components m. */
  get width(): number {
    return this.value.shape[1]!;
  }

  /** ∂/∂x_i, [N, m]. */
  d(i: number): Tensor {
    if (!Number.isInteger(i) || i < 0 || i >= this.dim)
      throw new ValueError(`Jet.d: coordinate ${i} out of range for ${this.dim} inputs`);
    return this.first[i] ?? zerosLike(this.value);
  }

  /** ∂²/∂x_i∂x_j, [N, m]; the pair must be one the jet was built with. */
  dd(i: number, j: number): Tensor {
    const k = this.pairIndex.get(i <= j ? `${i},${j}` : `${j},${i}`);
    if (k === undefined)
      throw new ValueError(
        `Jet.dd: second derivative (${i}, ${j}) was not requested; the jet carries ${this.pairs.length ? this.pairs.map((p) => `(${p})`).join(' ') : 'none'}`,
      );
    return this.second[k] ?? zerosLike(this.value);
  }

  /** Whether the second partial ∂²/∂x_i∂x_j is carried. */
  hasPair(i: number, j: number): boolean {
    return this.pairIndex.has(i <= j ? `${i},${j}` : `${j},${i}`);
  }

  private with(value: Tensor, rowFn: (r: Tensor) => Tensor): Jet {
    const f = (r: Tensor | null) => (r === null ? null : rowFn(r));
    return new Jet(value, this.first.map(f), this.second.map(f), this.pairs);
  }

  /** Output columns [start, stop) (e.g. one component of a vector field). */
  columns(start: number, stop = start + 1): Jet {
    if (!(start >= 0 && stop <= this.width && start < stop))
      throw new ValueError(`Jet.columns: [${start}, ${stop}) out of range for width ${this.width}`);
    const cut = (r: Tensor) => slice(r, null, { start, stop });
    return this.with(cut(this.value), cut);
  }

  /** x Wᵀ + b for W [out, in] (PyTorch layout) and b [out]: one matmul over all rows; the bias only shifts the values. */
  linear(w: Tensor, b?: Tensor | null): Jet {
    const m = this.width;
    if (w.ndim !== 2 || w.shape[1] !== m)
      throw new ShapeError(`Jet.linear: weight ${fmtShape(w.shape)} does not take ${m} inputs`);
    const rows = [this.value, ...this.first, ...this.second].filter((r): r is Tensor => r !== null);
    const n = this.n;
    const z = matmul(rows.length === 1 ? rows[0]! : concat(rows, 0), swapAxes(w, 0, 1));
    let k = 0;
    const next = (r: Tensor | null) => (r === null ? null : slice(z, { start: n * k, stop: n * ++k }));
    const value = next(this.value)!;
    return new Jet(b ? add(value, b) : value, this.first.map(next), this.second.map(next), this.pairs);
  }

  /**
   * Elementwise f from f(v), f′(v), f″(v) at the values: first rows scale by f′, second rows
   * become f″·∂_i·∂_j + f′·∂_ij.
   */
  map(f: Tensor, f1: Tensor, f2: Tensor): Jet {
    const first = this.first.map((r) => (r === null ? null : mul(r, f1)));
    const second = this.pairs.map(([i, j], k) => {
      const di = this.first[i] ?? null;
      const dj = this.first[j] ?? null;
      const dd = this.second[k] ?? null;
      const curv = di && dj ? mul(f2, i === j ? square(di) : mul(di, dj)) : null;
      const lin = dd ? mul(dd, f1) : null;
      return curv && lin ? add(curv, lin) : (curv ?? lin);
    });
    return new Jet(f, first, second, this.pairs);
  }

  /** tanh, elementwise. */
  tanh(): Jet {
    const t = tanh(this.value);
    const s = sub(1, square(t));
    return this.map(t, s, mul(mul(t, s), -2));
  }
  /** sin, elementwise. */
  sin(): Jet {
    const s = sin(this.value);
    return this.map(s, cos(this.value), neg(s));
  }
  /** cos, elementwise. */
  cos(): Jet {
    const c = cos(this.value);
    return this.map(c, neg(sin(this.value)), neg(c));
  }
  /** exp, elementwise. */
  exp(): Jet {
    const e = exp(this.value);
    return this.map(e, e, e);
  }
  /** Logistic sigmoid, elementwise. */
  sigmoid(): Jet {
    const s = sigmoid(this.value);
    const s1 = mul(s, sub(1, s));
    return this.map(s, s1, mul(s1, sub(1, mul(s, 2))));
  }
  /** log(1 + eˣ), elementwise. */
  softplus(): Jet {
    const s = sigmoid(this.value);
    return this.map(softplus(this.value), s, mul(s, sub(1, s)));
  }
  /** x², elementwise. */
  square(): Jet {
    const v = this.value;
    return this.map(square(v), mul(v, 2), mul(onesLike(v), 2));
  }

  /** −x. */
  neg(): Jet {
    return this.with(neg(this.value), neg);
  }

  /** Sum with another jet of the same points, or with a constant (tensor broadcastable to [N, m], or a number). */
  add(other: Jet | Tensor | number): Jet {
    if (!(other instanceof Jet)) return new Jet(add(this.value, other), this.first, this.second, this.pairs);
    checkSame('Jet.add', this, other);
    const plus = (a: Tensor | null, b: Tensor | null) => (a && b ? add(a, b) : (a ?? b));
    return new Jet(
      add(this.value, other.value),
      this.first.map((r, i) => plus(r, other.first[i]!)),
      this.second.map((r, k) => plus(r, other.second[k]!)),
      this.pairs,
    );
  }

  /** Difference with a jet, a tensor (constant in x) or a number. */
  sub(other: Jet | Tensor | number): Jet {
    return this.add(other instanceof Jet ? other.neg() : neg(other));
  }

  /** Product with another jet (Leibniz rule) or with a constant (every row scales). */
  mul(other: Jet | Tensor | number): Jet {
    if (!(other instanceof Jet)) return this.with(mul(this.value, other), (r) => mul(r, other));
    checkSame('Jet.mul', this, other);
    const u = this.value;
    const v = other.value;
    const sum = (...ts: (Tensor | null)[]) => ts.reduce<Tensor | null>((a, b) => (a && b ? add(a, b) : (a ?? b)), null);
    const prod = (a: Tensor | null, b: Tensor | null) => (a && b ? mul(a, b) : null);
    const first = this.first.map((du, i) => sum(prod(du, v), prod(other.first[i]!, u)));
    const second = this.pairs.map(([i, j], k) =>
      sum(
        prod(this.second[k]!, v),
        prod(other.second[k]!, u),
        prod(this.first[i]!, other.first[j]!),
        prod(this.first[j]!, other.first[i]!),
      ),
    );
    return new Jet(mul(u, v), first, second, this.pairs);
  }

  /** Concatenates jets of the same points along the output axis. */
  static concat(jets: readonly Jet[]): Jet {
    if (jets.length === 0) throw new ValueError('Jet.concat: no jets');
    const j0 = jets[0]!;
    jets.forEach((j) => checkSame('Jet.concat', j0, j));
    const cat = (rows: (Tensor | null)[]) =>
      rows.every((r) => r === null)
        ? null
        : concat(
            rows.map((r, i) => r ?? zerosLike(jets[i]!.value)),
            1,
          );
    return new Jet(
      concat(
        jets.map((j) => j.value),
        1,
      ),
      j0.first.map((_, i) => cat(jets.map((j) => j.first[i]!))),
      j0.second.map((_, k) => cat(jets.map((j) => j.second[k]!))),
      j0.pairs,
    );
  }
}

function checkSame(op: string, a: Jet, b: Jet): void {
  if (
    a.dim !== b.dim ||
    a.pairs.length !== b.pairs.length ||
    a.pairs.some((p, i) => p[0] !== b.pairs[i]![0] || p[1] !== b.pairs[i]![1])
  )
    throw new ValueError(`${op}: jets differ in their input dimension or second-derivative pairs`);
  if (a.n !== b.n) throw new ShapeError(`${op}: jets hold ${a.n} and ${b.n} points`);
}

export function normalizePairs(op: string, pairs: readonly Pair[], d: number): Pair[] {
  const seen = new Set<string>();
  return pairs.map((p) => {
    const [a, b] = p;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= d || b >= d)
      throw new ValueError(`${op}: second-derivative pair (${a}, ${b}) out of range for ${d} inputs`);
    const q: Pair = a <= b ? [a, b] : [b, a];
    const key = `${q[0]},${q[1]}`;
    if (seen.has(key)) throw new ValueError(`${op}: second-derivative pair (${key}) listed twice`);
    seen.add(key);
    return q;
  });
}
