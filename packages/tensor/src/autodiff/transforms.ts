import { isFloat } from '../dtype.js';
import { GradError, ValueError, fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { flatten, unflatten, type TreeDef } from '../tree.js';
import { add, mul } from '../ops/binary.js';
import { fromTypedArray, onesLike, zeros, zerosLike } from '../ops/creation.js';
import { viewOf } from '../ops/core.js';
import { sum } from '../ops/reduce.js';
import { reshape, stack } from '../ops/shape.js';
import { backward, record } from './graph.js';
import { stopGradient } from './stop.js';

/** How many transforms are currently tracing; results are detached when it returns to 0. */
let depth = 0;

function traced<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/**
 * Detaches results at top level so stored values (loss histories) do not pin the graph. The
 * results themselves are detached rather than wrapped in fresh views: a view would leave the
 * traced original holding the storage, so disposing the returned tensor would free nothing.
 */
function release<T>(x: T): T {
  if (depth > 0) return x;
  for (const leaf of flatten(x).leaves) leaf.node = null;
  return x;
}

/** Like {@link release}, but keeps the traced originals intact for a pullback that still needs them. */
function releaseCopy<T>(x: T): T {
  if (depth > 0) return x;
  const { leaves, treedef } = flatten(x);
  return unflatten<T>(treedef, leaves.map(stopGradient));
}

/** A fresh traced leaf aliasing `x`; linked to `x` when an outer transform traces `x`. */
function traceLeaf(op: string, x: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new GradError(`${op}: differentiable arguments must be Tensors (or pytrees of Tensors)`);
  if (!isFloat(x.dtype))
    throw new GradError(`${op}: cannot differentiate with respect to a ${x.dtype} tensor of shape ${fmtShape(x.shape)}; cast it to float32/float64`);
  const leaf = viewOf(x, x.shape, x.strides, x.offset);
  leaf.node = { name: 'input', inputs: x.node ? [x] : [], vjp: (g) => [g] };
  return leaf;
}

function normalizeArgnums(op: string, argnums: number | readonly number[] | undefined, nargs: number): number[] {
  const list = argnums === undefined ? [0] : typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const a of list)
    if (!Number.isInteger(a) || a < 0 || a >= nargs) throw new GradError(`${op}: argnums ${JSON.stringify(argnums)} out of range for ${nargs} argument(s)`);
  return list;
}

interface Traced {
  args: unknown[];
  leaves: Tensor[][];
  defs: TreeDef[];
}

function traceArgs(op: string, args: unknown[], argnums: number[]): Traced {
  const out = [...args];
  const leaves: Tensor[][] = [];
  const defs: TreeDef[] = [];
  for (const i of argnums) {
    const f = flatten(args[i]);
    if (f.leaves.length === 0) throw new GradError(`${op}: argument ${i} contains no Tensor to differentiate`);
    const ls = f.leaves.map((l) => traceLeaf(op, l));
    leaves.push(ls);
    defs.push(f.treedef);
    out[i] = unflatten(f.treedef, ls);
  }
  return { args: out, leaves, defs };
}

function scalarOutput(op: string, y: unknown): Tensor {
  if (!(y instanceof Tensor)) throw new GradError(`${op}: the function must return a scalar Tensor, got ${typeof y}`);
  if (y.size !== 1) throw new GradError(`${op}: the function must return a scalar (size-1) Tensor, got shape ${fmtShape(y.shape)}; reduce it (e.g. .sum()) or use vjp/jacobian`);
  if (!isFloat(y.dtype))
    throw new GradError(`${op}: the function returned a ${y.dtype} tensor of shape ${fmtShape(y.shape)}; only float outputs are differentiable`);
  return y;
}

function gradsFor(y: Tensor, seed: Tensor, t: Traced, single: boolean): unknown {
  const flat = t.leaves.flat();
  const gs = backward([y], [seed], flat, add);
  let k = 0;
  const trees = t.leaves.map((ls, j) => unflatten(t.defs[j]!, ls.map((l) => gs[k++] ?? zerosLike(l))));
  return single ? trees[0] : trees;
}

/**
 * Options of {@link grad} and {@link valueAndGrad} (JAX's `argnums` / `has_aux`).
 *
 * @example
 * ```ts
 * import { grad, tensor, Tensor, type GradOptions } from '@difflab/tensor';
 * const opts: GradOptions = { argnums: [0, 1] };
 * const [gx, gy] = grad((x: Tensor, y: Tensor) => x.mul(y).sum(), opts)(tensor([2]), tensor([5]));
 * gx.toArray(); // => [5]
 * gy.toArray(); // => [2]
 * ```
 */
