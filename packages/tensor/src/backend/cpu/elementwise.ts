import { erf, erfinv } from '../../special.js';
import type { BinaryOp, UnaryOp, View } from '../types.js';
import { forEachRun, isContiguous, viewSize } from './strided.js';

type Arr = { [i: number]: number; length: number };

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export const UNARY_FNS: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  sigmoid,
  relu: (x) => (x > 0 ? x : 0),
  softplus,
  erf,
  erfinv,
  floor: Math.floor,
  ceil: Math.ceil,
  // Round half to even, as NumPy and PyTorch do.
  round: (x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  logicalNot: (x) => (x ? 0 : 1),
  isnan: (x) => (Number.isNaN(x) ? 1 : 0),
  isfinite: (x) => (Number.isFinite(x) ? 1 : 0),
};

export const BINARY_FNS: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b),
  atan2: Math.atan2,
  // Python/NumPy modulo: result takes the sign of the divisor.
  mod: (a, b) => {
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  },
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a && b ? 1 : 0),
  logicalOr: (a, b) => (a || b ? 1 : 0),
  logicalXor: (a, b) => (!a !== !b ? 1 : 0),
};

/** Tight loops for the hottest ops on contiguous data; returns false when not specialised. */
function unaryContiguous(op: UnaryOp, x: Arr, xo: number, out: Arr, n: number): boolean {
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[xo + i]!;
      return true;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[xo + i]!);
      return true;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[xo + i]!);
      return true;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[xo + i]!);
      return true;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[i] = v > 0 ? v : 0;
      }
      return true;
    case 'square':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[i] = v * v;
      }
      return true;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[xo + i]!);
      return true;
    case 'sigmoid':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      return true;
    default:
      return false;
  }
}

/**
 * Float32 outputs only keep 24 bits, which lets tanh and sigmoid use cheaper double formulas
 * than `Math.tanh` and the two-branch stable sigmoid (both exact to well under a float32 ulp;
 * the float64 path keeps the reference formulas).
 */
function unaryFloat32(op: UnaryOp, x: Arr, xo: number, out: Float32Array, n: number): boolean {
  switch (op) {
    case 'tanh':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        // expm1 keeps full relative accuracy near 0 (and the sign of -0); |v| > 20 is ±1 in float64.
        if (v > 20) out[i] = 1;
        else if (v < -20) out[i] = -1;
        else {
          const e = Math.expm1(2 * v);
          out[i] = e / (e + 2);
        }
      }
      return true;
    case 'sigmoid':
      // exp(-v) may overflow to Infinity for v < -709, giving 0: float32 rounds that value to 0 anyway.
      for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[xo + i]!));
      return true;
    default:
      return false;
  }
}

export function unaryKernel(op: UnaryOp, x: View, out: Arr): void {
  const src = x.storage.data as Arr;
  if (isContiguous(x)) {
    const n = viewSize(x);
    if (out instanceof Float32Array && unaryFloat32(op, src, x.offset, out, n)) return;
    if (unaryContiguous(op, src, x.offset, out, n)) return;
  }
  const f = UNARY_FNS[op];
  forEachRun(x.shape, [x], (o, offs, inner, st) => {
    let p = offs[0]!;
    const s = st[0]!;
    for (let j = 0; j < inner; j++, p += s) out[o + j] = f(src[p]!);
  });
}

