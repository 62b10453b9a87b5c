import { describe, expect, it } from 'vitest';
import { fromTypedArray, grad, tensor, type Tensor } from '@difflab/tensor';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import { invMills, logH, logNormCdf, normCdf } from '../src/index.js';
import {
  erfcx,
  logH as logHHost,
  logNormCdf as logNormCdfHost,
  normCdf as normCdfHost,
  normIcdf,
} from '../src/internal/special.js';
import { fixtures } from './helpers/fixtures.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe('normal-distribution special functions (host, float64)', () => {
  it('Φ and log Φ match SciPy from z = -1000 to 30', () => {
    for (const { z, value } of fixtures.ei.normCdf) {
      if (value === 0) expect(normCdfHost(z)).toBeLessThan(1e-300);
      else expect(rel(normCdfHost(z), value)).toBeLessThan(1e-13);
    }
    for (const { z, value } of fixtures.ei.logNormCdf)
      expect(Math.abs(logNormCdfHost(z) - value)).toBeLessThan(1e-13 * Math.max(1, Math.abs(value)));
  });

  it('log h(z) = log(φ(z) + zΦ(z)) matches 50-digit mpmath values, including z = -1000', () => {
    for (const { z, value } of fixtures.ei.logH)
      expect(Math.abs(logHHost(z) - value)).toBeLessThan(1e-12 * Math.max(1, Math.abs(value)));
  });

  it('erfcx is continuous across its branch points and Φ⁻¹ inverts Φ', () => {
    for (const x of [2, 0]) expect(rel(erfcx(x - 1e-12), erfcx(x + 1e-12))).toBeLessThan(1e-10);
    for (const p of [1e-300, 1e-20, 1e-5, 0.02, 0.3, 0.5, 0.9, 0.99999])
      expect(rel(normCdfHost(normIcdf(p)), p)).toBeLessThan(1e-12);
  });
});

describe('differentiable tensor versions', () => {
  const z = tensor([-50, -12, -3.2, -1, -0.3, 0, 0.8, 2.5, 7], { dtype: 'float64' });

  it('values agree with the host functions', () => {
    const zs = z.dataSync();
    const lh = logH(z).dataSync();
    const lc = logNormCdf(z).dataSync();
    zs.forEach((v, i) => {
      expect(lh[i]).toBe(logHHost(v));
      expect(lc[i]).toBe(logNormCdfHost(v));
    });
  });

  it('first derivatives match finite differences', () => {
    const zm = tensor([-30, -6, -1.5, -0.2, 0.4, 3], { dtype: 'float64' });
    for (const f of [normCdf, logNormCdf, invMills, logH])
      gradcheck(f as (x: Tensor) => Tensor, [zm], { rtol: 1e-6, atol: 1e-9 });
  });

  it('second derivative of log h matches finite differences of its gradient', () => {
    const d1 = grad((x: Tensor) => logH(x).sum());
    const d2 = grad((x: Tensor) => (d1(x) as Tensor).sum());
    for (const v of [-25, -4, -0.7, 1.3]) {
      const h = 1e-5 * Math.max(1, Math.abs(v));
      const at = (u: number) => (d1(fromTypedArray(Float64Array.of(u), [1], { dtype: 'float64' })) as Tensor).item();
      const fd = (at(v + h) - at(v - h)) / (2 * h);
      const exact = (d2(fromTypedArray(Float64Array.of(v), [1], { dtype: 'float64' })) as Tensor).item();
      expect(Math.abs(exact - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
  });

  it('log h stays finite with a finite gradient far in the tail, where log(EI) underflows', () => {
    const far = tensor([-1e3, -200], { dtype: 'float64' });
    const v = logH(far).dataSync();
    const g = (grad((x: Tensor) => logH(x).sum())(far) as Tensor).dataSync();
    expect(Array.from(v).every(Number.isFinite)).toBe(true);
    // d/dz log h(z) → -z - 2/z... ≈ |z| for z → -∞
    expect(g[0]).toBeCloseTo(1000, 0);
    expect(Math.log(Math.exp(v[0]!))).toBe(-Infinity);
  });
});