export interface GradOptions {
  /** Which positional arguments to differentiate (default 0). An array returns a tuple of gradients. */
  argnums?: number | readonly number[];
  /** When true, `f` returns `[value, aux]` and aux is passed through untouched. */
  hasAux?: boolean;
}

/**
 * Transforms a scalar function into one returning its value and its gradient, like
 * `jax.value_and_grad`.
 *
 * The returned function gives `[value, grads]`, or `[[value, aux], grads]` with `hasAux`. Arguments
 * may be pytrees (nested objects/arrays of tensors); grads mirror their structure, one tree per
 * entry of an array `argnums`. `f` must return a size-1 float tensor. Results are detached when no
 * outer transform is tracing, so storing them (loss histories) keeps no graph alive. The result is
 * typed `[unknown, unknown]`: assert the structure you expect.
 *
 * @param f - the function to differentiate; its differentiated arguments must be float tensors.
 * @param opts - `argnums` (default 0) and `hasAux` (default false).
 * @returns `(...args) => [value, grads]`.
 * @throws {GradError} when `f` returns a non-scalar or non-float tensor, when a differentiated
 *   argument holds no float tensor, when `argnums` is out of range, or with `hasAux` when `f` does
 *   not return `[value, aux]`.
 *
 * @example
 * ```ts
 * import { valueAndGrad, tensor, Tensor } from '@difflab/tensor';
 * const loss = (p: { w: Tensor }, x: Tensor) => p.w.mul(x).sum().square();
 * const [value, g] = valueAndGrad(loss)({ w: tensor([1, 2]) }, tensor([3, 4])) as [Tensor, { w: Tensor }];
 * value.item(); // => 121
 * g.w.toArray(); // => [66, 88]
 * ```
 */
export function valueAndGrad<A extends unknown[]>(f: (...args: A) => unknown, opts: GradOptions = {}) {
  return (...args: A): [unknown, unknown] => {
    const argnums = normalizeArgnums('grad', opts.argnums, args.length);
    const res = traced(() => {
      const t = traceArgs('grad', args, argnums);
      const r = f(...(t.args as A));
      const [yRaw, aux] = opts.hasAux ? (Array.isArray(r) && r.length === 2 ? r : badAux()) : [r, undefined];
      const y = scalarOutput('grad', yRaw);
      const g = gradsFor(y, onesLike(y), t, typeof opts.argnums !== 'object');
      return [opts.hasAux ? [y, aux] : y, g] as [unknown, unknown];
    });
    return release(res);
  };
}

function badAux(): never {
  throw new GradError('grad: with hasAux the function must return [value, aux]');
}

/**
 * Transforms a scalar function into one returning its gradient, like `jax.grad` (or
 * `torch.autograd.grad` with a scalar output).
 *
 * The gradient has the structure of the differentiated argument (a pytree for pytree arguments); an
 * array `argnums` returns a tuple of gradients, and `hasAux` returns `[grads, aux]`. Transforms
 * nest to any order because every gradient rule is itself differentiable. The result is typed
 * `any`.
 *
 * @param f - a function returning a size-1 float tensor.
 * @param opts - `argnums` (default 0) and `hasAux` (default false).
 * @returns `(...args) => grads`.
 * @throws {GradError} as {@link valueAndGrad} (e.g. a non-scalar output).
 *
 * @example
 * ```ts
 * import { grad, tensor, Tensor } from '@difflab/tensor';
 * const f = (x: Tensor) => x.pow(3).sum();
 * grad(f)(tensor([1, 2])).toArray(); // => [3, 12]
 * grad((x: Tensor) => grad(f)(x).sum())(tensor([1, 2])).toArray(); // => [6, 12]
 * grad((x: Tensor) => x.square())(tensor([1, 2])); // throws GradError
 * ```
 */
export function grad<A extends unknown[]>(f: (...args: A) => unknown, opts: GradOptions = {}) {
  const vg = valueAndGrad(f, opts);
  return (...args: A): any => {
    const [v, g] = vg(...args);
    return opts.hasAux ? [g, (v as unknown[])[1]] : g;
  };
}

