import { I32, V128, forLoop, op, seq, type Code, type FuncDef } from './emit.js';
import { Fn } from './fn.js';

/*
 * float32 exp, sigmoid and tanh over contiguous arrays, 4 lanes at a time. These are the
 * transcendental ops whose TypeScript loops are bound by `Math.exp` / `Math.expm1` calls (the
 * elementwise chain and softmax spend most of their time there); plain arithmetic is
 * memory-bound and stays in TypeScript.
 *
 * exp: x = n ln2 + r with n = nearest(x log2 e) and |r| <= ln2 / 2 (Cody-Waite: ln2 split in a
 * 9-bit head, so n * head is exact), e^r by its degree-7 Taylor polynomial (truncation < 6e-9
 * relative), times 2^n built in the exponent bits as 2^(n>>1) * 2^(n - (n>>1)) so that results
 * down to the subnormal range (x >= -103.9) and overflow to +Infinity (x > 88.72) come out of
 * ordinary float multiplies.
 * sigmoid: see below. tanh: the odd Taylor series to x^13 for |x| < 0.35 (error < 1e-9
 * relative), else sign(x) (1 - 2 / (exp(2|x|) + 1)).
 * Measured worst cases over 22k arguments: exp 1 ulp, tanh 2 ulp (test/wasm-unary.test.ts).
 */

const LOG2E = 1.4426950408889634;
const LN2_HI = 0.693359375;
const LN2_LO = -2.1219444005469057e-4;

/** Leaves exp(local x) on the stack; uses the v128 locals t and e (e holds n, then int(n)). */
function expV(f: Fn, x: string): Code {
  const inv = [5040, 720, 120, 24, 6, 2, 1, 1];
  const horner: Code[] = [op.f32x4Const(1 / inv[0]!)];
  for (let i = 1; i < inv.length; i++) horner.push(seq(f.g('t'), op.f32x4Mul, op.f32x4Const(1 / inv[i]!), op.f32x4Add));
  const scale = (half: Code): Code => seq(half, op.i32x4Const(127), op.i32x4Add, op.i32(23), op.i32x4Shl);
  return seq(
    // t = clamp(x); n = nearest(t log2e)
    f.g(x), op.f32x4Const(-104), op.f32x4Max, op.f32x4Const(89), op.f32x4Min, f.s('t'),
    f.g('t'), op.f32x4Const(LOG2E), op.f32x4Mul, op.f32x4Nearest, f.s('e'),
    // t = (t - n * hi) - n * lo
    f.g('t'), f.g('e'), op.f32x4Const(LN2_HI), op.f32x4Mul, op.f32x4Sub,
    f.g('e'), op.f32x4Const(LN2_LO), op.f32x4Mul, op.f32x4Sub, f.s('t'),
    // e = int(n)
    f.g('e'), op.i32x4TruncSatF32x4S, f.s('e'),
    horner,
    scale(seq(f.g('e'), op.i32(1), op.i32x4ShrS)),
    op.f32x4Mul,
    scale(seq(f.g('e'), f.g('e'), op.i32(1), op.i32x4ShrS, op.i32x4Sub)),
    op.f32x4Mul,
  );
}

function kernel(name: string, body: (f: Fn) => Code): FuncDef {
  const f = new Fn(name, [['src', I32], ['dst', I32], ['n', I32]]);
  f.local('i', I32);
  for (const v of ['x', 't', 'e', 'u']) f.local(v, V128);
  const loop = forLoop(
    f.idx('i'), op.i32(0), f.g('n'), op.i32(16),
    seq(
      f.g('src'), f.g('i'), op.i32Add, op.v128Load(0, 0), f.s('x'),
      f.g('dst'), f.g('i'), op.i32Add,
      body(f),
      op.v128Store(0, 0),
    ),
  );
  // n counts elements; the loop walks bytes, 4 lanes (16 bytes) per step.
  return f.build(seq(f.g('n'), op.i32(4), op.i32Mul, f.s('n'), loop));
}

/** exp_f32 / sigmoid_f32 / tanh_f32 / relu_f32 (src, dst, n): n rounded up to a multiple of 4 by the caller. */
export function unaryFunctions(): FuncDef[] {
  const exp = kernel('exp_f32', (f) => expV(f, 'x'));
  // sigmoid = num / (1 + e) with e = exp(-|x|) (never overflows) and num = 1 for x >= 0, e for
  // x < 0: full relative accuracy on both tails, down to subnormal results.
  const sigmoid = kernel('sigmoid_f32', (f) =>
    seq(
      f.g('x'), op.f32x4Abs, op.f32x4Neg, f.s('u'),
      expV(f, 'u'), f.s('u'),
      f.g('u'), op.f32x4Const(1), f.g('x'), op.f32x4Const(0), op.f32x4Lt, op.v128Bitselect,
      op.f32x4Const(1), f.g('u'), op.f32x4Add,
      op.f32x4Div,
    ),
  );
  const series = [-1 / 3, 2 / 15, -17 / 315, 62 / 2835, -1382 / 155925, 21844 / 6081075];
  const tanh = kernel('tanh_f32', (f) => {
    f.local('big', V128);
    f.local('x2', V128);
    // small = x + x * x2 * (c3 + x2 * (c5 + ...))
    const poly: Code[] = [op.f32x4Const(series[series.length - 1]!)];
    for (let i = series.length - 2; i >= 0; i--) {
      poly.push(seq(f.g('x2'), op.f32x4Mul, op.f32x4Const(series[i]!), op.f32x4Add));
    }
    return seq(
      f.g('x'), op.f32x4Abs, op.f32x4Const(2), op.f32x4Mul, f.s('u'),
      // big = 1 - 2 / (exp(2|x|) + 1), i.e. tanh |x|
      op.f32x4Const(1), op.f32x4Const(2), expV(f, 'u'), op.f32x4Const(1), op.f32x4Add, op.f32x4Div, op.f32x4Sub,
      f.s('big'),
      f.g('x'), f.g('x'), op.f32x4Mul, f.s('x2'),
      f.g('x'), f.g('x'), f.g('x2'), op.f32x4Mul, poly, op.f32x4Mul, op.f32x4Add,
      f.g('big'),
      f.g('x'), op.f32x4Abs, op.f32x4Const(0.35), op.f32x4Lt,
      op.v128Bitselect,
      // tanh is odd: the sign bit of x (this also keeps tanh(-0) = -0)
      f.g('x'), op.i32x4Const(-0x80000000), op.v128And, op.v128Or,
    );
  });
  // relu as the TypeScript kernel writes it, x > 0 ? x : 0 (NaN and -0 give +0), bitwise.
  const relu = kernel('relu_f32', (f) => seq(f.g('x'), op.f32x4Const(0), f.g('x'), op.f32x4Const(0), op.f32x4Gt, op.v128Bitselect));
  return [exp, sigmoid, tanh, relu];
}
