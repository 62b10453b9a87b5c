import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concat,
  fromTypedArray,
  reshape,
  slice,
  split,
  sum,
  transpose,
  type SliceSpec,
  type Tensor,
} from '../src/index.js';
import { pySliceIndices, ravel, sizeOf, unravel } from './helpers/naive.js';

const RUNS = { numRuns: 150 };

const shapeArb = (minDims = 0, maxDims = 4, maxSize = 4) =>
  fc.array(fc.integer({ min: 1, max: maxSize }), { minLength: minDims, maxLength: maxDims });

function iota(shape: readonly number[]): Tensor {
  const n = sizeOf(shape);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = i;
  return fromTypedArray(d, shape, { dtype: 'float64' });
}

const flat = (t: Tensor) => Array.from(t.dataSync());

/** Random permutation of 0..n-1. */
const permArb = (n: number) =>
  fc.shuffledSubarray(
    Array.from({ length: n }, (_, i) => i),
    { minLength: n, maxLength: n },
  );

/** A random way to write `size` as a product of 1..4 factors. */
function factorizations(size: number): number[][] {
  const out: number[][] = [];
  const rec = (rest: number, acc: number[]) => {
    if (acc.length > 0 && rest === 1) out.push(acc);
    if (acc.length === 4) return;
    for (let f = 1; f <= rest; f++) if (rest % f === 0 && (f > 1 || acc.length < 2)) rec(rest / f, [...acc, f]);
  };
  rec(size, []);
  return out.length ? out : [[size]];
}

describe('reshape and transpose round trips', () => {
  it('transpose by p then by the inverse of p restores the tensor; values follow the naive permutation', () => {
    fc.assert(
      fc.property(
        shapeArb(1, 4).chain((s) => fc.tuple(fc.constant(s), permArb(s.length))),
        ([shape, perm]) => {
          const x = iota(shape);
          const t = transpose(x, perm);
          const inv = perm.map((_, i) => perm.indexOf(i));
          expect(flat(transpose(t, inv))).toEqual(flat(x));
          const tshape = perm.map((p) => shape[p]!);
          expect(t.shape).toEqual(tshape);
          const got = flat(t);
          for (let i = 0; i < got.length; i++) {
            const idx = unravel(i, tshape);
            const src = new Array<number>(shape.length);
            perm.forEach((p, k) => (src[p] = idx[k]!));
            expect(got[i]).toBe(ravel(src, shape));
          }
        },
      ),
      RUNS,
    );
  });

  it('reshaping any (possibly strided) view keeps row-major order and reshaping back restores it', () => {
    const arb = shapeArb(1, 4)
      .chain((s) => fc.tuple(fc.constant(s), permArb(s.length), fc.boolean()))
      .chain(([s, perm, flipFirst]) => {
        const tshape = perm.map((p) => s[p]!);
        return fc.tuple(
          fc.constant(s),
          fc.constant(perm),
          fc.constant(flipFirst),
          fc.constantFrom(...factorizations(sizeOf(tshape))),
        );
      });
    fc.assert(
      fc.property(arb, ([shape, perm, flipFirst, target]) => {
        let v = transpose(iota(shape), perm);
        if (flipFirst) v = slice(v, '::-1');
        const expected = flat(v);
        const r = reshape(v, target);
        expect(r.shape).toEqual(target);
        expect(flat(r)).toEqual(expected);
        expect(flat(reshape(r, v.shape))).toEqual(expected);
        expect(flat(reshape(v, [-1]))).toEqual(expected);
      }),
      RUNS,
    );
  });
});

type AxisSpec =
  { kind: 'index'; i: number } | { kind: 'slice'; start?: number; stop?: number; step: number; asString: boolean };

const axisSpecArb = (n: number): fc.Arbitrary<AxisSpec> =>
  fc.oneof(
    n > 0
      ? fc.integer({ min: -n, max: n - 1 }).map((i) => ({ kind: 'index' as const, i }))
      : fc.constant({ kind: 'slice' as const, step: 1, asString: true }),
    fc.record({
      kind: fc.constant('slice' as const),
      start: fc.option(fc.integer({ min: -8, max: 8 }), { nil: undefined }),
      stop: fc.option(fc.integer({ min: -8, max: 8 }), { nil: undefined }),
      step: fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
      asString: fc.boolean(),
    }),
  );