/**
 * Evaluates a function and returns its output with a pullback (vector-Jacobian product), like
 * `jax.vjp`.
 *
 * `vjpFn(cotangent)` takes a cotangent with the structure and shapes of `out` and returns an array
 * with one cotangent per primal (a pytree mirroring it, or null for a primal without tensors).
 * The pullback may be called several times (e.g. with each basis vector).
 *
 * @param f - the function; its output may be a tensor or a pytree of tensors.
 * @param primals - the arguments to evaluate `f` at; all float tensors among them are differentiated.
 * @returns `[out, vjpFn]`.
 * @throws {GradError} when a cotangent's structure or shape differs from the output's.
 *
 * @example
 * ```ts
 * import { vjp, tensor, Tensor } from '@difflab/tensor';
 * const [out, pullback] = vjp((x: Tensor) => x.square(), tensor([1, 2, 3]));
 * out.toArray(); // => [1, 4, 9]
 * pullback(tensor([1, 0, 1]))[0].toArray(); // => [2, 0, 6]
 * ```
 */
export function vjp<A extends unknown[]>(f: (...args: A) => unknown, ...primals: A): [any, (cotangent: unknown) => any[]] {
  const argnums = primals.map((_, i) => i);
  const { t, out } = traced(() => {
    const t = traceArgs('vjp', primals, argnums.filter((i) => flatten(primals[i]).leaves.length > 0));
    return { t, out: f(...(t.args as A)) };
  });
  const outFlat = flatten(out);
  const vjpFn = (cotangent: unknown): unknown[] => {
    const cf = flatten(cotangent);
    if (cf.leaves.length !== outFlat.leaves.length)
      throw new GradError(`vjp: cotangent has ${cf.leaves.length} tensors but the output has ${outFlat.leaves.length}`);
    cf.leaves.forEach((c, i) => {
      const o = outFlat.leaves[i]!;
      if (c.shape.join() !== o.shape.join())
        throw new GradError(`vjp: cotangent shape ${fmtShape(c.shape)} does not match output shape ${fmtShape(o.shape)}`);
    });
    const res = traced(() => {
      const flat = t.leaves.flat();
      const gs = backward(outFlat.leaves, cf.leaves, flat, add);
      let k = 0;
      const trees = t.leaves.map((ls, j) => unflatten(t.defs[j]!, ls.map((l) => gs[k++] ?? zerosLike(l))));
      // Primals without tensors get null cotangents, keeping positions aligned.
      let j = 0;
      return primals.map((p) => (flatten(p).leaves.length > 0 ? trees[j++] : null));
    });
    return release(res);
  };
  return [releaseCopy(out), vjpFn];
}

/**
 * Evaluates a function and its Jacobian-vector product (forward-mode derivative), like `jax.jvp`.
 *
 * Returns `[f(...primals), J·tangents]` where `tangents` has one entry per primal, mirroring its
 * structure and shapes. Computed as the transpose of a VJP (two reverse passes), which is exact
 * and nests with every other transform; it costs about twice a gradient.
 *
 * @param f - the function; its output may be a tensor or a pytree.
 * @param primals - the point to linearise at.
 * @param tangents - the input direction, one per primal.
 * @returns `[out, tangentOut]`, the second with the structure of `out`.
 * @throws {GradError} when the number, structure or shapes of `tangents` do not match `primals`.
 *
 * @example
 * ```ts
 * import { jvp, tensor, Tensor } from '@difflab/tensor';
 * const [out, tangent] = jvp((x: Tensor) => x.square(), [tensor([1, 2, 3])], [tensor([1, 1, 0])]);
 * out.toArray(); // => [1, 4, 9]
 * tangent.toArray(); // => [2, 4, 0]
 * ```
 */
