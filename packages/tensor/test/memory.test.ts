import { describe, expect, it } from 'vitest';
import {
  DisposedError,
  ValueError,
  add,
  dispose,
  fromTypedArray,
  grad,
  keep,
  liveStorage,
  matmul,
  mean,
  mul,
  sub,
  sum,
  tanh,
  tensor,
  tidy,
  tree,
  type Tensor,
} from '../src/index.js';

describe('tidy', () => {
  it('disposes intermediates and keeps the returned tensor', () => {
    const x = tensor([1, 2, 3]);
    const base = liveStorage.count;
    let y!: Tensor;
    const z = tidy(() => {
      y = x.mul(2);
      return y.add(1).exp().log();
    });
    expect(y.isDisposed).toBe(true);
    expect(z.isDisposed).toBe(false);
    expect(x.isDisposed).toBe(false);
    expect(z.toArray()).toEqual([3, 5, 7]);
    expect(liveStorage.count).toBe(base + 1);
    z.dispose();
    expect(liveStorage.count).toBe(base);
  });

  it('keeps every tensor reachable from a returned pytree, and static leaves untouched', () => {
    const base = liveStorage.count;
    const out = tidy(() => {
      const a = tensor([1]);
      const b = a.add(1);
      a.mul(5);
      return { list: [a, { deep: b }], label: 'x', n: 3 };
    });
    expect((out.list[0] as Tensor).isDisposed).toBe(false);
    expect((out.list[1] as { deep: Tensor }).deep.toArray()).toEqual([2]);
    expect(out.label).toBe('x');
    expect(liveStorage.count).toBe(base + 2);
    dispose(out);
    expect(liveStorage.count).toBe(base);
  });

  it('nests: an inner result belongs to the outer scope; keep() exempts a tensor from every scope', () => {
    const base = liveStorage.count;
    let inner!: Tensor;
    let kept!: Tensor;
    const outer = tidy(() => {
      inner = tidy(() => tensor([1]).add(1));
      kept = keep(inner.mul(10));
      return inner.add(1);
    });
    expect(inner.isDisposed).toBe(true);
    expect(kept.isDisposed).toBe(false);
    expect(outer.toArray()).toEqual([3]);
    expect(liveStorage.count).toBe(base + 2);
    dispose([outer, kept]);
    expect(liveStorage.count).toBe(base);
  });

  it('a returned view keeps the storage of the intermediate it views', () => {
    const base = liveStorage.count;
    const v = tidy(() =>
      tensor([
        [1, 2],
        [3, 4],
      ])
        .add(0)
        .T.slice(0),
    );
    expect(v.toArray()).toEqual([1, 3]);
    expect(liveStorage.count).toBe(base + 1);
    v.dispose();
    expect(liveStorage.count).toBe(base);
  });

  it('disposes everything created when fn throws (regression: the scope leaked)', () => {
    const base = liveStorage.count;
    expect(() =>
      tidy(() => {
        tensor([1, 2]).mul(3);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(liveStorage.count).toBe(base);
  });

  it('rejects async functions, which would escape the scope at their first await', () => {
    const base = liveStorage.count;
    expect(() => tidy(async () => tensor([1]))).toThrow(ValueError);
    expect(liveStorage.count).toBe(base);
  });
});

describe('dispose', () => {
  it('is idempotent and frees the storage when the last view goes', () => {
    const base = liveStorage.count;
    const x = tensor([1, 2, 3, 4]);
    const v = x.reshape([2, 2]);
    expect(liveStorage.count).toBe(base + 1);
    x.dispose();
    x.dispose();
    expect(liveStorage.count).toBe(base + 1);
    expect(v.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    v.dispose();
    v.dispose();
    expect(liveStorage.count).toBe(base);
    expect(liveStorage.bytes).toBeGreaterThanOrEqual(0);
  });

  it('using a disposed tensor throws DisposedError', () => {
    const x = tensor([1, 2]);
    x.dispose();
    expect(x.isDisposed).toBe(true);
    expect(() => x.add(1)).toThrow(DisposedError);
    expect(() => add(1, x)).toThrow(/^add: an input of shape \[2\] was used after dispose\(\)/);
    expect(() => sum(x)).toThrow(DisposedError);
    expect(() => x.toArray()).toThrow(DisposedError);
    expect(() => x.dataSync()).toThrow(DisposedError);
    expect(() => x.reshape([2, 1])).toThrow(DisposedError);
    expect(() => grad((v: Tensor) => sum(v))(x)).toThrow(DisposedError);
    expect(x.shape).toEqual([2]);
    expect(String(x)).toContain('disposed');
  });

  it('dispose(pytree) frees every leaf once, even if a tensor appears twice', () => {
    const base = liveStorage.count;
    const a = tensor([1]);
    const b = tensor([2]);
    dispose({ a, list: [a, b], n: 1 });
    expect(a.isDisposed && b.isDisposed).toBe(true);
    expect(liveStorage.count).toBe(base);
  });
});

describe('training loop memory', () => {
  it('liveStorage returns to its baseline after 200 MLP steps with grad inside tidy', () => {
    const rand = (shape: number[], seed: number, scale: number) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = scale * Math.sin(seed * 12.9898 + i * 78.233);
      return fromTypedArray(d, shape);
    };
    const X = rand([16, 3], 1, 1);
    const Y = tanh(matmul(X, rand([3, 1], 2, 1)));
    const base = liveStorage.count;
    const baseBytes = liveStorage.bytes;
    let params: Record<string, Tensor> = {
      w1: rand([3, 8], 3, 0.5),
      b1: rand([8], 4, 0.1),
      w2: rand([8, 1], 5, 0.5),
      b2: rand([1], 6, 0.1),
    };
    const loss = (p: Record<string, Tensor>) => {
      const h = tanh(add(matmul(X, p.w1!), p.b1!));
      const r = sub(add(matmul(h, p.w2!), p.b2!), Y);
      return mean(mul(r, r));
    };
    const first = tidy(() => loss(params).item());
    let last = first;
    for (let step = 0; step < 200; step++) {
      const next = tidy(() => {
        const g = grad(loss)(params) as Record<string, Tensor>;
        return tree.map((p: Tensor, gp: Tensor) => sub(p, mul(gp, 0.1)), params, g) as Record<string, Tensor>;
      });
      dispose(params);
      params = next;
      if (step % 50 === 0) expect(liveStorage.count).toBe(base + 4);
    }
    last = tidy(() => loss(params).item());
    expect(last).toBeLessThan(first * 0.5);
    expect(liveStorage.count).toBe(base + 4);
    dispose(params);
    expect(liveStorage.count).toBe(base);
    expect(liveStorage.bytes).toBe(baseBytes);
  });
});

describe('transform results own their storage', () => {
  it('disposing a gradient computed outside tidy frees its storage (regression: a hidden traced twin kept it alive)', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64' });
    const before = liveStorage.count;
    // sum(v * v): the gradient 2v is a fresh buffer (for sum(v) it would view the seed's storage).
    const g = grad((v: Tensor) => sum(mul(v, v)))(x) as Tensor;
    const afterGrad = liveStorage.count;
    expect(g.node).toBeNull();
    g.dispose();
    expect(liveStorage.count).toBe(afterGrad - 1);
    expect(before).toBeLessThan(afterGrad);
  });
});
