import { F32, F64, I32, V128, forLoop, op, seq, type Code, type FuncDef, type ValType } from './emit.js';
import { Fn } from './fn.js';

/*
 * Packed GEMM (GotoBLAS layout) in 128-bit SIMD. Per dtype:
 *   gemm_<t>(A, am, ak, B, bk, bn, C, m, k, n, jBegin, jEnd, packA, packB, tile)
 * writes C[:, jBegin:jEnd] = A @ B[:, jBegin:jEnd] for one matrix pair; A and B are byte
 * pointers with element strides (any sign, so transposed operands cost nothing extra), C is dense
 * row-major with n columns. Threads call it on disjoint column ranges, so every output element
 * is the same sequence of float operations whatever the thread count: results are bitwise
 * identical for 1 or N threads.
 *
 * The micro-kernel keeps an MR x NR tile of C in v128 registers: per k step it loads NR/lanes
 * vectors of packed B, and for each of the MR rows broadcasts one A value (load-splat) and does a
 * multiply and an add per vector (no FMA: relaxed SIMD is not in Node 20's V8).
 *
 * Tile sizes were measured (CPU time, so other load on the machine does not distort them) on the
 * 2-core EPYC VM, 256..1024 square: f32 5x8 (10 accumulators) ran at 40-44 GFLOP/s where 6x8 and
 * 4x12 (12 accumulators, on paper the better register use) ran at 26-28 — V8's register
 * allocator spills once accumulators, B vectors and the broadcast approach all 16 xmm registers;
 * 4x8 gave 38-42, 2x16 39-44, 3x12 37-39. f64: 4x4 19-21 GFLOP/s, 6x4 13, 5x4 19, 2x8 20-21.
 * Unrolling k (ku 2 or 4) dropped f32 to 24 GFLOP/s and f64 to 14, again from spills.
 * Block sizes mattered far less (within ~5% over kc 128..384, mc 40..120, nc 256..1024).
 */

export interface GemmDtype {
  name: 'f32' | 'f64';
  /** Bytes per element. */
  es: number;
  /** Micro-tile rows and columns (NR a multiple of the lane count). */
  mr: number;
  nr: number;
  /** Cache blocks: KC x NR panel of B stays in L1, MC x KC block of A in L2. */
  kc: number;
  mc: number;
  nc: number;
  /** k steps per micro-kernel loop iteration (unrolling). */
  ku: number;
}

export const GEMM_F32: GemmDtype = { name: 'f32', es: 4, mr: 5, nr: 8, kc: 256, mc: 120, nc: 512, ku: 1 };
export const GEMM_F64: GemmDtype = { name: 'f64', es: 8, mr: 4, nr: 4, kc: 256, mc: 48, nc: 256, ku: 1 };

/** Scratch bytes one thread needs for packing and the edge tile. */
export function gemmScratchBytes(d: GemmDtype): number {
  const packA = Math.ceil(d.mc / d.mr) * d.mr * d.kc * d.es;
  const packB = Math.ceil(d.nc / d.nr) * d.nr * d.kc * d.es;
  return packA + packB + d.mr * d.nr * d.es + 64;
}

function scalar(d: GemmDtype) {
  return d.es === 4
    ? { load: op.f32Load(), store: op.f32Store(), zero: op.f32(0), add: op.f32Add, t: F32 as ValType }
    : { load: op.f64Load(), store: op.f64Store(), zero: op.f64(0), add: op.f64Add, t: F64 as ValType };
}

function vector(d: GemmDtype) {
  return d.es === 4
    ? { splatLoad: op.v128Load32Splat, add: op.f32x4Add, mul: op.f32x4Mul, zero: seq(op.f32(0), op.f32x4Splat) }
    : { splatLoad: op.v128Load64Splat, add: op.f64x2Add, mul: op.f64x2Mul, zero: seq(op.f64(0), op.f64x2Splat) };
}

/** min(a, b) of two i32 expressions. */
function min(a: Code, b: Code): Code {
  return seq(a, b, a, b, op.i32LtS, op.select);
}

/** base + i * es as an i32 expression. */
function at(base: Code, i: Code, es: number): Code {
  return seq(base, i, op.i32(es), op.i32Mul, op.i32Add);
}

