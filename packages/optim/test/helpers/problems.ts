import { matmul, mean, mul, sub, sum, tanh, tensor, type Tensor } from '@difflab/tensor';
import fixture from '../fixtures/optim.json' with { type: 'json' };

export const fx = fixture as any;

const f64 = (x: unknown) => tensor(x as number[], { dtype: 'float64' });

export function quadratic() {
  const A = f64(fx.problems.quadratic.A);
  const b = f64(fx.problems.quadratic.b);
  const loss = (p: { x: Tensor }) => sub(mul(sum(mul(p.x, matmul(A, p.x))), 0.5), sum(mul(b, p.x)));
  const init = () => ({ x: f64(fx.problems.quadratic.x0) });
  return { A, b, loss, init };
}

export function mlp() {
  const X = f64(fx.problems.mlp.X);
  const Y = f64(fx.problems.mlp.Y);
  const loss = (p: any) => {
    const h = tanh(matmul(X, p.w1).add(p.b1));
    const out = matmul(h, p.w2).add(p.b2);
    const d = out.sub(Y);
    return mean(mul(d, d));
  };
  const init = () => Object.fromEntries(Object.entries(fx.problems.mlp.init).map(([k, v]) => [k, f64(v)])) as any;
  return { X, Y, loss, init };
}

export function problem(name: string) {
  return name === 'quadratic' ? quadratic() : mlp();
}

/** Max abs difference between a params pytree of Tensors and a fixture record of nested arrays. */
export function maxDiff(params: Record<string, Tensor>, ref: Record<string, unknown>): number {
  let m = 0;
  for (const k of Object.keys(ref)) {
    const a = params[k]!.dataSync();
    const b = (ref[k] as any[]).flat(3) as number[];
    if (a.length !== b.length) throw new Error(`leaf ${k}: ${a.length} vs ${b.length} values`);
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  }
  return m;
}
