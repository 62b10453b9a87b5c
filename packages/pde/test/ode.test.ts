import {
  Tensor,
  ValueError,
  ShapeError,
  add,
  grad,
  mul,
  neg,
  slice,
  square,
  stack,
  sub,
  sum,
  tensor,
} from '@difflab/tensor';
import { describe, expect, it } from 'vitest';
import { odeint, odeintAdjoint, solveIvp } from '../src/index.js';
import { gradcheck } from '../../tensor/test/helpers/gradcheck.js';
import ode from './fixtures/ode.json' with { type: 'json' };
import { host, maxAbsDiff, observedOrders } from './helpers.js';

type LvParams = { ab: Tensor; cd: Tensor };
const lotkaVolterra = (_t: number, y: Tensor, p: LvParams): Tensor => {
  const [x, z] = [slice(y, 0), slice(y, 1)];
  const a = slice(p.ab, 0);
  const b = slice(p.ab, 1);
  const c = slice(p.cd, 0);
  const d = slice(p.cd, 1);
  return stack([sub(mul(a, x), mul(mul(b, x), z)), add(mul(neg(c), z), mul(mul(d, x), z))]);
};
const lvParams = (): LvParams => ({
  ab: tensor([1.5, 1], { dtype: 'float64' }),
  cd: tensor([3, 1], { dtype: 'float64' }),
});
const vanDerPol = (_t: number, y: Tensor): Tensor => {
  const [x, v] = [slice(y, 0), slice(y, 1)];
  return stack([v, sub(mul(mul(sub(1, square(x)), v), 1), x)]);
};

describe('ODE integrators', () => {
  it('dopri5 matches scipy solve_ivp (DOP853 reference at rtol 1e-12)', () => {
    const lv = ode.lotkaVolterra;
    const r = solveIvp(lotkaVolterra, tensor(lv.y0, { dtype: 'float64' }), lv.t, {
      params: lvParams(),
      rtol: 1e-10,
      atol: 1e-12,
    });
    expect(r.y.shape).toEqual([11, 2]);
    expect(maxAbsDiff(host(r.y), lv.y.flat())).toBeLessThan(1e-8);
    const vdp = ode.vanDerPol;
    const v = odeint(vanDerPol, tensor(vdp.y0, { dtype: 'float64' }), vdp.t, { rtol: 1e-10, atol: 1e-12 });
    expect(maxAbsDiff(host(v), vdp.y.flat())).toBeLessThan(1e-8);
  });

  it('at loose tolerances it is as accurate and about as cheap as scipy RK45', () => {
    const lv = ode.lotkaVolterra;
    const r = solveIvp(lotkaVolterra, tensor(lv.y0, { dtype: 'float64' }), lv.t, {
      params: lvParams(),
      rtol: 1e-6,
      atol: 1e-9,
    });
    const ours = maxAbsDiff(host(r.y), lv.y.flat());
    const scipys = maxAbsDiff(lv.yRk45.flat(), lv.y.flat());
    expect(ours).toBeLessThan(5 * scipys + 1e-7);
    expect(r.stats.nfev).toBeLessThan(1.5 * lv.nfevRk45);
    expect(r.stats.nfev).toBeGreaterThan(0.5 * lv.nfevRk45);
  });

  it('fixed-step methods converge at their theoretical orders', () => {
    // Logistic growth y' = y (1 - y), y(0) = 0.1: y(3) = 1 / (1 + 9 e^{-3}).
    const f = (_t: number, y: Tensor) => mul(y, sub(1, y));
    const y0 = tensor([0.1], { dtype: 'float64' });
    const ref = 1 / (1 + 9 * Math.exp(-3));
    for (const [method, order] of [
      ['euler', 1],
      ['midpoint', 2],
      ['rk4', 4],
    ] as const) {
      const errs = [0.1, 0.05, 0.025, 0.0125].map((h) =>
        Math.abs(host(odeint(f, y0, [0, 3], { method, stepSize: h }))[1]! - ref),
      );
      const p = observedOrders(errs);
      for (const q of p) expect(Math.abs(q - order)).toBeLessThan(0.1);
    }
  });

  it('integrates backwards in time and over many output times', () => {
    const f = (_t: number, y: Tensor) => neg(y);
    const y = host(odeint(f, tensor([1], { dtype: 'float64' }), [1, 0.5, 0], { rtol: 1e-10, atol: 1e-12 }));
    expect(y[1]).toBeCloseTo(Math.exp(0.5), 8);
    expect(y[2]).toBeCloseTo(Math.exp(1), 8);
  });

  it('gradients: backprop through steps, adjoint and finite differences agree', () => {
    const lv = ode.lotkaVolterra;
    const ts = [0, 0.5, 1.0, 1.5];
    const y0 = tensor(lv.y0, { dtype: 'float64' });
    const loss = (adjoint: boolean) => (y: Tensor, ab: Tensor, cd: Tensor) => {
      const opts = { rtol: 1e-10, atol: 1e-12 };
      const traj = adjoint
        ? odeintAdjoint(lotkaVolterra, y, ts, { ab, cd }, opts)
        : odeint(lotkaVolterra, y, ts, { ...opts, params: { ab, cd } });
      return sum(mul(traj, traj));
    };
    const p = lvParams();
    const gDirect = grad(loss(false), { argnums: [0, 1, 2] })(y0, p.ab, p.cd) as Tensor[];
    const gAdj = grad(loss(true), { argnums: [0, 1, 2] })(y0, p.ab, p.cd) as Tensor[];
    gDirect.forEach((g, i) =>
      expect(maxAbsDiff(host(g), host(gAdj[i]!))).toBeLessThan(1e-6 * (1 + Math.max(...Array.from(host(g), Math.abs)))),
    );
    gradcheck(
      (y, ab, cd) => odeintAdjoint(lotkaVolterra, y, ts, { ab, cd }, { rtol: 1e-11, atol: 1e-13 }),
      [y0, p.ab, p.cd],
      { rtol: 1e-5, atol: 1e-6 },
    );
    gradcheck(
      (y) => odeint(vanDerPol, y, [0, 1], { method: 'rk4', stepSize: 0.05 }),
      [tensor([2, 0], { dtype: 'float64' })],
    );
    // Adjoint with fixed-step RK4 and no parameters.
    gradcheck(
      (y) => odeintAdjoint(vanDerPol, y, [0, 0.5, 1], undefined, { method: 'rk4', stepSize: 0.01 }),
      [tensor([2, 0], { dtype: 'float64' })],
      { rtol: 1e-4, atol: 1e-5 },
    );
  });

  it('rejects bad input', () => {
    const f = (_t: number, y: Tensor) => neg(y);
    const y0 = tensor([1], { dtype: 'float64' });
    expect(() => odeint(f, y0, [0, 1, 1])).toThrow(/strictly monotone/);
    expect(() => odeint(f, y0, [0, Number.NaN])).toThrow(/ts\[1\] must be a finite/);
    expect(() => odeint(f, y0, [0, 1], { method: 'rk9' as never })).toThrow(/unknown method/);
    expect(() => odeint(f, y0, [0, 1], { rtol: -1 })).toThrow(ValueError);
    expect(() => odeint(() => tensor([1, 2]), y0, [0, 1])).toThrow(ShapeError);
    expect(() => odeint((_t, y) => mul(y, y), y0, [0, 2], { maxSteps: 20 })).toThrow(/maxSteps|non-finite|underflow/);
    expect(() => odeint(f, tensor([1], { dtype: 'int32' }), [0, 1])).toThrow(/float32 or float64/);
  });
});
