import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import {
  Tensor,
  concat,
  fromTypedArray,
  grad,
  isFloat,
  mul,
  reshape,
  sum,
  type DType,
  type TypedArray,
} from '../../src/index.js';
import { gradcheck } from './gradcheck.js';
import { OPS } from './ops-registry.js';

/** JSON-safe number: NaN/Inf are written as strings by scripts/fixtures/ops.py. */
type Num = number | string | boolean;

export interface FixtureInput {
  kind: 'float' | 'int32' | 'bool';
  shape: number[];
  data: Num[];
}

export interface FixtureCase {
  name: string;
  group: string;
  op: string;
  params: Record<string, any>;
  gradcheck: boolean;
  inputs: FixtureInput[];
  weights: { shape: number[]; data: Num[] }[];
  outputs: { kind: 'float' | 'int32' | 'bool'; shape: number[]; f64: Num[]; f32: Num[] }[];
  grads: ({ f64: Num[]; f32: Num[] } | null)[];
}

export type FloatDType = 'float32' | 'float64';

function readJson(name: string): any {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

let cached: FixtureCase[] | null = null;
export function opCases(group: string): FixtureCase[] {
  cached ??= readJson('ops.json').cases as FixtureCase[];
  return cached.filter((c) => c.group === group);
}

export function autodiffFixture(): any {
  return readJson('autodiff-hessian.json');
}

export function num(v: Num): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v as number;
}

/** Float inputs are built in float64 and rounded, exactly as the generator rounds them for torch float32. */
export function inputTensor(inp: FixtureInput, dtype: FloatDType): Tensor {
  const vals = Float64Array.from(inp.data, num);
  if (inp.kind === 'float') return fromTypedArray(vals, inp.shape, { dtype: 'float64' }).astype(dtype);
  return fromTypedArray(vals, inp.shape, { dtype: inp.kind });
}

export function runOp(c: FixtureCase, xs: Tensor[], dtype: FloatDType): Tensor[] {
  const fn = OPS[c.op];
  if (!fn) throw new Error(`no registry entry for op '${c.op}'`);
  const out = fn(xs, c.params, dtype);
  return Array.isArray(out) ? out : [out];
}

/**
 * allclose with a per-array absolute floor: |a - e| <= rtol * (|e| + 1e-2 * max|e|). The floor keeps
 * entries that cancel to ~0 (sums of mixed signs) from demanding more digits than the inputs have.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: readonly Num[],
  rtol: number,
  label: string,
  exact?: readonly Num[],
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let scale = 0;
  for (const e of expected) {
    const v = Math.abs(num(e));
    if (Number.isFinite(v)) scale = Math.max(scale, v);
  }
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = num(expected[i]!);
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e)))
        expect.fail(`${label}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    const tol = rtol * (Math.abs(e) + 1e-2 * scale) + 1e-300;
    if (Math.abs(a - e) <= tol) continue;
    // torch's own float32 result can be the less accurate one; being as close to the exact value is fine.
    if (exact && Math.abs(a - num(exact[i]!)) <= tol) continue;
    expect.fail(`${label}[${i}]: got ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > ${tol})`);
  }
}

export const RTOL: Record<FloatDType, number> = { float32: 1e-5, float64: 1e-10 };

function outputDType(kind: string, dtype: FloatDType): DType {
  return kind === 'float' ? dtype : (kind as DType);
}

/** Forward values and dtypes, then the gradient of sum_k sum(out_k * w_k) against torch autograd. */
export function checkCase(c: FixtureCase, dtype: FloatDType): void {
  const key = dtype === 'float32' ? 'f32' : 'f64';
  const rtol = RTOL[dtype];
  const xs = c.inputs.map((i) => inputTensor(i, dtype));
  const outs = runOp(c, xs, dtype);
  expect(outs.length, 'number of outputs').toBe(c.outputs.length);
  outs.forEach((o, k) => {
    const ref = c.outputs[k]!;
    expect(o.shape, `output ${k} shape`).toEqual(ref.shape);
    expect(o.dtype, `output ${k} dtype`).toBe(outputDType(ref.kind, dtype));
    if (ref.kind === 'float') expectClose(o.dataSync(), ref[key], rtol, `output ${k}`, ref.f64);
    else expect(Array.from(o.dataSync()), `output ${k}`).toEqual(ref[key].map(num));
  });
  const floatIdx = c.inputs.flatMap((inp, i) => (inp.kind === 'float' ? [i] : []));
  if (c.weights.length === 0 || floatIdx.length === 0) return;
  const ws = c.weights.map((w) =>
    fromTypedArray(Float64Array.from(w.data, num), w.shape, { dtype: 'float64' }).astype(dtype),
  );
  const loss = (...floats: Tensor[]) => weightedSum(c, spliceFloats(xs, floatIdx, floats), ws, dtype);
  const gs = grad(loss, { argnums: floatIdx.map((_, j) => j) })(...floatIdx.map((i) => xs[i]!)) as Tensor[];
  floatIdx.forEach((i, j) => {
    const ref = c.grads[i]!;
    expect(gs[j]!.shape, `grad ${i} shape`).toEqual(c.inputs[i]!.shape);
    expect(gs[j]!.dtype, `grad ${i} dtype`).toBe(dtype);
    expectClose(gs[j]!.dataSync(), ref[key], rtol, `grad of input ${i}`, ref.f64);
  });
}

function spliceFloats(xs: Tensor[], floatIdx: number[], floats: Tensor[]): Tensor[] {
  const all = xs.slice();
  floatIdx.forEach((i, j) => (all[i] = floats[j]!));
  return all;
}

function weightedSum(c: FixtureCase, xs: Tensor[], ws: Tensor[], dtype: FloatDType): Tensor {
  const outs = runOp(c, xs, dtype).filter((o) => isFloat(o.dtype));
  let acc: Tensor | null = null;
  outs.forEach((o, k) => {
    const term = sum(mul(o, ws[k]!));
    acc = acc === null ? term : acc.add(term);
  });
  return acc!;
}

/** Float64 central differences for the op's float inputs (index/bool inputs held fixed). */
export function gradcheckCase(c: FixtureCase): void {
  const xs = c.inputs.map((i) => inputTensor(i, 'float64'));
  const floatIdx = c.inputs.flatMap((inp, i) => (inp.kind === 'float' ? [i] : []));
  const f = (...floats: Tensor[]) => {
    const outs = runOp(c, spliceFloats(xs, floatIdx, floats), 'float64').filter((o) => isFloat(o.dtype));
    return outs.length === 1 ? outs[0]! : concat(outs.map((o) => reshape(o, [-1])));
  };
  gradcheck(
    f,
    floatIdx.map((i) => xs[i]!),
  );
}

export function hasGradient(c: FixtureCase): boolean {
  return c.gradcheck && c.inputs.some((i) => i.kind === 'float') && c.outputs.some((o) => o.kind === 'float');
}

export function flatData(t: Tensor): TypedArray {
  return t.dataSync();
}