/** micro_<t>(pa, pb, kc, c, ldcBytes, first, h, w, tile) */
function micro(d: GemmDtype): FuncDef {
  const f = new Fn(`micro_${d.name}`, [
    ['pa', I32], ['pb', I32], ['kc', I32], ['c', I32], ['ldc', I32], ['first', I32], ['h', I32], ['w', I32], ['tile', I32],
  ]);
  const v = vector(d);
  const s = scalar(d);
  const nv = (d.nr * d.es) / 16;
  const acc = (i: number, j: number) => `acc${i}_${j}`;
  for (let i = 0; i < d.mr; i++) for (let j = 0; j < nv; j++) f.local(acc(i, j), V128);
  for (let j = 0; j < nv; j++) f.local(`b${j}`, V128);
  f.local('a', V128);
  f.local('row', I32);
  f.local('ii', I32);
  f.local('jj', I32);
  f.local('o', I32);

  const init: Code[] = [];
  for (let i = 0; i < d.mr; i++) for (let j = 0; j < nv; j++) init.push(seq(v.zero, f.s(acc(i, j))));

  // One k step at a constant offset `u` steps ahead of pa/pb (unrolled copies differ only there).
  const step = (u: number): Code[] => {
    const out: Code[] = [];
    for (let j = 0; j < nv; j++) out.push(seq(f.g('pb'), op.v128Load(u * d.nr * d.es + j * 16), f.s(`b${j}`)));
    for (let i = 0; i < d.mr; i++) {
      out.push(seq(f.g('pa'), v.splatLoad(u * d.mr * d.es + i * d.es), f.s('a')));
      for (let j = 0; j < nv; j++) {
        out.push(seq(f.g(acc(i, j)), f.g('a'), f.g(`b${j}`), v.mul, v.add, f.s(acc(i, j))));
      }
    }
    return out;
  };
  const advance = (u: number): Code =>
    seq(
      f.g('pa'), op.i32(u * d.mr * d.es), op.i32Add, f.s('pa'),
      f.g('pb'), op.i32(u * d.nr * d.es), op.i32Add, f.s('pb'),
      f.g('kc'), op.i32(u), op.i32Sub, f.s('kc'),
    );
  const ku = d.ku;
  const unrolled: Code[] = [];
  for (let u = 0; u < ku; u++) unrolled.push(...step(u));
  // while (kc >= ku) { ku steps }  then  while (kc > 0) { 1 step }
  const kloop = seq(
    op.block(
      seq(
        f.g('kc'), op.i32(ku), op.i32LtS, op.brIf(0),
        op.loop(seq(unrolled, advance(ku), f.g('kc'), op.i32(ku), op.i32GeS, op.brIf(0))),
      ),
    ),
    ku > 1
      ? op.block(
          seq(
            f.g('kc'), op.i32Eqz, op.brIf(0),
            op.loop(seq(step(0), advance(1), f.g('kc'), op.brIf(0))),
          ),
        )
      : [],
  );

  // Full tile: write (first K block) or accumulate straight into C, one vector at a time.
  const fullFirst: Code[] = [];
  const fullAcc: Code[] = [];
  for (let i = 0; i < d.mr; i++) {
    for (let j = 0; j < nv; j++) {
      fullFirst.push(seq(f.g('row'), f.g(acc(i, j)), op.v128Store(j * 16, 0)));
      fullAcc.push(seq(f.g('row'), f.g('row'), op.v128Load(j * 16, 0), f.g(acc(i, j)), v.add, op.v128Store(j * 16, 0)));
    }
    const next = seq(f.g('row'), f.g('ldc'), op.i32Add, f.s('row'));
    fullFirst.push(next);
    fullAcc.push(next);
  }
  // Ragged edge: spill the tile, then copy (or add) only its valid h x w part.
  const spill: Code[] = [];
  for (let i = 0; i < d.mr; i++) {
    for (let j = 0; j < nv; j++) spill.push(seq(f.g('tile'), f.g(acc(i, j)), op.v128Store((i * nv + j) * 16, 0)));
  }
  // tile value + (first ? 0 : C[o]), with select so no typed if is needed.
  const edgeCopy = seq(
    spill,
    forLoop(
      f.idx('ii'), op.i32(0), f.g('h'), op.i32(1),
      forLoop(
        f.idx('jj'), op.i32(0), f.g('w'), op.i32(1),
        seq(
          f.g('c'), f.g('ii'), f.g('ldc'), op.i32Mul, op.i32Add, f.g('jj'), op.i32(d.es), op.i32Mul, op.i32Add, f.s('o'),
          f.g('o'),
          at(f.g('tile'), seq(f.g('ii'), op.i32(d.nr), op.i32Mul, f.g('jj'), op.i32Add), d.es),
          s.load,
          s.zero,
          f.g('o'), s.load,
          f.g('first'),
          op.select,
          s.add,
          s.store,
        ),
      ),
    ),
  );

  const body = seq(
    init,
    kloop,
    f.g('c'), f.s('row'),
    f.g('h'), op.i32(d.mr), op.i32Eq, f.g('w'), op.i32(d.nr), op.i32Eq, [0x71] /* i32.and */,
    op.if(seq(f.g('first'), op.if(seq(fullFirst), seq(fullAcc))), edgeCopy),
  );
  return f.build(body);
}

