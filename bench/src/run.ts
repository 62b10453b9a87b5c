/**
 * Side-by-side CPU benchmark: @difflab/tensor vs TensorFlow.js (cpu, wasm) and jax-js (wasm),
 * all in this one Node process. Every library first computes each workload once and its result is
 * compared with difflab's; then rounds of warmed-up, batched samples are taken, rotating the
 * library order each round so background load spreads evenly. Reported: pooled medians.
 *
 *   node --expose-gc dist/run.js [--rounds 3] [--samples 5] [--only matmul,chain,mlp] [--libs difflab,tfjs-cpu,...] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { gpData, mlpData, pgdData, uniform } from './data.js';
import { checksum, defaultTiming, median, relError, relMad, sample, type TimingOptions } from './harness.js';
import { difflab, difflab1t, difflabTs } from './libs/difflab.js';
import { jaxWasm, jaxWasmJit } from './libs/jaxjs.js';
import { tfjsCpu, tfjsWasm } from './libs/tfjs.js';
import type { Case, Library } from './libs/types.js';

interface Workload {
  id: string;
  group: string;
  title: string;
  /** Allowed max |x - ref| / max |ref| against difflab's result. */
  tol: number;
  /** Error measure for the agreement check (default: max abs error / max abs reference). */
  err?: (ref: Float32Array, got: Float32Array) => number;
  /** Null when the library has no same-workload version. */
  make(lib: Library): Case | null;
}

const LIBS: Record<string, Library> = {
  difflab,
  'difflab-1t': difflab1t,
  'difflab-ts': difflabTs,
  'tfjs-cpu': tfjsCpu,
  'tfjs-wasm': tfjsWasm,
  'jax-wasm': jaxWasm,
  'jax-wasm-jit': jaxWasmJit,
};

function workloads(): Workload[] {
  const ws: Workload[] = [];
  for (const n of [256, 512, 1024]) {
    const a = uniform(n * n, 1000 + n);
    const b = uniform(n * n, 2000 + n);
    ws.push({
      id: `matmul-${n}`,
      group: 'matmul',
      title: `matmul ${n}x${n} @ ${n}x${n} float32`,
      tol: 1e-5,
      make: (l) => l.matmul(n, a, b),
    });
  }
  const shape = [1000, 1000] as const;
  const x = uniform(shape[0] * shape[1], 31);
  const y = uniform(shape[0] * shape[1], 32);
  ws.push({
    id: 'chain-1e6',
    group: 'chain',
    title: 'elementwise chain sigmoid(tanh(x*y + 0.5) - y) * x, 1e6 float32',
    tol: 1e-5,
    make: (l) => l.chain(shape, x, y),
  });
  const d = mlpData([64, 128, 128, 10], 256, 0.1);
  ws.push({
    id: 'mlp-step',
    group: 'mlp',
    title: 'MLP 64-128-128-10 (ReLU), batch 256: forward + softmax CE + backward + SGD',
    tol: 1e-4,
    make: (l) => l.mlp(d),
  });
  const p = pgdData();
  ws.push({
    id: 'pgd-20',
    group: 'pgd',
    title: 'PGD-20 (L-inf eps 0.1) on a digits-shaped MLP 64-64-10, batch 450: 20 x (forward + input gradient + step)',
    // A sign step flips where a gradient entry is ~0 and rounding differs, and a flipped pixel can
    // end up at the other side of the eps-ball, so the check is the fraction of pixels that differ
    // by more than alpha / 2 (max-error would fail on a single pixel).
    tol: 0.02,
    err: (ref, got) => {
      if (ref.length !== got.length) return Infinity;
      let off = 0;
      for (let i = 0; i < ref.length; i++) if (!(Math.abs(ref[i]! - got[i]!) <= p.alpha / 2)) off++;
      return off / ref.length;
    },
    make: (l) => l.pgd?.(p) ?? null,
  });
  const g = gpData();
  ws.push({
    id: 'gp-lml-grad',
    group: 'gp',
    title: 'GP negative log marginal likelihood + gradient (RBF, n=500, d=3, float64; Cholesky + triangular solve)',
    tol: 1e-5,
    make: (l) => l.gp?.(g) ?? null,
  });
  return ws;
}