export function jvp<A extends unknown[]>(f: (...args: A) => unknown, primals: A, tangents: unknown[]): [any, any] {
  if (tangents.length !== primals.length) throw new GradError(`jvp: ${primals.length} primals but ${tangents.length} tangents`);
  const res = traced(() => {
    const [out, pullback] = vjp(f, ...primals);
    const of = flatten(out);
    // u is a dummy cotangent; pullback(u) is linear in u, so its VJP at v gives J v.
    const us = of.leaves.map((o) => traceLeaf('jvp', zerosLike(o)));
    const gx = pullback(unflatten(of.treedef, us));
    const gxLeaves: Tensor[] = [];
    const tLeaves: Tensor[] = [];
    gx.forEach((g, i) => {
      if (g === null) return;
      const gl = flatten(g).leaves;
      const tl = flatten(tangents[i]).leaves;
      if (gl.length !== tl.length) throw new GradError(`jvp: tangent ${i} does not match the structure of primal ${i}`);
      tl.forEach((tv, k) => {
        if (tv.shape.join() !== gl[k]!.shape.join())
          throw new GradError(`jvp: tangent shape ${fmtShape(tv.shape)} does not match primal shape ${fmtShape(gl[k]!.shape)}`);
      });
      gxLeaves.push(...gl);
      tLeaves.push(...tl);
    });
    const tan = backward(gxLeaves, tLeaves, us, add).map((g, i) => g ?? zerosLike(us[i]!));
    return [out, unflatten(of.treedef, tan)] as [unknown, unknown];
  });
  return release(res);
}

/**
 * Transforms a tensor-valued function into one returning its full Jacobian, by reverse mode like
 * `jax.jacrev` / `torch.autograd.functional.jacobian`.
 *
 * Each differentiated argument leaf gets a Jacobian of shape `out.shape + arg.shape` (pytrees
 * mirror the argument; an array `argnums` returns a tuple). One reverse pass per output element,
 * so it suits small outputs.
 *
 * @param f - a function returning a float tensor.
 * @param opts - `argnums`: which positional arguments to differentiate (default 0).
 * @returns `(...args) => J`.
 * @throws {GradError} when `f` returns something other than a float tensor.
 *
 * @example
 * ```ts
 * import { jacobian, tensor, Tensor } from '@difflab/tensor';
 * jacobian((x: Tensor) => x.square())(tensor([1, 2])).toArray(); // => [[2, 0], [0, 4]]
 * ```
 */
export function jacobian<A extends unknown[]>(f: (...args: A) => Tensor, opts: { argnums?: number | readonly number[] } = {}) {
  return (...args: A): any => {
    const argnums = normalizeArgnums('jacobian', opts.argnums, args.length);
    const res = traced(() => {
      const t = traceArgs('jacobian', args, argnums);
      const y = f(...(t.args as A));
      if (!(y instanceof Tensor)) throw new GradError('jacobian: the function must return a Tensor');
      if (!isFloat(y.dtype)) throw new GradError(`jacobian: the function returned a ${y.dtype} tensor of shape ${fmtShape(y.shape)}`);
      const flat = t.leaves.flat();
      const yf = reshape(y, [y.size]);
      const rows: (Tensor | null)[][] = [];
      for (let i = 0; i < y.size; i++) {
        const e = oneHotRow(yf, i);
        rows.push(backward([yf], [e], flat, add));
      }
      const jacs = flat.map((l, j) =>
        reshape(
          y.size === 0 ? zeros([0, ...l.shape], { dtype: l.dtype, device: l.device }) : stack(rows.map((r) => r[j] ?? zerosLike(l)), 0),
          [...y.shape, ...l.shape],
        ),
      );
      let k = 0;
      const trees = t.leaves.map((ls, j) => unflatten(t.defs[j]!, ls.map(() => jacs[k++]!)));
      return typeof opts.argnums === 'object' ? trees : trees[0];
    });
    return release(res);
  };
}

function oneHotRow(like: Tensor, i: number): Tensor {
  const e = new (like.dtype === 'float64' ? Float64Array : Float32Array)(like.size);
  e[i] = 1;
  return fromTypedArray(e, like.shape, { dtype: like.dtype, device: like.device });
}

/**
 * Transforms a scalar function into one returning its Hessian, the Jacobian of its gradient (like
 * `jax.hessian`).
 *
 * For an argument of shape `s` the Hessian has shape `s + s`. Use {@link hvp} when only products
 * with H are needed.
 *
 * @param f - a function returning a size-1 float tensor.
 * @param opts - `argnums`: the argument to differentiate (default 0).
 * @returns `(...args) => H`.
 * @throws {GradError} as {@link grad} and {@link jacobian}.
 *
 * @example
 * ```ts
 * import { hessian, tensor, Tensor } from '@difflab/tensor';
 * hessian((x: Tensor) => x.pow(3).sum())(tensor([1, 2])).toArray(); // => [[6, 0], [0, 12]]
 * ```
 */
