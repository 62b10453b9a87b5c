import { I32, V128, forLoop, op, seq, type Code, type FuncDef } from './emit.js';
import { Fn } from './fn.js';

/*
 * float32 add / sub / mul / div / maximum / minimum, 4 lanes at a time. Each lane of the four
 * arithmetic ops is one IEEE float32 operation, which is exactly what the TypeScript kernels
 * produce (their float64 result rounded to float32 is the correctly rounded float32 result for
 * these operations). maximum / minimum are not the SIMD min / max instructions (those order -0
 * below +0 and differ in which operand wins a tie) but a compare and select written like the
 * TypeScript kernel, `a > b ? a : b` with NaN when either is NaN, so every op agrees bitwise
 * with the reference (NaN payloads aside).
 *
 * Two kernels: `bin_<op>_f32` for contiguous operands or a broadcast scalar (one flat range,
 * threaded by element ranges) and `binr_<op>_f32` for [rows, n] outputs where an operand is a
 * row vector repeated on every row ([m, n] + [n], a bias) or a column with one value per row
 * ([m, n] * [m, 1], softmax's normalisation), threaded by row ranges.
 */

export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const;
export type WasmBinaryOp = (typeof BINARY_OPS)[number];

const ARITH: Partial<Record<WasmBinaryOp, Code>> = {
  add: op.f32x4Add,
  sub: op.f32x4Sub,
  mul: op.f32x4Mul,
  div: op.f32x4Div,
};

/** Leaves `left <op> right` on the stack; maximum / minimum use the v128 locals x and y. */
function apply(f: Fn, name: WasmBinaryOp, left: Code, right: Code): Code {
  const arith = ARITH[name];
  if (arith) return seq(left, right, arith);
  f.local('x', V128);
  f.local('y', V128);
  const cmp = name === 'maximum' ? op.f32x4Gt : op.f32x4Lt;
  return seq(
    left, f.s('x'), right, f.s('y'),
    // x > y ? x : y (b wins ties and signed zeros, as in the TS kernel; a NaN y is kept)...
    f.g('x'), f.g('y'), f.g('x'), f.g('y'), cmp, op.v128Bitselect,
    // ...and a NaN x replaces it: keep the result where x == x.
    f.g('x'), f.g('x'), f.g('x'), op.f32x4Eq, op.v128Bitselect,
  );
}

/** bin_<op>_f32(a, b, dst, n, mode): mode 0 both arrays, 1 b is a scalar, 2 a is a scalar. */
function flatKernel(name: WasmBinaryOp): FuncDef {
  const f = new Fn(`bin_${name}_f32`, [['a', I32], ['b', I32], ['dst', I32], ['n', I32], ['mode', I32]]);
  f.local('i', I32);
  f.local('s', V128);
  const body = (left: Code, right: Code): Code =>
    forLoop(
      f.idx('i'), op.i32(0), f.g('n'), op.i32(16),
      seq(f.g('dst'), f.g('i'), op.i32Add, apply(f, name, left, right), op.v128Store(0, 0)),
    );
  const at = (p: string): Code => seq(f.g(p), f.g('i'), op.i32Add, op.v128Load(0, 0));
  return f.build(
    seq(
      f.g('n'), op.i32(4), op.i32Mul, f.s('n'),
      f.g('mode'), op.i32Eqz,
      op.if(
        body(at('a'), at('b')),
        seq(
          f.g('mode'), op.i32(1), op.i32Eq,
          op.if(
            seq(f.g('b'), op.v128Load32Splat(0), f.s('s'), body(at('a'), f.g('s'))),
            seq(f.g('a'), op.v128Load32Splat(0), f.s('s'), body(f.g('s'), at('b'))),
          ),
        ),
      ),
    ),
  );
}

/**
 * binr_<op>_f32(a, b, dst, rows, n, aRow, bRow, kind): dst is [rows, n] row-major. Row r of an
 * operand starts at its address + r * (its row stride in bytes): n * 4 for a full operand, 0
 * for a row vector. kind 0: both operands are rows of n elements; 1: b is one value per row
 * (row stride 4 for a column, 0 for a scalar), broadcast along the row; 2: the same for a.
 * The last 1-3 elements of a row are computed as a whole vector (reading up to 12 bytes past the
 * row, which the caller keeps inside the memory) and stored lane by lane, so no thread writes
 * outside its rows.
 */
function rowsKernel(name: WasmBinaryOp): FuncDef {
  const f = new Fn(`binr_${name}_f32`, [
    ['a', I32], ['b', I32], ['dst', I32], ['rows', I32], ['n', I32], ['aRow', I32], ['bRow', I32], ['kind', I32],
  ]);
  for (const v of ['r', 'i', 'pa', 'pb', 'pd', 'full', 'end']) f.local(v, I32);
  f.local('s', V128);
  f.local('v', V128);
  const vecAt = (p: string): Code => seq(f.g(p), f.g('i'), op.i32Add, op.v128Load(0, 0));
  const rowLoop = (left: Code, right: Code): Code => {
    const main = forLoop(
      f.idx('i'), op.i32(0), f.g('full'), op.i32(16),
      seq(f.g('pd'), f.g('i'), op.i32Add, apply(f, name, left, right), op.v128Store(0, 0)),
    );
    // i == full here: the ragged end of the row, if any.
    const lane = (j: number): Code =>
      seq(f.g('pd'), f.g('full'), op.i32Add, f.g('v'), op.f32x4Extract(j), op.f32Store(j * 4));
    const tail = seq(
      f.g('full'), f.g('end'), op.i32LtS,
      op.if(
        seq(
          f.g('full'), f.s('i'),
          apply(f, name, left, right), f.s('v'),
          lane(0),
          f.g('end'), f.g('full'), op.i32Sub, op.i32(4), op.i32GtS, op.if(lane(1)),
          f.g('end'), f.g('full'), op.i32Sub, op.i32(8), op.i32GtS, op.if(lane(2)),
        ),
      ),
    );
    return seq(main, tail);
  };
  const perRow = (body: Code): Code =>
    forLoop(
      f.idx('r'), op.i32(0), f.g('rows'), op.i32(1),
      seq(
        f.g('a'), f.g('r'), f.g('aRow'), op.i32Mul, op.i32Add, f.s('pa'),
        f.g('b'), f.g('r'), f.g('bRow'), op.i32Mul, op.i32Add, f.s('pb'),
        f.g('dst'), f.g('r'), f.g('end'), op.i32Mul, op.i32Add, f.s('pd'),
        body,
      ),
    );
  return f.build(
    seq(
      f.g('n'), op.i32(4), op.i32Mul, f.s('end'),
      f.g('n'), op.i32(-4), op.i32And, op.i32(4), op.i32Mul, f.s('full'),
      f.g('kind'), op.i32Eqz,
      op.if(
        perRow(rowLoop(vecAt('pa'), vecAt('pb'))),
        seq(
          f.g('kind'), op.i32(1), op.i32Eq,
          op.if(
            perRow(seq(f.g('pb'), op.v128Load32Splat(0), f.s('s'), rowLoop(vecAt('pa'), f.g('s')))),
            perRow(seq(f.g('pa'), op.v128Load32Splat(0), f.s('s'), rowLoop(f.g('s'), vecAt('pb')))),
          ),
        ),
      ),
    ),
  );
}

export function binaryFunctions(): FuncDef[] {
  return [...BINARY_OPS.map(flatKernel), ...BINARY_OPS.map(rowsKernel)];
}
