import { I32, forLoop, op, seq, type Code, type FuncDef } from './emit.js';
import { Fn } from './fn.js';

/*
 * im2col (the unfold behind conv2d) for float32 and float64:
 * out[b, (ch kh + ki) kw + kj, oy ow + ox] = x[b, ch, oy sh - pt + ki dh, ox sw - pl + kj dw],
 * 0 in the padding. A pure copy, so it agrees bitwise with the TypeScript kernel (nn/kernels/
 * im2col.ts). The valid output ranges per kernel offset (where the source lies inside the image)
 * are computed by the caller and passed as a table, so the loops need no bounds checks and no
 * integer division; the output is zero-filled first with memory.fill.
 *
 * im2col_<f32|f64>(prm): prm points at i32 words
 * [src, sN, sC, sH, sW, n, c, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow, dst, tab, dstBytes], strides
 * in bytes; tab holds (y0, y1) for each ki, then (x0, x1) for each kj.
 */

export const IM2COL_PARAMS = [
  'src', 'sN', 'sC', 'sH', 'sW', 'n', 'c', 'kh', 'kw', 'sh', 'sw', 'dh', 'dw', 'pt', 'pl', 'oh', 'ow', 'dst', 'tab', 'dstBytes',
] as const;

function kernel(f64: boolean): FuncDef {
  const f = new Fn(`im2col_${f64 ? 'f64' : 'f32'}`, [['prm', I32]]);
  for (const v of IM2COL_PARAMS) f.local(v, I32);
  for (const v of ['b', 'ch', 'ki', 'kj', 'oy', 'ox', 'base', 'row', 'y0', 'y1', 'x0', 'x1', 'p', 'o', 'step', 'L']) f.local(v, I32);
  const es = f64 ? 8 : 4;
  const load = IM2COL_PARAMS.map((name, i) => seq(f.g('prm'), op.i32Load(i * 4), f.s(name)));
  const mul = (a: string, b: string): Code => seq(f.g(a), f.g(b), op.i32Mul);
  const copyRow = seq(
    // p = base + (oy sh - pt + ki dh) sH + (x0 sw - pl + kj dw) sW
    f.g('base'),
    mul('oy', 'sh'), f.g('pt'), op.i32Sub, mul('ki', 'dh'), op.i32Add, f.g('sH'), op.i32Mul, op.i32Add,
    mul('x0', 'sw'), f.g('pl'), op.i32Sub, mul('kj', 'dw'), op.i32Add, f.g('sW'), op.i32Mul, op.i32Add,
    f.s('p'),
    // o = dst + (row L + oy ow + x0) es
    f.g('dst'), mul('row', 'L'), mul('oy', 'ow'), op.i32Add, f.g('x0'), op.i32Add, op.i32(es), op.i32Mul, op.i32Add,
    f.s('o'),
    forLoop(
      f.idx('ox'), f.g('x0'), f.g('x1'), op.i32(1),
      seq(
        f.g('o'), f.g('p'), f64 ? op.f64Load() : op.i32Load(), f64 ? op.f64Store() : op.i32Store(),
        f.g('p'), f.g('step'), op.i32Add, f.s('p'),
        f.g('o'), op.i32(es), op.i32Add, f.s('o'),
      ),
    ),
  );
  const perKj = seq(
    f.g('tab'), f.g('kh'), f.g('kj'), op.i32Add, op.i32(8), op.i32Mul, op.i32Add, f.s('x0'),
    f.g('x0'), op.i32Load(4), f.s('x1'),
    f.g('x0'), op.i32Load(0), f.s('x0'),
    forLoop(f.idx('oy'), f.g('y0'), f.g('y1'), op.i32(1), copyRow),
    f.g('row'), op.i32(1), op.i32Add, f.s('row'),
  );
  const perKi = seq(
    f.g('tab'), f.g('ki'), op.i32(8), op.i32Mul, op.i32Add, f.s('y0'),
    f.g('y0'), op.i32Load(4), f.s('y1'),
    f.g('y0'), op.i32Load(0), f.s('y0'),
    forLoop(f.idx('kj'), op.i32(0), f.g('kw'), op.i32(1), perKj),
  );
  const perChannel = seq(
    f.g('src'), mul('b', 'sN'), op.i32Add, mul('ch', 'sC'), op.i32Add, f.s('base'),
    forLoop(f.idx('ki'), op.i32(0), f.g('kh'), op.i32(1), perKi),
  );
  return f.build(
    seq(
      load,
      f.g('dst'), op.i32(0), f.g('dstBytes'), op.memoryFill,
      mul('oh', 'ow'), f.s('L'),
      mul('sw', 'sW'), f.s('step'),
      op.i32(0), f.s('row'),
      forLoop(f.idx('b'), op.i32(0), f.g('n'), op.i32(1), forLoop(f.idx('ch'), op.i32(0), f.g('c'), op.i32(1), perChannel)),
    ),
  );
}

