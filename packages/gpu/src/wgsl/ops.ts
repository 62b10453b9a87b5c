import type { BinaryOp, DType, UnaryOp } from '@difflab/tensor';

/** A WGSL expression plus the library functions it calls. */
export interface Code {
  expr: string;
  fns: string[];
}

const RANK: Record<string, number> = { bool: 0, int32: 1, float32: 2 };

export function promote(a: DType, b: DType): DType {
  return RANK[a]! >= RANK[b]! ? a : b;
}

const b2u = (cond: string) => `select(0u, 1u, ${cond})`;

/** Converts a value between device dtypes with the CPU backend's rules (NaN is falsy, floats truncate). */
export function convert(x: string, from: DType, to: DType): Code {
  if (from === to) return { expr: x, fns: [] };
  if (to === 'float32') return { expr: `f32(${x})`, fns: [] };
  if (to === 'int32')
    return from === 'float32' ? { expr: `m_f2i(${x})`, fns: ['m_f2i'] } : { expr: `i32(${x})`, fns: [] };
  return truthy(x, from, true);
}

/** `x != 0` in JavaScript's sense (NaN is false), as a WGSL bool or, with `asU32`, a 0/1 u32. */
export function truthy(x: string, dt: DType, asU32 = false): Code {
  let c: Code;
  if (dt === 'float32') c = { expr: `m_truthy(${x})`, fns: ['m_truthy'] };
  else if (dt === 'int32') c = { expr: `(${x} != 0)`, fns: [] };
  else c = { expr: `(${x} != 0u)`, fns: [] };
  return asU32 ? { expr: b2u(c.expr), fns: c.fns } : c;
}

const FLOAT_UNARY: Partial<Record<UnaryOp, (x: string) => Code>> = {
  neg: (x) => ({ expr: `(-${x})`, fns: [] }),
  abs: (x) => ({ expr: `abs(${x})`, fns: [] }),
  sign: (x) => ({ expr: `m_sign(${x})`, fns: ['m_sign'] }),
  exp: (x) => ({ expr: `m_exp(${x})`, fns: ['m_exp'] }),
  log: (x) => ({ expr: `m_log(${x})`, fns: ['m_log'] }),
  log1p: (x) => ({ expr: `m_log1p(${x})`, fns: ['m_log1p'] }),
  expm1: (x) => ({ expr: `m_expm1(${x})`, fns: ['m_expm1'] }),
  sqrt: (x) => ({ expr: `m_sqrt(${x})`, fns: ['m_sqrt'] }),
  rsqrt: (x) => ({ expr: `(1.0 / m_sqrt(${x}))`, fns: ['m_sqrt'] }),
  square: (x) => ({ expr: `(${x} * ${x})`, fns: [] }),
  reciprocal: (x) => ({ expr: `(1.0 / ${x})`, fns: [] }),
  sin: (x) => ({ expr: `m_sincos(${x}).x`, fns: ['m_sincos'] }),
  cos: (x) => ({ expr: `m_sincos(${x}).y`, fns: ['m_sincos'] }),
  tan: (x) => ({ expr: `(m_sincos(${x}).x / m_sincos(${x}).y)`, fns: ['m_sincos'] }),
  asin: (x) => ({ expr: `m_asin(${x})`, fns: ['m_asin'] }),
  acos: (x) => ({ expr: `m_acos(${x})`, fns: ['m_acos'] }),
  atan: (x) => ({ expr: `m_atan(${x})`, fns: ['m_atan'] }),
  sinh: (x) => ({ expr: `m_sinh(${x})`, fns: ['m_sinh'] }),
  cosh: (x) => ({ expr: `m_cosh(${x})`, fns: ['m_cosh'] }),
  tanh: (x) => ({ expr: `m_tanh(${x})`, fns: ['m_tanh'] }),
  asinh: (x) => ({ expr: `m_asinh(${x})`, fns: ['m_asinh'] }),
  acosh: (x) => ({ expr: `m_acosh(${x})`, fns: ['m_acosh'] }),
  atanh: (x) => ({ expr: `m_atanh(${x})`, fns: ['m_atanh'] }),
  sigmoid: (x) => ({ expr: `m_sigmoid(${x})`, fns: ['m_sigmoid'] }),
  relu: (x) => ({ expr: `select(0.0, ${x}, ${x} > 0.0)`, fns: [] }),
  softplus: (x) => ({ expr: `m_softplus(${x})`, fns: ['m_softplus'] }),
  erf: (x) => ({ expr: `m_erf(${x})`, fns: ['m_erf'] }),
  erfinv: (x) => ({ expr: `m_erfinv(${x})`, fns: ['m_erfinv'] }),
  floor: (x) => ({ expr: `floor(${x})`, fns: [] }),
  ceil: (x) => ({ expr: `ceil(${x})`, fns: [] }),
  // WGSL round() already rounds half to even, like NumPy and PyTorch.
  round: (x) => ({ expr: `round(${x})`, fns: [] }),
};

const INT_UNARY: Partial<Record<UnaryOp, (x: string) => string>> = {
  neg: (x) => `(-${x})`,
  abs: (x) => `abs(${x})`,
  sign: (x) => `select(select(0, -1, ${x} < 0), 1, ${x} > 0)`,
  square: (x) => `(${x} * ${x})`,
  relu: (x) => `max(${x}, 0)`,
  floor: (x) => x,
  ceil: (x) => x,
  round: (x) => x,
};

