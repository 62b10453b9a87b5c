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

/** Options of {@link grad} and {@link valueAndGrad}. */
export interface GradOptions {
  /** Which positional arguments to differentiate (default 0). An array returns a tuple of gradients. */
  argnums?: number | readonly number[];
  /** When true, `f` returns `[value, aux]` and aux is passed through untouched. */
  hasAux?: boolean;
}

/**
 * `jax.value_and_grad`: returns `(...args) => [value, grads]`, or `[[value, aux], grads]` with
 * `hasAux`. Arguments may be pytrees; grads mirror their structure.
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

/** `jax.grad`: gradient of a scalar function with respect to `argnums` (pytrees allowed). */
export function grad<A extends unknown[]>(f: (...args: A) => unknown, opts: GradOptions = {}) {
  const vg = valueAndGrad(f, opts);
  return (...args: A): any => {
    const [v, g] = vg(...args);
    return opts.hasAux ? [g, (v as unknown[])[1]] : g;
  };
}

/**
 * `jax.vjp`: evaluates `f(...primals)` and returns `[out, vjpFn]`, where `vjpFn(cotangent)`
 * (same structure as `out`) returns the cotangents of every primal as an array.
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
 * `jax.jvp`: returns `[f(...primals), J·tangents]`. Computed as the transpose of a VJP
 * (two reverse passes), which is exact and nests with every other transform.
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
 * Reverse-mode Jacobian (`jax.jacrev`) of a Tensor-valued function: shape out.shape + arg.shape
 * for each differentiated argument leaf (pytrees mirror the argument).
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

/** Hessian of a scalar function: jacobian of its gradient. */
export function hessian<A extends unknown[]>(f: (...args: A) => Tensor, opts: { argnums?: number } = {}) {
  return jacobian((...args: A) => grad(f, { argnums: opts.argnums ?? 0 })(...args) as Tensor, opts);
}

/** Hessian-vector product H(x)·v of a scalar function, without forming H (reverse-over-reverse). */
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
 * Defines a function with a user-supplied VJP (`jax.custom_vjp`): `rule(g, out, ...args)` returns
 * one cotangent per argument (null for none). Write the rule with tensor ops to keep
 * higher-order derivatives available.
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
