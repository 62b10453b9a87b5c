import { F32, F64, I32, V128, forLoop, op, seq, type Code, type FuncDef } from './emit.js';
import { Fn } from './fn.js';

/*
 * sum / max / min over the rows of a contiguous [rows, n] array (the last axis, or every element
 * with rows = 1), float32 and float64, one output per row; and over its columns (leading axes,
 * see columnKernel below).
 *
 * Row kernel: a fixed summation order, so results are deterministic (the same for every call, engine and
 * thread count): four vector accumulators take consecutive vectors in turn (accumulator j holds
 * the elements i with floor(i / L) = j mod 4 in the full blocks of 4L elements, L = 2 lanes for
 * sums, 4 for float32 max / min), they are combined as (a0 + a1) + (a2 + a3), the lanes left to
 * right, then the tail elements in order. float32 sums accumulate in float64 lanes like the
 * TypeScript kernel (so they are as accurate; they differ from it only in the order of the
 * float64 additions). max / min propagate NaN; they may return +0 where the TypeScript kernel
 * returns -0 for a row holding both zeros (the SIMD instructions order -0 below +0).
 */

export const REDUCE_OPS = ['sum', 'max', 'min'] as const;
export type WasmReduceOp = (typeof REDUCE_OPS)[number];

interface Variant {
  op: WasmReduceOp;
  f64: boolean;
}

function kernel({ op: name, f64 }: Variant): FuncDef {
  const f = new Fn(`red_${name}_${f64 ? 'f64' : 'f32'}`, [['src', I32], ['rows', I32], ['n', I32], ['dst', I32]]);
  for (const v of ['r', 'p', 'i', 'end', 'full']) f.local(v, I32);
  for (const v of ['a0', 'a1', 'a2', 'a3']) f.local(v, V128);
  const es = f64 ? 8 : 4;
  // Lanes of the accumulators: float64 for every sum and for float64 max / min.
  const wide = name === 'sum' || f64;
  const sType = wide ? F64 : F32;
  f.local('s', sType);
  const laneCount = wide ? 2 : 4;
  const vecBytes = laneCount * es;
  const init = name === 'sum' ? 0 : name === 'max' ? -Infinity : Infinity;
  const vop = wide
    ? { sum: op.f64x2Add, max: op.f64x2Max, min: op.f64x2Min }[name]
    : { sum: op.f32x4Add, max: op.f32x4Max, min: op.f32x4Min }[name];
  const sop = wide ? { sum: op.f64Add, max: op.f64Max, min: op.f64Min }[name] : { sum: op.f32Add, max: op.f32Max, min: op.f32Min }[name];
  const vinit = wide ? op.f64x2Const(init) : op.f32x4Const(init);
  // One vector of the row at byte offset `k` from p, widened to float64 lanes for float32 sums.
  const load = (k: number): Code =>
    f64 ? op.v128Load(k, 0) : wide ? seq(op.v128Load64Zero(k), op.f64x2PromoteLowF32x4) : op.v128Load(k, 0);
  const acc = ['a0', 'a1', 'a2', 'a3'];
  const step = seq(
    acc.map((a, j) => seq(f.g(a), f.g('p'), f.g('i'), op.i32Add, load(j * vecBytes), vop, f.s(a))),
  );
  const lane = (j: number): Code => (wide ? op.f64x2Extract(j) : op.f32x4Extract(j));
  const combined = seq(f.g('a0'), f.g('a1'), vop, f.g('a2'), f.g('a3'), vop, vop, f.s('a0'));
  const lanes: Code[] = [seq(f.g('a0'), lane(0))];
  for (let j = 1; j < laneCount; j++) lanes.push(seq(f.g('a0'), lane(j), sop));
  const scalarLoad = f64 ? op.f64Load() : wide ? seq(op.f32Load(), op.f64PromoteF32) : op.f32Load();
  const tail = forLoop(
    f.idx('i'), f.g('full'), f.g('end'), op.i32(es),
    seq(f.g('s'), f.g('p'), f.g('i'), op.i32Add, scalarLoad, sop, f.s('s')),
  );
  const store = seq(
    f.g('dst'), f.g('r'), op.i32(es), op.i32Mul, op.i32Add,
    f.g('s'), wide && !f64 ? op.f32DemoteF64 : [],
    f64 ? op.f64Store() : op.f32Store(),
  );
  const row = seq(
    f.g('src'), f.g('r'), f.g('end'), op.i32Mul, op.i32Add, f.s('p'),
    vinit, f.s('a0'), vinit, f.s('a1'), vinit, f.s('a2'), vinit, f.s('a3'),
    forLoop(f.idx('i'), op.i32(0), f.g('full'), op.i32(4 * vecBytes), step),
    combined, lanes, f.s('s'),
    tail,
    store,
  );
  return f.build(
    seq(
      // end: bytes per row; full: the bytes covered by whole blocks of 4 vectors.
      f.g('n'), op.i32(es), op.i32Mul, f.s('end'),
      f.g('n'), op.i32(-4 * laneCount), op.i32And, op.i32(es), op.i32Mul, f.s('full'),
      forLoop(f.idx('r'), op.i32(0), f.g('rows'), op.i32(1), row),
    ),
  );
}

