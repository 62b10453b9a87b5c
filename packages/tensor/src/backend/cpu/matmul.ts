import type { View } from '../types.js';
import { gatherView, isContiguous } from './strided.js';

type FArr = Float32Array | Float64Array | Int32Array;

function packed(v: View, ctor: new (n: number) => FArr): { data: FArr; offset: number } {
  if (isContiguous(v) && v.storage.data instanceof ctor) return { data: v.storage.data as FArr, offset: v.offset };
  let n = 1;
  for (const d of v.shape) n *= d;
  const out = new ctor(n);
  gatherView(v, out);
  return { data: out, offset: 0 };
}

const KC = 256;

/**
 * C[b] = A[b] @ B[b] for contiguous row-major panels. Four rows of C are updated per pass over a
 * row of B so each B element loaded feeds four multiply-adds; K is blocked so the active B panel
 * stays in cache.
 */
function gemm(A: FArr, ao: number, B: FArr, bo: number, C: FArr, co: number, m: number, k: number, n: number): void {
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = Math.min(k, p0 + KC);
    let i = 0;
    for (; i + 3 < m; i += 4) {
      const c0 = co + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
      const a0 = ao + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
      for (let p = p0; p < p1; p++) {
        const x0 = A[a0 + p]!, x1 = A[a1 + p]!, x2 = A[a2 + p]!, x3 = A[a3 + p]!;
        const bp = bo + p * n;
        for (let j = 0; j < n; j++) {
          const b = B[bp + j]!;
          C[c0 + j] += x0 * b;
          C[c1 + j] += x1 * b;
          C[c2 + j] += x2 * b;
          C[c3 + j] += x3 * b;
        }
      }
    }
    for (; i < m; i++) {
      const c0 = co + i * n;
      const a0 = ao + i * k;
      for (let p = p0; p < p1; p++) {
        const x0 = A[a0 + p]!;
        const bp = bo + p * n;
        for (let j = 0; j < n; j++) C[c0 + j] += x0 * B[bp + j]!;
      }
    }
  }
}

/** a: [B, m, k], b: [B, k, n] (any strides) -> out [B, m, n] contiguous. */
export function matmulKernel(a: View, b: View, out: FArr): void {
  const ctor = out.constructor as new (n: number) => FArr;
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const A = packed(a, ctor);
  const B = packed(b, ctor);
  for (let t = 0; t < batch; t++) {
    gemm(A.data, A.offset + t * m * k, B.data, B.offset + t * k * n, out, t * m * n, m, k, n);
  }
}