function parseArgs(argv: string[]) {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (name: string) =>
    get(name)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    rounds: Number(get('rounds') ?? 3),
    samples: Number(get('samples') ?? defaultTiming.samples),
    only: list('only'),
    libs: list('libs') ?? Object.keys(LIBS),
    json: get('json'),
  };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const libIds = args.libs.filter((id) => {
    if (!LIBS[id]) throw new Error(`unknown library '${id}'; choose from ${Object.keys(LIBS).join(', ')}`);
    return true;
  });
  if (!libIds.includes('difflab')) libIds.unshift('difflab');
  const all = workloads().filter((w) => !args.only || args.only.some((o) => w.id === o || w.group === o));
  const timing: TimingOptions = { ...defaultTiming, samples: args.samples };

  for (const id of libIds) await LIBS[id]!.init();
  await tfjsWasm.init();
  const wasmFlags = `simd=${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads=${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}`;
  console.log(
    `node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} x${os.cpus().length}, tfjs ${tf.version.tfjs} (wasm: ${wasmFlags})`,
  );
  console.log(`rounds=${args.rounds} samples/round=${timing.samples} minSampleMs=${timing.minSampleMs}\n`);

  // 1. Agreement check: one run per library, compared with difflab.
  const bad = new Set<string>();
  for (const w of all) {
    let ref: Float32Array | null = null;
    for (const id of libIds) {
      const lib = LIBS[id]!;
      await lib.init();
      const c = w.make(lib);
      if (!c) continue;
      await c.run();
      const out = await c.check();
      c.dispose();
      if (id === 'difflab') ref = out;
      const err = (w.err ?? relError)(ref!, out);
      const ok = err <= w.tol;
      if (!ok) bad.add(`${w.id}/${id}`);
      console.log(
        `check ${w.id.padEnd(11)} ${lib.label.padEnd(16)} checksum=${checksum(out).toPrecision(8).padStart(14)} relErr=${err.toExponential(1)} ${ok ? 'ok' : 'MISMATCH'}`,
      );
    }
  }
  console.log('');

  // 2. Timing rounds; the library order rotates every round.
  const times = new Map<string, number[]>();
  const roundMedians = new Map<string, number[]>();
  for (let r = 0; r < args.rounds; r++) {
    for (const w of all) {
      for (let k = 0; k < libIds.length; k++) {
        const id = libIds[(k + r) % libIds.length]!;
        if (bad.has(`${w.id}/${id}`)) continue;
        const lib = LIBS[id]!;
        await lib.init();
        gc();
        const c = w.make(lib);
        if (!c) continue;
        const ts = await sample(c, timing);
        c.dispose();
        const key = `${w.id}/${id}`;
        times.set(key, [...(times.get(key) ?? []), ...ts]);
        roundMedians.set(key, [...(roundMedians.get(key) ?? []), median(ts)]);
        console.log(`round ${r + 1} ${w.id.padEnd(11)} ${lib.label.padEnd(16)} ${fmtMs(median(ts)).padStart(8)} ms`);
      }
    }
  }

  // 3. Report.
  const lines: string[] = [];
  lines.push(`| workload | library | median ms | per-round medians ms | noise (MAD) | time / difflab |`);
  lines.push(`| --- | --- | ---: | ---: | ---: | ---: |`);
  const verdicts: string[] = [];
  for (const w of all) {
    const base = median(times.get(`${w.id}/difflab`) ?? [NaN]);
    for (const id of libIds) {
      const ts = times.get(`${w.id}/${id}`);
      const label = LIBS[id]!.label;
      if (!ts) {
        if (bad.has(`${w.id}/${id}`)) lines.push(`| ${w.id} | ${label} | result mismatch | | | |`);
        continue;
      }
      const m = median(ts);
      const rounds = (roundMedians.get(`${w.id}/${id}`) ?? []).map(fmtMs).join(' / ');
      lines.push(
        `| ${w.id} | ${label} | ${fmtMs(m)} | ${rounds} | ${(100 * relMad(ts)).toFixed(1)}% | ${(m / base).toFixed(2)}x |`,
      );
    }
    for (const [peer, target] of [
      ['tfjs-wasm', w.id === 'matmul-1024' || w.id === 'mlp-step' ? 1.0 : null],
      ['jax-wasm', w.id === 'matmul-1024' ? 1.3 : null],
    ] as const) {
      const theirs = times.get(`${w.id}/${peer}`);
      if (!theirs) continue;
      const ratio = median(theirs) / base;
      const one = times.get(`${w.id}/difflab-1t`);
      const ratio1 = one ? ` (1 thread: ${(median(theirs) / median(one)).toFixed(2)}x)` : '';
      const goal = target === null ? '' : `; target >= ${target.toFixed(1)}x: ${ratio >= target ? 'met' : 'MISSED'}`;
      verdicts.push(`${w.id}: ${LIBS[peer]!.label} time / difflab time = ${ratio.toFixed(2)}x${ratio1}${goal}`);
    }
    const cpu = times.get(`${w.id}/tfjs-cpu`);
    if (cpu) {
      const speedup = median(cpu) / base;
      // Same-round ratios pair measurements taken close together, under similar background load.
      const mine = roundMedians.get(`${w.id}/difflab`) ?? [];
      const theirs = roundMedians.get(`${w.id}/tfjs-cpu`) ?? [];
      const perRound = theirs.map((t, r) => (t / mine[r]!).toFixed(2)).join(' / ');
      verdicts.push(
        `${w.id}: difflab is ${speedup.toFixed(2)}x faster than tfjs cpu (per round: ${perRound}; target >= 3x: ${speedup >= 3 ? 'met' : 'MISSED'})`,
      );
    }
  }
  console.log('\n' + all.map((w) => `- ${w.id}: ${w.title}`).join('\n') + '\n');
  console.log(lines.join('\n'));
  console.log('\n' + verdicts.join('\n'));
  if (args.json) {
    const raw = Object.fromEntries(
      [...times].map(([k, ts]) => [k, { median: median(ts), rounds: roundMedians.get(k), samples: ts }]),
    );
    writeFileSync(
      args.json,
      JSON.stringify(
        { node: process.version, cpu: os.cpus()[0]?.model, date: new Date().toISOString(), args, results: raw },
        null,
        2,
      ),
    );
  }
  if (bad.size) {
    console.error(`\nresult mismatches: ${[...bad].join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