function toSpec(a: AxisSpec): SliceSpec {
  if (a.kind === 'index') return a.i;
  if (!a.asString) return { start: a.start, stop: a.stop, step: a.step };
  return `${a.start ?? ''}:${a.stop ?? ''}:${a.step}`;
}

describe('slicing', () => {
  it('matches a naive Python-semantics reference, negative steps and out-of-range bounds included', () => {
    const arb = fc
      .array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 })
      .chain((shape) => fc.tuple(fc.constant(shape), fc.tuple(...shape.map((n) => axisSpecArb(n)))));
    fc.assert(
      fc.property(arb, ([shape, specs]) => {
        const x = iota(shape);
        const out = slice(x, ...specs.map(toSpec));
        const perAxis = specs.map((s, k) => {
          const n = shape[k]!;
          return s.kind === 'index' ? [s.i < 0 ? s.i + n : s.i] : pySliceIndices(n, s.start, s.stop, s.step);
        });
        const kept = specs.flatMap((s, k) => (s.kind === 'index' ? [] : [perAxis[k]!.length]));
        expect(out.shape).toEqual(kept);
        const fullShape = perAxis.map((p) => p.length);
        const expected: number[] = [];
        for (let i = 0; i < sizeOf(fullShape); i++) {
          const idx = unravel(i, fullShape).map((j, k) => perAxis[k]![j]!);
          expected.push(ravel(idx, shape));
        }
        expect(flat(out)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('concat / split', () => {
  it('split then concat is the identity; concat then split returns the parts', () => {
    const arb = shapeArb(1, 3, 5).chain((shape) =>
      fc.tuple(fc.constant(shape), fc.integer({ min: 0, max: shape.length - 1 })).chain(([s, axis]) =>
        fc.tuple(
          fc.constant(s),
          fc.constant(axis),
          fc.array(fc.integer({ min: 0, max: s[axis]! }), { minLength: 0, maxLength: 3 }).map((cuts) => {
            const points = [0, ...cuts.sort((a, b) => a - b), s[axis]!];
            return points.slice(1).map((p, i) => p - points[i]!);
          }),
        ),
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, axis, sizes]) => {
        const x = iota(shape);
        const parts = split(x, sizes, axis);
        expect(parts.map((p) => p.shape[axis])).toEqual(sizes);
        const back = concat(parts, axis - shape.length);
        expect(back.shape).toEqual(shape);
        expect(flat(back)).toEqual(flat(x));
        const again = split(back, sizes, axis);
        again.forEach((p, i) => expect(flat(p)).toEqual(flat(parts[i]!)));
      }),
      RUNS,
    );
  });
});

describe('sum over random axes', () => {
  it('matches naive loops for any axis subset, order, sign and keepdims', () => {
    const arb = shapeArb(0, 4, 4).chain((shape) =>
      fc.tuple(
        fc.constant(shape),
        fc.subarray(Array.from({ length: shape.length }, (_, i) => i)),
        fc.boolean(),
        fc.boolean(),
      ),
    );
    fc.assert(
      fc.property(arb, ([shape, axes, keepdims, negative]) => {
        const x = iota(shape);
        const axisArg = negative ? axes.map((a) => a - shape.length).reverse() : axes;
        const out = sum(x, axisArg, keepdims);
        const outShape = shape.flatMap((d, i) => (axes.includes(i) ? (keepdims ? [1] : []) : [d]));
        expect(out.shape).toEqual(outShape);
        const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
        const expected = new Array<number>(sizeOf(keptShape)).fill(0);
        for (let i = 0; i < sizeOf(shape); i++) {
          const idx = unravel(i, shape).map((j, k) => (axes.includes(k) ? 0 : j));
          expected[ravel(idx, keptShape)] += i;
        }
        expect(flat(out)).toEqual(expected);
      }),
      RUNS,
    );
  });
});