export const COL2IM_PARAMS = [
  'src', 'sN', 'sR', 'sL', 'n', 'c', 'kh', 'kw', 'sh', 'sw', 'dh', 'dw', 'pt', 'pl', 'H', 'W', 'oh', 'ow', 'dst', 'tab', 'dstBytes',
] as const;

/**
 * col2im_<f32|f64>(prm), the adjoint (nn.fold, conv2d's input gradient): adds
 * cols[b, (ch kh + ki) kw + kj, oy ow + ox] into out[b, ch, oy sh - pt + ki dh, ox sw - pl + kj dw].
 * Same loop nest and order as the TypeScript kernel, one IEEE add per element, so bitwise equal.
 * prm: i32 words in COL2IM_PARAMS order (strides of cols in bytes); tab as for im2col.
 */
function foldKernel(f64: boolean): FuncDef {
  const f = new Fn(`col2im_${f64 ? 'f64' : 'f32'}`, [['prm', I32]]);
  for (const v of COL2IM_PARAMS) f.local(v, I32);
  for (const v of ['b', 'ch', 'ki', 'kj', 'oy', 'ox', 'outBase', 'rowBase', 'y0', 'y1', 'x0', 'x1', 'p', 'o', 'ostep']) f.local(v, I32);
  const es = f64 ? 8 : 4;
  const load = COL2IM_PARAMS.map((name, i) => seq(f.g('prm'), op.i32Load(i * 4), f.s(name)));
  const mul = (a: string, b: string): Code => seq(f.g(a), f.g(b), op.i32Mul);
  const addRow = seq(
    // o = outBase + ((oy sh - pt + ki dh) W + x0 sw - pl + kj dw) es
    f.g('outBase'),
    mul('oy', 'sh'), f.g('pt'), op.i32Sub, mul('ki', 'dh'), op.i32Add, f.g('W'), op.i32Mul,
    mul('x0', 'sw'), op.i32Add, f.g('pl'), op.i32Sub, mul('kj', 'dw'), op.i32Add,
    op.i32(es), op.i32Mul, op.i32Add, f.s('o'),
    // p = rowBase + (oy ow + x0) sL
    f.g('rowBase'), mul('oy', 'ow'), f.g('x0'), op.i32Add, f.g('sL'), op.i32Mul, op.i32Add, f.s('p'),
    forLoop(
      f.idx('ox'), f.g('x0'), f.g('x1'), op.i32(1),
      seq(
        f.g('o'), f.g('o'), f64 ? op.f64Load() : op.f32Load(), f.g('p'), f64 ? op.f64Load() : op.f32Load(),
        f64 ? op.f64Add : op.f32Add, f64 ? op.f64Store() : op.f32Store(),
        f.g('o'), f.g('ostep'), op.i32Add, f.s('o'),
        f.g('p'), f.g('sL'), op.i32Add, f.s('p'),
      ),
    ),
  );
  const perKj = seq(
    f.g('tab'), f.g('kh'), f.g('kj'), op.i32Add, op.i32(8), op.i32Mul, op.i32Add, f.s('x0'),
    f.g('x0'), op.i32Load(4), f.s('x1'),
    f.g('x0'), op.i32Load(0), f.s('x0'),
    // rowBase = src + b sN + ((ch kh + ki) kw + kj) sR
    f.g('src'), mul('b', 'sN'), op.i32Add,
    mul('ch', 'kh'), f.g('ki'), op.i32Add, f.g('kw'), op.i32Mul, f.g('kj'), op.i32Add, f.g('sR'), op.i32Mul, op.i32Add,
    f.s('rowBase'),
    forLoop(f.idx('oy'), f.g('y0'), f.g('y1'), op.i32(1), addRow),
  );
  const perKi = seq(
    f.g('tab'), f.g('ki'), op.i32(8), op.i32Mul, op.i32Add, f.s('y0'),
    f.g('y0'), op.i32Load(4), f.s('y1'),
    f.g('y0'), op.i32Load(0), f.s('y0'),
    forLoop(f.idx('kj'), op.i32(0), f.g('kw'), op.i32(1), perKj),
  );
  const perChannel = seq(
    f.g('dst'), mul('b', 'c'), f.g('ch'), op.i32Add, mul('H', 'W'), op.i32Mul, op.i32(es), op.i32Mul, op.i32Add, f.s('outBase'),
    forLoop(f.idx('ki'), op.i32(0), f.g('kh'), op.i32(1), perKi),
  );
  return f.build(
    seq(
      load,
      f.g('dst'), op.i32(0), f.g('dstBytes'), op.memoryFill,
      f.g('sw'), op.i32(es), op.i32Mul, f.s('ostep'),
      forLoop(f.idx('b'), op.i32(0), f.g('n'), op.i32(1), forLoop(f.idx('ch'), op.i32(0), f.g('c'), op.i32(1), perChannel)),
    ),
  );
}

export function im2colFunctions(): FuncDef[] {
  return [kernel(false), kernel(true), foldKernel(false), foldKernel(true)];
}
