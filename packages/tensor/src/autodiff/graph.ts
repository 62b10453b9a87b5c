import type { Tensor } from '../tensor.js';

/**
 * One recorded op on the autodiff tape: its inputs and a vector-Jacobian rule (`Tensor.node`).
 *
 * A tensor carries a node only while a transform traces it. The rule is written with
 * differentiable tensor ops, so running it while an outer transform is tracing records new
 * nodes — that is how grad-of-grad (to any order) works. Useful for debugging which op produced a
 * traced value; user code never builds nodes itself (use `customGrad` for custom rules).
 *
 * @example
 * ```ts
 * import { grad, tensor, Tensor, type GradNode } from '@difflab/tensor';
 * const seen: GradNode[] = [];
 * grad((x: Tensor) => {
 *   const y = x.mul(2).sum();
 *   if (y.node) seen.push(y.node);
 *   return y;
 * })(tensor([1, 2]));
 * seen[0].name; // => 'sum'
 * seen[0].inputs[0].shape; // => [2]
 * ```
 */
export interface GradNode {
  /** Name of the op that produced the tensor (e.g. `'matmul'`), for debugging. */
  readonly name: string;
  /** The op's tensor inputs, in the order the rule returns cotangents. */
  readonly inputs: readonly Tensor[];
  /** Returns one cotangent per input (null where `needs[i]` is false or the input is unrelated). */
  readonly vjp: (g: Tensor, needs: readonly boolean[]) => readonly (Tensor | null)[];
}

/** Attaches a node to `out` when any input is being traced; otherwise a no-op (no tape cost). */
export function record(
  out: Tensor,
  name: string,
  inputs: readonly Tensor[],
  vjp: (g: Tensor, needs: readonly boolean[]) => readonly (Tensor | null)[],
): Tensor {
  for (const x of inputs) {
    if (x.node !== null) {
      out.node = { name, inputs, vjp };
      return out;
    }
  }
  return out;
}

export function isTraced(x: Tensor): boolean {
  return x.node !== null;
}

/**
 * Reverse accumulation from `outputs` (with cotangents) to `targets`, which act as terminals.
 * Only nodes lying on a path to some target are visited.
 */
export function backward(
  outputs: readonly Tensor[],
  cotangents: readonly Tensor[],
  targets: readonly Tensor[],
  add: (a: Tensor, b: Tensor) => Tensor,
): (Tensor | null)[] {
  const targetSet = new Set(targets);
  const reaches = new Map<Tensor, boolean>();
  const order: Tensor[] = [];
  // Iterative post-order DFS: deep graphs (long unrolled loops) must not overflow the stack.
  for (const root of outputs) {
    if (reaches.has(root)) continue;
    const stack: [Tensor, number][] = [[root, 0]];
    reaches.set(root, false);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [t, i] = top;
      const node = targetSet.has(t) ? null : t.node;
      if (node && i < node.inputs.length) {
        top[1]++;
        const child = node.inputs[i]!;
        if (!reaches.has(child)) {
          reaches.set(child, false);
          stack.push([child, 0]);
        }
        continue;
      }
      stack.pop();
      let r = targetSet.has(t);
      if (!r && node) for (const c of node.inputs) if (reaches.get(c)) r = true;
      reaches.set(t, r);
      if (r) order.push(t);
    }
  }
  const cot = new Map<Tensor, Tensor>();
  const accumulate = (t: Tensor, g: Tensor) => {
    const prev = cot.get(t);
    cot.set(t, prev ? add(prev, g) : g);
  };
  outputs.forEach((o, i) => {
    if (reaches.get(o)) accumulate(o, cotangents[i]!);
  });
  for (let k = order.length - 1; k >= 0; k--) {
    const t = order[k]!;
    if (targetSet.has(t)) continue;
    const g = cot.get(t);
    const node = t.node;
    if (!g || !node) continue;
    cot.delete(t);
    const needs = node.inputs.map((x) => reaches.get(x) === true);
    const gins = node.vjp(g, needs);
    node.inputs.forEach((x, i) => {
      const gi = gins[i];
      if (needs[i] && gi) accumulate(x, gi);
    });
  }
  return targets.map((t) => cot.get(t) ?? null);
}