export function hessian<A extends unknown[]>(f: (...args: A) => Tensor, opts: { argnums?: number } = {}) {
  return jacobian((...args: A) => grad(f, { argnums: opts.argnums ?? 0 })(...args) as Tensor, opts);
}

/**
 * Hessian-vector product H(primals)·tangents of a scalar function, without forming H.
 *
 * Computed reverse-over-reverse as the gradient of `<grad f, v>`, so it costs about two gradients
 * (the tool behind Newton-CG and curvature estimates). `tangents` has one entry per primal,
 * mirroring its structure; a single primal returns a single result, several return an array.
 *
 * @param f - a function returning a size-1 float tensor.
 * @param primals - the point at which the Hessian is taken.
 * @param tangents - the vector, one entry per primal.
 * @returns H·v with the structure of the primals.
 * @throws {GradError} when `tangents` does not match `primals` in number or structure.
 *
 * @example
 * ```ts
 * import { hvp, tensor, Tensor } from '@difflab/tensor';
 * hvp((x: Tensor) => x.pow(3).sum(), [tensor([1, 2])], [tensor([1, 1])]).toArray(); // => [6, 12]
 * ```
 */
export function hvp<A extends unknown[]>(f: (...args: A) => Tensor, primals: A, tangents: unknown[]): any {
  if (tangents.length !== primals.length) throw new GradError(`hvp: ${primals.length} primals but ${tangents.length} tangents`);
  const argnums = primals.map((_, i) => i);
  const inner = (...xs: A): Tensor => {
    const gs = grad(f, { argnums })(...xs) as unknown[];
    let acc: Tensor | null = null;
    gs.forEach((g, i) => {
      const gl = flatten(g).leaves;
      const vl = flatten(tangents[i]).leaves;
      if (gl.length !== vl.length) throw new GradError(`hvp: tangent ${i} does not match the structure of primal ${i}`);
      gl.forEach((gi, k) => {
        const term = sum(mul(gi, vl[k]!));
        acc = acc ? add(acc, term) : term;
      });
    });
    if (!acc) throw new ValueError('hvp: no tensors to differentiate');
    return acc;
  };
  const res = grad(inner, { argnums })(...primals) as unknown[];
  return primals.length === 1 ? res[0] : res;
}

/**
 * Wraps a function of tensors with a user-supplied gradient rule, like `jax.custom_vjp` or a
 * `torch.autograd.Function` backward.
 *
 * `f` runs on detached inputs, so its own ops are not differentiated; `rule(g, out, ...args)`
 * receives the output cotangent, the output and the inputs and returns one cotangent per argument
 * (null for none), each with its argument's shape. Write the rule with tensor ops (not host loops)
 * to keep higher-order derivatives available. Uses: straight-through estimators, stable gradients
 * of unstable formulas, implicit differentiation.
 *
 * @param f - the forward computation.
 * @param rule - the vector-Jacobian rule.
 * @returns a function with the signature of `f`.
 * @throws {GradError} (when differentiated) if the rule returns the wrong number of cotangents or a
 *   cotangent whose shape differs from its argument's.
 *
 * @example
 * ```ts
 * import { customGrad, grad, tensor, Tensor } from '@difflab/tensor';
 * // Straight-through estimator: round() forward, identity backward.
 * const roundSTE = customGrad((x: Tensor) => x.round(), (g) => [g]);
 * grad((x: Tensor) => roundSTE(x).sum())(tensor([0.3, 1.7])).toArray(); // => [1, 1]
 * ```
 */
export function customGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor,
  rule: (g: Tensor, out: Tensor, ...args: A) => (Tensor | null)[],
): (...args: A) => Tensor {
  return (...args: A): Tensor => {
    const out = f(...(args.map(stopGradient) as A));
    const fresh = viewOf(out, out.shape, out.strides, out.offset);
    return record(fresh, 'customGrad', args, (g) => {
      const gs = rule(g, fresh, ...args);
      if (gs.length !== args.length) throw new GradError(`customGrad: rule returned ${gs.length} cotangents for ${args.length} arguments`);
      // A mis-shaped cotangent would otherwise broadcast silently into the argument's gradient.
      gs.forEach((c, i) => {
        if (c && c.shape.join() !== args[i]!.shape.join())
          throw new GradError(`customGrad: rule returned a cotangent of shape ${fmtShape(c.shape)} for argument ${i} of shape ${fmtShape(args[i]!.shape)}`);
      });
      return gs;
    });
  };
}

export { stopGradient };
