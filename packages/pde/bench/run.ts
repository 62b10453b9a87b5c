// Acceptance runs of @difflab/pde (issue 7). From packages/pde:
//
//   npx tsx bench/run.ts burgers [collocation=4000 adam=3000 lr=2e-3 lbfgs=5000 depth=4 width=20 rad=1 levery=1000 seed=0]
//   npx tsx bench/run.ts poisson [collocation=1000 adam=1000 lbfgs=1000 seed=0]
//   npx tsx bench/run.ts inverse [data=1000 noise=0.01 collocation=1000 adam=1000 lbfgs=3000 seed=0]
//   npx tsx bench/run.ts fno     [train=200 test=50 nx=64 epochs=20 modes=16 width=32 seed=0]
//
// Each prints its progress and one final JSON line with the measured error, wall time, the
// options used and the machine load, for bench/RESULTS.md.
import os from 'node:os';
import { burgersForward } from './burgers-forward.js';
import { burgersInverse } from './burgers-inverse.js';
import { fnoBurgers } from './fno-burgers.js';
import { poissonSquare } from './poisson-square.js';

const [which, ...rest] = process.argv.slice(2);
const args = Object.fromEntries(rest.map((a) => a.split('=') as [string, string]));
const num = (k: string, d: number) => (args[k] === undefined ? d : Number(args[k]));
const seed = num('seed', 0);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const log = (info: Record<string, number | string>) =>
  console.log(
    Object.entries(info)
      .map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(4) : v}`)
      .join('  '),
  );

const loadBefore = load();
const started = new Date().toISOString();
let result: Record<string, unknown>;
switch (which) {
  case 'burgers': {
    const options = {
      collocation: num('collocation', 4000),
      adamSteps: num('adam', 3000),
      adamLr: num('lr', 2e-3),
      lbfgsIterations: num('lbfgs', 5000),
      depth: num('depth', 4),
      width: num('width', 20),
      seed,
      resampling: num('rad', 1)
        ? {
            method: 'rad' as const,
            every: 500,
            // levery=0: resample during Adam only, so L-BFGS ends on a fixed point set.
            lbfgsEvery: num('levery', 1000) || undefined,
            candidates: 20000,
            seed,
          }
        : undefined,
    };
    result = { options, ...(await burgersForward({ ...options, onProgress: log })) };
    break;
  }
  case 'poisson': {
    const options = {
      collocation: num('collocation', 1000),
      adamSteps: num('adam', 1000),
      lbfgsIterations: num('lbfgs', 1000),
      seed,
    };
    result = { options, ...(await poissonSquare(options)) };
    break;
  }
  case 'inverse': {
    const options = {
      data: num('data', 1000),
      noise: num('noise', 0.01),
      collocation: num('collocation', 1000),
      adamSteps: num('adam', 1000),
      lbfgsIterations: num('lbfgs', 3000),
      seed,
    };
    result = { options, ...(await burgersInverse({ ...options, onProgress: log })) };
    break;
  }
  case 'fno': {
    const options = {
      train: num('train', 200),
      test: num('test', 50),
      nx: num('nx', 64),
      epochs: num('epochs', 20),
      modes: num('modes', 16),
      width: num('width', 32),
      seed,
    };
    result = { options, ...(await fnoBurgers({ ...options, onProgress: log })) };
    break;
  }
  default:
    console.error('usage: npx tsx bench/run.ts burgers|poisson|inverse|fno [key=value …]');
    process.exit(2);
}
console.log(
  JSON.stringify({
    problem: which,
    started,
    ...result,
    loadavgBefore: loadBefore,
    loadavgAfter: load(),
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    node: process.version,
  }),
);
