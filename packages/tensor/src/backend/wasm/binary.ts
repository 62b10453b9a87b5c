import { I32, V128, forLoop, op, seq, type Code, type FuncDef } from './emit.js';
import { Fn } from './fn.js';

/*
 * float32 add / sub / mul / div over contiguous arrays, 4 lanes at a time, with either operand
 * optionally a broadcast scalar. Each lane is one IEEE float32 operation, which is exactly what
 * the TypeScript kernels produce (their float64 result rounded to float32 is the correctly
 * rounded float32 result for these four operations), so the two paths agree bitwise.
 * maximum / minimum stay in TypeScript: their -0 / +0 and NaN conventions differ from the SIMD
 * min / max instructions.
 */

export const BINARY_OPS = ['add', 'sub', 'mul', 'div'] as const;

const VEC: Record<(typeof BINARY_OPS)[number], Code> = {
  add: op.f32x4Add,
  sub: op.f32x4Sub,
  mul: op.f32x4Mul,
  div: op.f32x4Div,
};

/** bin_<op>_f32(a, b, dst, n, mode): mode 0 both arrays, 1 b is a scalar, 2 a is a scalar. */
function kernel(name: (typeof BINARY_OPS)[number]): FuncDef {
  const f = new Fn(`bin_${name}_f32`, [['a', I32], ['b', I32], ['dst', I32], ['n', I32], ['mode', I32]]);
  f.local('i', I32);
  f.local('s', V128);
  const body = (left: Code, right: Code): Code =>
    forLoop(
      f.idx('i'), op.i32(0), f.g('n'), op.i32(16),
      seq(f.g('dst'), f.g('i'), op.i32Add, left, right, VEC[name], op.v128Store(0, 0)),
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

export function binaryFunctions(): FuncDef[] {
  return BINARY_OPS.map(kernel);
}