/** packB_<t>(src, bk, bn, kc, nc, dst): NR-column panels, k-major inside a panel, zero padded. */
function packB(d: GemmDtype): FuncDef {
  const f = new Fn(`packB_${d.name}`, [['src', I32], ['bk', I32], ['bn', I32], ['kc', I32], ['nc', I32], ['dst', I32]]);
  const s = scalar(d);
  for (const n of ['jr', 'w', 'p', 'jj', 'row']) f.local(n, I32);
  f.local('_v', s.t);
  const nv = (d.nr * d.es) / 16;
  const fast: Code[] = [];
  for (let j = 0; j < nv; j++) fast.push(seq(f.g('dst'), f.g('row'), op.v128Load(j * 16, 0), op.v128Store(j * 16, 0)));
  const panel = seq(
    min(op.i32(d.nr), seq(f.g('nc'), f.g('jr'), op.i32Sub)), f.s('w'),
    // row = src + jr * bn * es
    f.g('src'), f.g('jr'), f.g('bn'), op.i32Mul, op.i32(d.es), op.i32Mul, op.i32Add, f.s('row'),
    f.g('w'), op.i32(d.nr), op.i32Eq, f.g('bn'), op.i32(1), op.i32Eq, [0x71],
    op.if(
      forLoop(
        f.idx('p'), op.i32(0), f.g('kc'), op.i32(1),
        seq(
          fast,
          f.g('dst'), op.i32(d.nr * d.es), op.i32Add, f.s('dst'),
          f.g('row'), f.g('bk'), op.i32(d.es), op.i32Mul, op.i32Add, f.s('row'),
        ),
      ),
      forLoop(
        f.idx('p'), op.i32(0), f.g('kc'), op.i32(1),
        seq(
          forLoop(
            f.idx('jj'), op.i32(0), op.i32(d.nr), op.i32(1),
            seq(
              at(f.g('dst'), f.g('jj'), d.es),
              f.g('jj'), f.g('w'), op.i32LtS,
              op.if(
                seq(at(f.g('row'), seq(f.g('jj'), f.g('bn'), op.i32Mul), d.es), s.load, f.s('_v')),
                seq(s.zero, f.s('_v')),
              ),
              f.g('_v'),
              s.store,
            ),
          ),
          f.g('dst'), op.i32(d.nr * d.es), op.i32Add, f.s('dst'),
          f.g('row'), f.g('bk'), op.i32(d.es), op.i32Mul, op.i32Add, f.s('row'),
        ),
      ),
    ),
  );
  return f.build(forLoop(f.idx('jr'), op.i32(0), f.g('nc'), op.i32(d.nr), panel));
}

/** packA_<t>(src, am, ak, mc, kc, dst): MR-row panels, k-major inside a panel, zero padded. */
function packA(d: GemmDtype): FuncDef {
  const f = new Fn(`packA_${d.name}`, [['src', I32], ['am', I32], ['ak', I32], ['mc', I32], ['kc', I32], ['dst', I32]]);
  const s = scalar(d);
  for (const n of ['ir', 'ii', 'p', 'sp', 'dp']) f.local(n, I32);
  // Each (ir, ii) row: walk k with the source stride, write with stride MR.
  const row = seq(
    at(f.g('dst'), seq(f.g('ir'), f.g('kc'), op.i32Mul, f.g('ii'), op.i32Add), d.es), f.s('dp'),
    f.g('ir'), f.g('ii'), op.i32Add, f.g('mc'), op.i32LtS,
    op.if(
      seq(
        // sp = src + (ir + ii) * am * es
        f.g('src'), f.g('ir'), f.g('ii'), op.i32Add, f.g('am'), op.i32Mul, op.i32(d.es), op.i32Mul, op.i32Add, f.s('sp'),
        forLoop(
          f.idx('p'), op.i32(0), f.g('kc'), op.i32(1),
          seq(
            f.g('dp'), f.g('sp'), s.load, s.store,
            f.g('dp'), op.i32(d.mr * d.es), op.i32Add, f.s('dp'),
            f.g('sp'), f.g('ak'), op.i32(d.es), op.i32Mul, op.i32Add, f.s('sp'),
          ),
        ),
      ),
      forLoop(
        f.idx('p'), op.i32(0), f.g('kc'), op.i32(1),
        seq(f.g('dp'), s.zero, s.store, f.g('dp'), op.i32(d.mr * d.es), op.i32Add, f.s('dp')),
      ),
    ),
  );
  return f.build(
    forLoop(f.idx('ir'), op.i32(0), f.g('mc'), op.i32(d.mr), forLoop(f.idx('ii'), op.i32(0), op.i32(d.mr), op.i32(1), row)),
  );
}

