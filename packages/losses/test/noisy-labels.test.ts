import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';
import { runNoisyLabels } from './helpers/noisy-labels.js';

// Reproduces the headline of the noise-robust loss papers (GCE, Zhang & Sabuncu 2018; APL, Ma et
// al. 2020) at toy scale: under 40% symmetric label noise, cross-entropy memorises the wrong labels
// while GCE and NCE+RCE keep a much better clean test accuracy. Numbers are in the README.
describe('40% symmetric label noise, 10 Gaussian classes, linear model, 3 seeds', () => {
  it('GCE and APL beat cross-entropy on clean test accuracy by a clear margin', () => {
    const seeds = [1, 2, 3];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const run = (f: Parameters<typeof runNoisyLabels>[0]) => seeds.map((s) => runNoisyLabels(f, s));
    const ce = run((z, y) => L.crossEntropy(z, y));
    const gce = run((z, y) => L.gce(z, y, { q: 0.7 }));
    const apl = run((z, y) => L.apl(z, y, { active: 'nce', passive: 'rce', alpha: 1, beta: 1 }));
    const acc = {
      ce: mean(ce.map((r) => r.testAccuracy)),
      gce: mean(gce.map((r) => r.testAccuracy)),
      apl: mean(apl.map((r) => r.testAccuracy)),
    };
    if (process.env.PRINT_NOISY) console.log(JSON.stringify({ acc, ce, gce, apl }));
    expect(acc.gce - acc.ce).toBeGreaterThan(0.15);
    expect(acc.apl - acc.ce).toBeGreaterThan(0.15);
    // Per seed as well, not only on average.
    seeds.forEach((_, i) => {
      expect(gce[i]!.testAccuracy).toBeGreaterThan(ce[i]!.testAccuracy + 0.1);
      expect(apl[i]!.testAccuracy).toBeGreaterThan(ce[i]!.testAccuracy + 0.1);
    });
    // Cross-entropy fits more of the noisy labels (memorisation), the robust losses fewer.
    expect(mean(ce.map((r) => r.fitNoisy))).toBeGreaterThan(mean(gce.map((r) => r.fitNoisy)));
  });
});
