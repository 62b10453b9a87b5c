import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Tensor, fromTypedArray, linalg, type DType, type NestedArray } from '../src/index.js';

/** Nested numbers as written by scripts/fixtures/linalg.py (non-finite values as strings). */
export type Json = number | string | Json[];

export interface ForwardCase {
  name: string;
  op: string;
  opts: Record<string, unknown>;
  inputs: Record<string, Json>;
  float64: Record<string, Json>;
  float32?: Record<string, Json>;
  /** false: singular vectors are ill-conditioned; only values and reconstruction are compared. */
  vectors?: boolean;
}

export interface GradCase {
  name: string;
  op: string;
  opts: Record<string, unknown>;
  symmetric: boolean;
  inputs: Record<string, Json>;
  weights: Record<string, { w: Json; kind: 'linear' | 'square' }>;
  grads: Record<string, Json>;
}

export interface Fixtures {
  forward: ForwardCase[];
  grad: GradCase[];
  gp: { x: number[]; y: number[]; noise: number; theta: number[]; nll: number; grad: number[]; hessian: number[][] };
}

export const fixtures: Fixtures = JSON.parse(readFileSync(new URL('./fixtures/linalg.json', import.meta.url), 'utf8'));

export function shapeOf(x: Json): number[] {
  const s: number[] = [];
  let v: Json = x;
  while (Array.isArray(v)) {
    s.push(v.length);
    v = v[0]!;
  }
  return s;
}

export function flat(x: Json): number[] {
  if (Array.isArray(x)) return x.flatMap(flat);
  if (typeof x === 'string') return [Number(x)];
  return [x];
}

export function fromJson(x: Json, dtype: DType = 'float64'): Tensor {
  return fromTypedArray(Float64Array.from(flat(x)), shapeOf(x), { dtype });
}

/** Elementwise |a - b| <= tol * (1 + |b|), with matching shapes and infinities. */
export function expectClose(actual: Tensor | NestedArray, expected: Json | Tensor, tol: number, label = ''): void {
  const a = actual instanceof Tensor ? actual : null;
  const av = a ? Array.from(a.dataSync()) : flat(actual as Json);
  const ev = expected instanceof Tensor ? Array.from(expected.dataSync()) : flat(expected);
  if (a && !(expected instanceof Tensor)) expect(a.shape, `${label} shape`).toEqual(shapeOf(expected));
  expect(av.length, `${label} size`).toBe(ev.length);
  for (let i = 0; i < ev.length; i++) {
    const x = av[i]!;
    const y = ev[i]!;
    if (!Number.isFinite(y)) {
      expect(x, `${label}[${i}]`).toBe(y);
      continue;
    }
    if (!(Math.abs(x - y) <= tol * (1 + Math.abs(y))))
      expect.fail(`${label}[${i}]: got ${x}, expected ${y} (tol ${tol})`);
  }
}

/** Row-major matrices of a `[..., m, n]` array as plain nested JS arrays per batch element. */
export function matrices(data: ArrayLike<number>, shape: readonly number[]): number[][][] {
  const m = shape[shape.length - 2]!;
  const n = shape[shape.length - 1]!;
  const count = shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const out: number[][][] = [];
  for (let b = 0; b < count; b++) {
    const mat: number[][] = [];
    for (let i = 0; i < m; i++) mat.push(Array.from({ length: n }, (_, j) => data[b * m * n + i * n + j]!));
    out.push(mat);
  }
  return out;
}

/**
 * Flips the signs of columns (`axis = 'cols'`) or rows of each matrix in `x` to agree with `ref`
 * (sign of their inner product); returns the flipped values and the signs used per batch element.
 */