/**
 * redc_<op>_<f32|f64>(src, rows, n, dst): dst[j] = op over src[r n + j] for r = 0 .. rows - 1,
 * the reduction over leading axes (a bias gradient, a batch mean). Each output is accumulated
 * in row order, one vector of adjacent columns at a time (float64 lanes for sums), which is the
 * TypeScript kernel's order: sums agree with it bitwise, not just within rounding.
 */
function columnKernel({ op: name, f64 }: Variant): FuncDef {
  const f = new Fn(`redc_${name}_${f64 ? 'f64' : 'f32'}`, [['src', I32], ['rows', I32], ['n', I32], ['dst', I32]]);
  for (const v of ['j', 'r', 'p', 'stride', 'end', 'full']) f.local(v, I32);
  f.local('a', V128);
  const es = f64 ? 8 : 4;
  const wide = name === 'sum' || f64;
  f.local('s', wide ? F64 : F32);
  const laneCount = wide ? 2 : 4;
  const init = name === 'sum' ? 0 : name === 'max' ? -Infinity : Infinity;
  const vop = wide
    ? { sum: op.f64x2Add, max: op.f64x2Max, min: op.f64x2Min }[name]
    : { sum: op.f32x4Add, max: op.f32x4Max, min: op.f32x4Min }[name];
  const sop = wide ? { sum: op.f64Add, max: op.f64Max, min: op.f64Min }[name] : { sum: op.f32Add, max: op.f32Max, min: op.f32Min }[name];
  const load = f64 ? op.v128Load(0, 0) : wide ? seq(op.v128Load64Zero(0), op.f64x2PromoteLowF32x4) : op.v128Load(0, 0);
  const scalarLoad = f64 ? op.f64Load() : wide ? seq(op.f32Load(), op.f64PromoteF32) : op.f32Load();
  // p walks one column group down the rows: p = src + j, then += stride (bytes per row).
  const down = (body: Code): Code =>
    seq(
      f.g('src'), f.g('j'), op.i32Add, f.s('p'),
      forLoop(f.idx('r'), op.i32(0), f.g('rows'), op.i32(1), seq(body, f.g('p'), f.g('stride'), op.i32Add, f.s('p'))),
    );
  const storeLane = (k: number): Code =>
    seq(
      f.g('dst'), f.g('j'), op.i32Add,
      f.g('a'), wide ? op.f64x2Extract(k) : op.f32x4Extract(k), wide && !f64 ? op.f32DemoteF64 : [],
      f64 ? op.f64Store(k * es) : op.f32Store(k * es),
    );
  const lanesStore: Code[] = [];
  for (let k = 0; k < laneCount; k++) lanesStore.push(storeLane(k));
  const vectorGroups = forLoop(
    f.idx('j'), op.i32(0), f.g('full'), op.i32(laneCount * es),
    seq(
      wide ? op.f64x2Const(init) : op.f32x4Const(init), f.s('a'),
      down(seq(f.g('a'), f.g('p'), load, vop, f.s('a'))),
      lanesStore,
    ),
  );
  const tailColumns = forLoop(
    f.idx('j'), f.g('full'), f.g('end'), op.i32(es),
    seq(
      wide ? op.f64(init) : op.f32(init), f.s('s'),
      down(seq(f.g('s'), f.g('p'), scalarLoad, sop, f.s('s'))),
      f.g('dst'), f.g('j'), op.i32Add, f.g('s'), wide && !f64 ? op.f32DemoteF64 : [], f64 ? op.f64Store() : op.f32Store(),
    ),
  );
  return f.build(
    seq(
      f.g('n'), op.i32(es), op.i32Mul, op.tee(f.idx('end')), f.s('stride'),
      f.g('n'), op.i32(-laneCount), op.i32And, op.i32(es), op.i32Mul, f.s('full'),
      vectorGroups,
      tailColumns,
    ),
  );
}

/**
 * red_<op>_<f32|f64>(src, rows, n, dst): dst[r] = op over src[r n .. r n + n); redc_*: the same
 * over the rows of each column.
 */
export function reduceFunctions(): FuncDef[] {
  const out: FuncDef[] = [];
  for (const f64 of [false, true]) {
    for (const o of REDUCE_OPS) out.push(kernel({ op: o, f64 }), columnKernel({ op: o, f64 }));
  }
  return out;
}
