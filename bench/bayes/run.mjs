#!/usr/bin/env node
// Bayesian-optimization benchmark for @difflab/bayes (issue 6).
//
//   pnpm --filter "@difflab/bayes..." build && node bench/bayes/run.mjs [--seeds 10] [--only regret|timing] [--json out.json]
//
// 1. Simple regret f(best) − f* after the budget, median over seeds, for bayesOpt with its
//    defaults (scrambled-Sobol design of 2(d+1) points, Matérn-5/2 ARD GP, log-EI) and for uniform
//    random search with the same budget: Branin (budget 30) and Hartmann-6 (budget 60).
// 2. Wall time of one BO step, `fit + propose`, at n = 100, 500, 1000 observations in d = 6
//    (Hartmann-6 values at Sobol points), with the loop's default fit and optimizer settings.
//
// It imports the built packages (dist/), so build them first (command above).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import {
  bayesOpt,
  branin,
  hartmann6,
  fitGP,
  defaultBOKernel,
  logExpectedImprovement,
  optimizeAcquisition,
  sobol,
} from '../../packages/bayes/dist/index.js';
import { createRng } from '../../packages/optim/dist/index.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const seeds = Number(opt('seeds', 10));
const only = opt('only', 'all');
const jsonPath = opt('json', null);

const quantile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (h - lo);
};
const fmt = (v) => (v < 1e-3 ? v.toExponential(2) : v.toPrecision(3));

function randomSearch(f, budget, seed) {
  const rng = createRng(seed, 0xbe7c);
  let best = Infinity;
  for (let i = 0; i < budget; i++) best = Math.min(best, f(f.bounds.map(([lo, hi]) => lo + (hi - lo) * rng.uniform())));
  return best - f.optimum.value;
}

const out = {
  machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}`,
  regret: [],
  timing: [],
};
console.log(`# @difflab/bayes BO benchmark — ${out.machine}`);

if (only === 'all' || only === 'regret') {
  console.log('\n| problem | budget | method | median regret | 25% | 75% | max | s / run |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [f, budget] of [
    [branin, 30],
    [hartmann6, 60],
  ]) {
    const bo = [];
    const times = [];
    for (let s = 0; s < seeds; s++) {
      const t0 = performance.now();
      const r = await bayesOpt({ objective: f, bounds: f.bounds, budget, seed: s });
      times.push((performance.now() - t0) / 1000);
      bo.push(r.best.y - f.optimum.value);
      process.stderr.write(`${f.name} seed ${s}: regret ${fmt(bo.at(-1))} (${times.at(-1).toFixed(1)} s)\n`);
    }
    const rs = Array.from({ length: seeds }, (_, s) => randomSearch(f, budget, s));
    for (const [method, vals, t] of [
      ['bayesOpt (log-EI)', bo, quantile(times, 0.5)],
      ['random search', rs, 0],
    ]) {
      console.log(
        `| ${f.name} | ${budget} | ${method} | ${fmt(quantile(vals, 0.5))} | ${fmt(quantile(vals, 0.25))} | ${fmt(quantile(vals, 0.75))} | ${fmt(Math.max(...vals))} | ${t ? t.toFixed(1) : '—'} |`,
      );
      out.regret.push({
        problem: f.name,
        budget,
        method,
        regrets: vals,
        median: quantile(vals, 0.5),
        secondsPerRun: t,
      });
    }
  }
}

if (only === 'all' || only === 'timing') {
  // Wall and CPU time (the CPU column is what to compare on a shared machine). "refit" is what the
  // loop does every round: a warm-started fit on one more point, plus one random restart.
  console.log(
    '\n| n | d | cold fit: ms (CPU ms, evals) | loop refit: ms (CPU ms, evals) | propose: ms (CPU ms) | refit + propose (ms) |',
  );
  console.log('|---|---|---|---|---|---|');
  const cpuMs = (c) => (c.user + c.system) / 1000;
  for (const n of [100, 500, 1000]) {
    const d = 6;
    const X = sobol(n + 1, d, { seed: 1 });
    const y = X.map((x) => -hartmann6(x));
    const fitOpts = {
      kernel: defaultBOKernel(d),
      noise: { value: 1e-4, bounds: [1e-6, 1] },
      restarts: 1,
      maxIter: 100,
      seed: 1,
    };
    let t = performance.now();
    let c = process.cpuUsage();
    const cold = fitGP(X.slice(0, n), y.slice(0, n), fitOpts);
    const coldMs = performance.now() - t;
    const coldCpu = cpuMs(process.cpuUsage(c));
    t = performance.now();
    c = process.cpuUsage();
    const gp = fitGP(X, y, { ...fitOpts, warmStart: cold.hyperparameters, seed: 2 });
    const refitMs = performance.now() - t;
    const refitCpu = cpuMs(process.cpuUsage(c));
    t = performance.now();
    c = process.cpuUsage();
    const r = optimizeAcquisition(logExpectedImprovement(gp), {
      bounds: Array.from({ length: d }, () => [0, 1]),
      seed: 1,
    });
    const propMs = performance.now() - t;
    const propCpu = cpuMs(process.cpuUsage(c));
    console.log(
      `| ${n} | ${d} | ${coldMs.toFixed(0)} (${coldCpu.toFixed(0)}, ${cold.fitReport?.evaluations}) | ${refitMs.toFixed(0)} (${refitCpu.toFixed(0)}, ${gp.fitReport?.evaluations}) | ${propMs.toFixed(0)} (${propCpu.toFixed(0)}) | ${(refitMs + propMs).toFixed(0)} |`,
    );
    out.timing.push({
      n,
      d,
      coldFitMs: coldMs,
      coldFitCpuMs: coldCpu,
      coldEvaluations: cold.fitReport?.evaluations,
      refitMs,
      refitCpuMs: refitCpu,
      refitEvaluations: gp.fitReport?.evaluations,
      proposeMs: propMs,
      proposeCpuMs: propCpu,
      value: r.value,
    });
  }
}

if (jsonPath) writeFileSync(jsonPath, JSON.stringify(out, null, 2));