function binaryContiguous(op: BinaryOp, a: Arr, ao: number, b: Arr, bo: number, out: Arr, n: number): boolean {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[ao + i]! + b[bo + i]!;
      return true;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[ao + i]! - b[bo + i]!;
      return true;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[ao + i]! * b[bo + i]!;
      return true;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[ao + i]! / b[bo + i]!;
      return true;
    case 'maximum':
      for (let i = 0; i < n; i++) {
        const x = a[ao + i]!,
          y = b[bo + i]!;
        out[i] = x !== x || y !== y ? NaN : x > y ? x : y;
      }
      return true;
    case 'minimum':
      for (let i = 0; i < n; i++) {
        const x = a[ao + i]!,
          y = b[bo + i]!;
        out[i] = x !== x || y !== y ? NaN : x < y ? x : y;
      }
      return true;
    case 'greater':
      for (let i = 0; i < n; i++) out[i] = a[ao + i]! > b[bo + i]! ? 1 : 0;
      return true;
    case 'greaterEqual':
      for (let i = 0; i < n; i++) out[i] = a[ao + i]! >= b[bo + i]! ? 1 : 0;
      return true;
    case 'less':
      for (let i = 0; i < n; i++) out[i] = a[ao + i]! < b[bo + i]! ? 1 : 0;
      return true;
    case 'lessEqual':
      for (let i = 0; i < n; i++) out[i] = a[ao + i]! <= b[bo + i]! ? 1 : 0;
      return true;
    case 'equal':
      for (let i = 0; i < n; i++) out[i] = a[ao + i]! === b[bo + i]! ? 1 : 0;
      return true;
    case 'notEqual':
      for (let i = 0; i < n; i++) out[i] = a[ao + i]! !== b[bo + i]! ? 1 : 0;
      return true;
    default:
      return false;
  }
}

/**
 * `x op s` for a contiguous x and a broadcast scalar s (the `t.mul(2)`, `greater(t, 0)` case),
 * hoisting the scalar out of the loop; false when not specialised.
 */
function binaryScalarRight(op: BinaryOp, x: Arr, xo: number, s: number, out: Arr, n: number): boolean {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = x[xo + i]! + s;
      return true;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = x[xo + i]! - s;
      return true;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = x[xo + i]! * s;
      return true;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = x[xo + i]! / s;
      return true;
    case 'maximum':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[i] = v !== v || s !== s ? NaN : v > s ? v : s;
      }
      return true;
    case 'minimum':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[i] = v !== v || s !== s ? NaN : v < s ? v : s;
      }
      return true;
    case 'greater':
      for (let i = 0; i < n; i++) out[i] = x[xo + i]! > s ? 1 : 0;
      return true;
    case 'greaterEqual':
      for (let i = 0; i < n; i++) out[i] = x[xo + i]! >= s ? 1 : 0;
      return true;
    case 'less':
      for (let i = 0; i < n; i++) out[i] = x[xo + i]! < s ? 1 : 0;
      return true;
    case 'lessEqual':
      for (let i = 0; i < n; i++) out[i] = x[xo + i]! <= s ? 1 : 0;
      return true;
    case 'equal':
      for (let i = 0; i < n; i++) out[i] = x[xo + i]! === s ? 1 : 0;
      return true;
    case 'notEqual':
      for (let i = 0; i < n; i++) out[i] = x[xo + i]! !== s ? 1 : 0;
      return true;
    default:
      return false;
  }
}

/** `s op x` for a broadcast scalar s and a contiguous x; false when not specialised. */
function binaryScalarLeft(op: BinaryOp, s: number, x: Arr, xo: number, out: Arr, n: number): boolean {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = s + x[xo + i]!;
      return true;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = s - x[xo + i]!;
      return true;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = s * x[xo + i]!;
      return true;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = s / x[xo + i]!;
      return true;
    case 'maximum':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[i] = s !== s || v !== v ? NaN : s > v ? s : v;
      }
      return true;
    case 'minimum':
      for (let i = 0; i < n; i++) {
        const v = x[xo + i]!;
        out[i] = s !== s || v !== v ? NaN : s < v ? s : v;
      }
      return true;
    case 'greater':
      for (let i = 0; i < n; i++) out[i] = s > x[xo + i]! ? 1 : 0;
      return true;
    case 'less':
      for (let i = 0; i < n; i++) out[i] = s < x[xo + i]! ? 1 : 0;
      return true;
    default:
      return false;
  }
}