/** Operands are always plain identifiers (the generator names every value), so repeating them is free. */
export function unaryCode(op: UnaryOp, x: string, inDt: DType, outDt: DType): Code {
  if (outDt === 'bool') {
    if (op === 'logicalNot') {
      const t = truthy(x, inDt);
      return { expr: b2u(`!${t.expr}`), fns: t.fns };
    }
    if (op === 'isnan')
      return inDt === 'float32' ? { expr: b2u(`m_isnan(${x})`), fns: ['m_isnan'] } : { expr: '0u', fns: [] };
    if (op === 'isfinite')
      return inDt === 'float32'
        ? { expr: b2u(`!(m_isnan(${x}) || m_isinf(${x}))`), fns: ['m_isnan', 'm_isinf'] }
        : { expr: '1u', fns: [] };
  }
  if (outDt === 'int32') {
    const f = INT_UNARY[op];
    if (f) {
      const c = convert(x, inDt, 'int32');
      return { expr: f(c.expr), fns: c.fns };
    }
  }
  if (outDt === 'float32') {
    const f = FLOAT_UNARY[op];
    if (f) {
      const c = convert(x, inDt, 'float32');
      const r = f(c.expr);
      return { expr: r.expr, fns: [...c.fns, ...r.fns] };
    }
  }
  throw new Error(`webgpu: no kernel for unary ${op} (${inDt} -> ${outDt})`);
}

const COMPARE: Partial<Record<BinaryOp, string>> = {
  equal: '==',
  notEqual: '!=',
  less: '<',
  lessEqual: '<=',
  greater: '>',
  greaterEqual: '>=',
};

function floatBinary(op: BinaryOp, a: string, b: string): Code | null {
  switch (op) {
    case 'add':
      return { expr: `(${a} + ${b})`, fns: [] };
    case 'sub':
      return { expr: `(${a} - ${b})`, fns: [] };
    case 'mul':
      return { expr: `(${a} * ${b})`, fns: [] };
    case 'div':
      return { expr: `(${a} / ${b})`, fns: [] };
    case 'pow':
      return { expr: `m_pow(${a}, ${b})`, fns: ['m_pow'] };
    case 'maximum':
      return { expr: `m_maxf(${a}, ${b})`, fns: ['m_maxf'] };
    case 'minimum':
      return { expr: `m_minf(${a}, ${b})`, fns: ['m_minf'] };
    case 'atan2':
      return { expr: `m_atan2(${a}, ${b})`, fns: ['m_atan2'] };
    case 'mod':
      return { expr: `m_mod(${a}, ${b})`, fns: ['m_mod'] };
    default:
      return null;
  }
}

function intBinary(op: BinaryOp, a: string, b: string): Code | null {
  switch (op) {
    case 'add':
      return { expr: `(${a} + ${b})`, fns: [] };
    case 'sub':
      return { expr: `(${a} - ${b})`, fns: [] };
    case 'mul':
      return { expr: `(${a} * ${b})`, fns: [] };
    case 'div':
      return { expr: `m_divi(${a}, ${b})`, fns: ['m_divi'] };
    case 'pow':
      return { expr: `m_powi32(${a}, ${b})`, fns: ['m_powi32'] };
    case 'maximum':
      return { expr: `max(${a}, ${b})`, fns: [] };
    case 'minimum':
      return { expr: `min(${a}, ${b})`, fns: [] };
    case 'mod':
      return { expr: `m_modi(${a}, ${b})`, fns: ['m_modi'] };
    default:
      return null;
  }
}

export function binaryCode(op: BinaryOp, a: string, b: string, aDt: DType, bDt: DType, outDt: DType): Code {
  const cmp = COMPARE[op];
  if (cmp || op === 'logicalAnd' || op === 'logicalOr' || op === 'logicalXor') {
    const ct = promote(aDt, bDt);
    const ca = convert(a, aDt, ct);
    const cb = convert(b, bDt, ct);
    let expr: string;
    const fns = [...ca.fns, ...cb.fns];
    if (cmp) expr = `(${ca.expr} ${cmp} ${cb.expr})`;
    else {
      const ta = truthy(ca.expr, ct);
      const tb = truthy(cb.expr, ct);
      fns.push(...ta.fns, ...tb.fns);
      const j = op === 'logicalAnd' ? '&&' : op === 'logicalOr' ? '||' : '!=';
      expr = `(${ta.expr} ${j} ${tb.expr})`;
    }
    const u = convert(b2u(expr), 'bool', outDt);
    return { expr: u.expr, fns: [...fns, ...u.fns] };
  }
  const ct: DType = outDt === 'bool' ? 'int32' : outDt;
  const ca = convert(a, aDt, ct);
  const cb = convert(b, bDt, ct);
  const r = ct === 'float32' ? floatBinary(op, ca.expr, cb.expr) : intBinary(op, ca.expr, cb.expr);
  if (!r) throw new Error(`webgpu: no kernel for binary ${op} (${aDt}, ${bDt} -> ${outDt})`);
  const out = convert(r.expr, ct, outDt);
  return { expr: out.expr, fns: [...ca.fns, ...cb.fns, ...r.fns, ...out.fns] };
}

export function whereCode(c: string, a: string, b: string, cDt: DType, aDt: DType, bDt: DType, outDt: DType): Code {
  const t = truthy(c, cDt);
  const ca = convert(a, aDt, outDt);
  const cb = convert(b, bDt, outDt);
  return { expr: `select(${cb.expr}, ${ca.expr}, ${t.expr})`, fns: [...t.fns, ...ca.fns, ...cb.fns] };
}