/** The blocked driver; calls packA/packB/micro by function index. */
function gemm(d: GemmDtype, fnIndex: { micro: number; packA: number; packB: number }): FuncDef {
  const f = new Fn(`gemm_${d.name}`, [
    ['A', I32], ['am', I32], ['ak', I32], ['B', I32], ['bk', I32], ['bn', I32], ['C', I32],
    ['m', I32], ['k', I32], ['n', I32], ['jb', I32], ['je', I32], ['pa', I32], ['pb', I32], ['tile', I32],
  ]);
  for (const n of ['jc', 'nc', 'pc', 'kc', 'ic', 'mc', 'jr', 'ir']) f.local(n, I32);
  const es = d.es;
  const call = (i: number): Code => [0x10, i];
  const microCall = seq(
    at(f.g('pa'), seq(f.g('ir'), f.g('kc'), op.i32Mul), es),
    at(f.g('pb'), seq(f.g('jr'), f.g('kc'), op.i32Mul), es),
    f.g('kc'),
    // c = C + ((ic + ir) * n + jc + jr) * es
    at(
      f.g('C'),
      seq(f.g('ic'), f.g('ir'), op.i32Add, f.g('n'), op.i32Mul, f.g('jc'), op.i32Add, f.g('jr'), op.i32Add),
      es,
    ),
    f.g('n'), op.i32(es), op.i32Mul,
    f.g('pc'), op.i32Eqz,
    min(op.i32(d.mr), seq(f.g('mc'), f.g('ir'), op.i32Sub)),
    min(op.i32(d.nr), seq(f.g('nc'), f.g('jr'), op.i32Sub)),
    f.g('tile'),
    call(fnIndex.micro),
  );
  const body = forLoop(
    f.idx('jc'), f.g('jb'), f.g('je'), op.i32(d.nc),
    seq(
      min(op.i32(d.nc), seq(f.g('je'), f.g('jc'), op.i32Sub)), f.s('nc'),
      forLoop(
        f.idx('pc'), op.i32(0), f.g('k'), op.i32(d.kc),
        seq(
          min(op.i32(d.kc), seq(f.g('k'), f.g('pc'), op.i32Sub)), f.s('kc'),
          // packB(B + (pc * bk + jc * bn) * es, bk, bn, kc, nc, pb)
          at(f.g('B'), seq(f.g('pc'), f.g('bk'), op.i32Mul, f.g('jc'), f.g('bn'), op.i32Mul, op.i32Add), es),
          f.g('bk'), f.g('bn'), f.g('kc'), f.g('nc'), f.g('pb'),
          call(fnIndex.packB),
          forLoop(
            f.idx('ic'), op.i32(0), f.g('m'), op.i32(d.mc),
            seq(
              min(op.i32(d.mc), seq(f.g('m'), f.g('ic'), op.i32Sub)), f.s('mc'),
              at(f.g('A'), seq(f.g('ic'), f.g('am'), op.i32Mul, f.g('pc'), f.g('ak'), op.i32Mul, op.i32Add), es),
              f.g('am'), f.g('ak'), f.g('mc'), f.g('kc'), f.g('pa'),
              call(fnIndex.packA),
              forLoop(
                f.idx('jr'), op.i32(0), f.g('nc'), op.i32(d.nr),
                forLoop(f.idx('ir'), op.i32(0), f.g('mc'), op.i32(d.mr), microCall),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  return f.build(body);
}

/** The four functions of one dtype's GEMM, to be placed at indices base..base+3. */
export function gemmFunctions(d: GemmDtype, base: number): FuncDef[] {
  const idx = { micro: base, packA: base + 1, packB: base + 2 };
  return [micro(d), packA(d), packB(d), gemm(d, idx)];
}