/** A view whose every element is the same storage slot: a broadcast scalar. */
function isScalarView(v: View): boolean {
  for (let i = 0; i < v.shape.length; i++) if (v.shape[i] !== 1 && v.strides[i] !== 0) return false;
  return true;
}

/** Runs with one operand broadcast along the innermost dimension (stride 0) get their own loops. */
function binaryRun(
  op: BinaryOp,
  f: (a: number, b: number) => number,
  a: Arr,
  pa: number,
  sa: number,
  b: Arr,
  pb: number,
  sb: number,
  out: Arr,
  o: number,
  n: number,
): void {
  switch (op) {
    case 'add':
      for (let j = 0; j < n; j++, pa += sa, pb += sb) out[o + j] = a[pa]! + b[pb]!;
      return;
    case 'sub':
      for (let j = 0; j < n; j++, pa += sa, pb += sb) out[o + j] = a[pa]! - b[pb]!;
      return;
    case 'mul':
      for (let j = 0; j < n; j++, pa += sa, pb += sb) out[o + j] = a[pa]! * b[pb]!;
      return;
    case 'div':
      for (let j = 0; j < n; j++, pa += sa, pb += sb) out[o + j] = a[pa]! / b[pb]!;
      return;
    default:
      for (let j = 0; j < n; j++, pa += sa, pb += sb) out[o + j] = f(a[pa]!, b[pb]!);
  }
}

export function binaryKernel(op: BinaryOp, a: View, b: View, out: Arr): void {
  const ad = a.storage.data as Arr;
  const bd = b.storage.data as Arr;
  const n = viewSize(a);
  const ca = isContiguous(a);
  const cb = isContiguous(b);
  if (ca && cb && binaryContiguous(op, ad, a.offset, bd, b.offset, out, n)) return;
  if (ca && n > 1 && isScalarView(b) && binaryScalarRight(op, ad, a.offset, bd[b.offset]!, out, n)) return;
  if (cb && n > 1 && isScalarView(a) && binaryScalarLeft(op, ad[a.offset]!, bd, b.offset, out, n)) return;
  const f = BINARY_FNS[op];
  forEachRun(a.shape, [a, b], (o, offs, inner, st) => {
    binaryRun(op, f, ad, offs[0]!, st[0]!, bd, offs[1]!, st[1]!, out, o, inner);
  });
}

export function whereKernel(c: View, a: View, b: View, out: Arr): void {
  const cd = c.storage.data as Arr;
  const ad = a.storage.data as Arr;
  const bd = b.storage.data as Arr;
  if (isContiguous(c) && whereFast(cd, c.offset, a, ad, b, bd, out, viewSize(c))) return;
  forEachRun(c.shape, [c, a, b], (o, offs, inner, st) => {
    let pc = offs[0]!,
      pa = offs[1]!,
      pb = offs[2]!;
    const sc = st[0]!,
      sa = st[1]!,
      sb = st[2]!;
    for (let j = 0; j < inner; j++, pc += sc, pa += sa, pb += sb) out[o + j] = cd[pc] ? ad[pa]! : bd[pb]!;
  });
}

/** `where` with a contiguous condition and each branch contiguous or a broadcast scalar (ReLU-style masks). */
function whereFast(cd: Arr, co: number, a: View, ad: Arr, b: View, bd: Arr, out: Arr, n: number): boolean {
  const ca = isContiguous(a);
  const cb = isContiguous(b);
  const ao = a.offset;
  const bo = b.offset;
  if (ca && cb) {
    for (let i = 0; i < n; i++) out[i] = cd[co + i] ? ad[ao + i]! : bd[bo + i]!;
    return true;
  }
  if (ca && isScalarView(b)) {
    const s = bd[bo]!;
    for (let i = 0; i < n; i++) out[i] = cd[co + i] ? ad[ao + i]! : s;
    return true;
  }
  if (cb && isScalarView(a)) {
    const s = ad[ao]!;
    for (let i = 0; i < n; i++) out[i] = cd[co + i] ? s : bd[bo + i]!;
    return true;
  }
  return false;
}