export function alignSigns(
  x: Tensor,
  ref: Json,
  axis: 'cols' | 'rows',
  count?: number,
): { values: number[]; signs: number[][] } {
  const xs = matrices(x.dataSync(), x.shape);
  const rs = matrices(flat(ref), shapeOf(ref));
  const signs: number[][] = [];
  const values: number[] = [];
  xs.forEach((mat, b) => {
    const r = rs[b]!;
    const m = mat.length;
    const n = mat[0]?.length ?? 0;
    const k = count ?? (axis === 'cols' ? n : m);
    const s = Array.from({ length: k }, (_, c) => {
      let dot = 0;
      if (axis === 'cols') for (let i = 0; i < m; i++) dot += mat[i]![c]! * r[i]![c]!;
      else for (let j = 0; j < n; j++) dot += mat[c]![j]! * r[c]![j]!;
      return dot < 0 ? -1 : 1;
    });
    signs.push(s);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        const idx = axis === 'cols' ? j : i;
        values.push(idx < k ? mat[i]![j]! * s[idx]! : mat[i]![j]!);
      }
  });
  return { values, signs };
}

/** Max |Xᵀ X − I| over the columns of each matrix (orthonormality check). */
export function orthonormalityError(x: Tensor, axis: 'cols' | 'rows'): number {
  let worst = 0;
  for (const mat of matrices(x.dataSync(), x.shape)) {
    const m = mat.length;
    const n = mat[0]?.length ?? 0;
    const k = axis === 'cols' ? n : m;
    for (let p = 0; p < k; p++)
      for (let q = 0; q < k; q++) {
        let dot = 0;
        if (axis === 'cols') for (let i = 0; i < m; i++) dot += mat[i]![p]! * mat[i]![q]!;
        else for (let j = 0; j < n; j++) dot += mat[p]![j]! * mat[q]![j]!;
        worst = Math.max(worst, Math.abs(dot - (p === q ? 1 : 0)));
      }
  }
  return worst;
}

/** Deterministic symmetric positive-definite n×n matrix (M Mᵀ / n + shift·I) as a float64 tensor. */
export function spdMatrix(n: number, seed = 1, shift = 1, batch: number[] = []): Tensor {
  const count = batch.reduce((a, b) => a * b, 1);
  const out = new Float64Array(count * n * n);
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  for (let b = 0; b < count; b++) {
    const m = Array.from({ length: n * n }, rnd);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let k = 0; k < n; k++) v += m[i * n + k]! * m[j * n + k]!;
        out[b * n * n + i * n + j] = (4 * v) / n + (i === j ? shift : 0);
      }
  }
  return fromTypedArray(out, [...batch, n, n], { dtype: 'float64' });
}

/** Deterministic pseudo-random float64 tensor with entries in [-1, 1). */
export function randomTensor(shape: number[], seed = 7): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (2 * s) / 2147483648 - 1;
  }
  return fromTypedArray(out, shape, { dtype: 'float64' });
}

/** Runs a fixture op by name; outputs are keyed as in the fixture file. */
export function runOp(op: string, opts: Record<string, unknown>, ins: Record<string, Tensor>): Record<string, Tensor> {
  const a = ins.a!;
  const b = ins.b!;
  switch (op) {
    case 'cholesky':
      return { out: linalg.cholesky(a, opts) };
    case 'triangularSolve':
      return { out: linalg.triangularSolve(a, b, opts) };
    case 'solve':
      return { out: linalg.solve(a, b) };
    case 'inv':
      return { out: linalg.inv(a) };
    case 'det':
      return { out: linalg.det(a) };
    case 'slogdet': {
      const r = linalg.slogdet(a);
      return { sign: r.sign, logabsdet: r.logabsdet };
    }
    case 'eigh': {
      const r = linalg.eigh(a, opts);
      return { eigenvalues: r.eigenvalues, eigenvectors: r.eigenvectors };
    }
    case 'svd': {
      const r = linalg.svd(a, opts);
      return { U: r.U, S: r.S, Vh: r.Vh };
    }
    case 'qr': {
      const r = linalg.qr(a, opts as { mode?: 'reduced' | 'complete' });
      return { Q: r.Q, R: r.R };
    }
    case 'lstsq':
      return { out: linalg.lstsq(a, b) };
    default:
      throw new Error(`unknown op ${op}`);
  }
}
