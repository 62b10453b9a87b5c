import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ShapeError,
  add,
  broadcastShapes,
  contiguous,
  fromTypedArray,
  grad,
  mul,
  sum,
  type Tensor,
} from '../src/index.js';
import { broadcastRead, broadcastShape, sizeOf, unravel } from './helpers/naive.js';

const RUNS = { numRuns: 150 };

/** An output shape and two operand shapes that broadcast to it (dims dropped on the left or set to 1). */
const compatiblePair = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((out) => fc.tuple(fc.constant(out), operandOf(out), operandOf(out)));

function operandOf(out: number[]) {
  return fc
    .tuple(
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    )
    .map(([drop, ones]) => out.slice(drop).map((d, k) => (ones[k + drop] ? 1 : d)));
}

function values(shape: number[], seed: number): Float64Array {
  const n = sizeOf(shape);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = ((i * 7 + seed * 13) % 23) - 11;
  return d;
}

/** The same values as a non-contiguous (transposed) view when possible. */
function asView(data: Float64Array, shape: number[], transposed: boolean): Tensor {
  const t = fromTypedArray(data, shape, { dtype: 'float64' });
  if (!transposed || shape.length < 2) return t;
  return contiguous(t.T).T;
}

describe('broadcasting properties', () => {
  it('add on broadcast-compatible shapes matches a naive reference (shape and values, any layout)', () => {
    fc.assert(
      fc.property(compatiblePair, fc.boolean(), fc.boolean(), ([, sa, sb], ta, tb) => {
        const da = values(sa, 1);
        const db = values(sb, 2);
        const out = add(asView(da, sa, ta), asView(db, sb, tb));
        const ref = broadcastShape(sa, sb)!;
        expect(out.shape).toEqual(ref);
        expect(broadcastShapes('test', sa, sb)).toEqual(ref);
        const got = out.dataSync();
        for (let i = 0; i < sizeOf(ref); i++) {
          const idx = unravel(i, ref);
          expect(got[i]).toBe(broadcastRead(da, sa, idx) + broadcastRead(db, sb, idx));
        }
      }),
      RUNS,
    );
  });

  it('incompatible shapes throw ShapeError naming the op and both shapes', () => {
    const incompatible = fc
      .tuple(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 0, max: 3 }),
      )
      .map(([shape, other, pos]) => {
        const k = pos % shape.length;
        const sa = shape.slice();
        if (sa[k] === 1) sa[k] = 2;
        const sb = shape.slice(k);
        sb[0] = sa[k] === other ? other + 1 : other;
        return [sa, sb] as const;
      });
    fc.assert(
      fc.property(incompatible, ([sa, sb]) => {
        expect(broadcastShape(sa, sb)).toBeNull();
        const a = fromTypedArray(values(sa, 1), sa);
        const b = fromTypedArray(values(sb, 2), sb);
        const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;
        expect(() => add(a, b)).toThrow(ShapeError);
        expect(() => mul(b, a)).toThrow(`mul: shapes ${fmt(sb)} and ${fmt(sa)} cannot be broadcast together`);
      }),
      RUNS,
    );
  });

  it('the gradient of a broadcast operand sums over the broadcast axes', () => {
    fc.assert(
      fc.property(compatiblePair, ([, sa, sb]) => {
        const a = fromTypedArray(values(sa, 3), sa, { dtype: 'float64' });
        const b = fromTypedArray(values(sb, 4), sb, { dtype: 'float64' });
        const [ga, gb] = grad((x: Tensor, y: Tensor) => sum(add(x, y)), { argnums: [0, 1] })(a, b) as Tensor[];
        const n = sizeOf(broadcastShape(sa, sb)!);
        expect(ga!.shape).toEqual(sa);
        expect(gb!.shape).toEqual(sb);
        expect(Array.from(ga!.dataSync())).toEqual(new Array(sizeOf(sa)).fill(n / sizeOf(sa)));
        expect(Array.from(gb!.dataSync())).toEqual(new Array(sizeOf(sb)).fill(n / sizeOf(sb)));
      }),
      RUNS,
    );
  });
});
