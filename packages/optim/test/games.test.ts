import { describe, expect, it } from 'vitest';
import { matmul, mul, sum, tensor, type Tensor } from '@difflab/tensor';
import * as optim from '../src/index.js';

const f64 = (x: number[] | number[][]) => tensor(x, { dtype: 'float64' });
const A = f64([
  [1, 2],
  [-1, 0.5],
]);
// Bilinear saddle min_x max_y xᵀAy: unique equilibrium at the origin.
const bilinear = (p: { x: Tensor; y: Tensor }) => sum(mul(p.x, matmul(A, p.y)));
const radius = (p: { x: Tensor; y: Tensor }) => Math.hypot(...p.x.dataSync(), ...p.y.dataSync());

function play(opt: optim.Optimizer, steps: number) {
  let params = { x: f64([1, -0.5]), y: f64([0.5, 1]) };
  let state = opt.init(params);
  for (let i = 0; i < steps; i++) ({ params, state } = opt.step(bilinear, params, state));
  return radius(params);
}

describe('games: bilinear saddle', () => {
  const ascent = optim.pathMask(/^y$/);
  const r0 = Math.hypot(1, -0.5, 0.5, 1);

  it('simultaneous GDA spirals outwards', () => {
    expect(play(optim.gda({ lr: 0.25, ascent }), 300)).toBeGreaterThan(100 * r0);
  });

  it('extragradient converges to the equilibrium', () => {
    expect(play(optim.extragradient({ lr: 0.25, ascent }), 300)).toBeLessThan(1e-3);
  });

  it('optimistic gradient (OGDA) converges to the equilibrium', () => {
    expect(play(optim.ogda({ lr: 0.2, ascent }), 400)).toBeLessThan(1e-3);
  });

  it('OGDA is x_{t+1} = x_t − 2η g_t + η g_{t−1}', () => {
    const loss = (p: { x: Tensor }) => sum(mul(mul(p.x, p.x), p.x));
    const opt = optim.ogda({ lr: 0.1 });
    let params = { x: f64([1]) };
    let state = opt.init(params);
    let x = 1;
    let prevG = 0;
    for (let i = 0; i < 5; i++) {
      ({ params, state } = opt.step(loss, params, state));
      const gx = 3 * x * x;
      x = x - 2 * 0.1 * gx + 0.1 * prevG;
      prevG = gx;
      expect(params.x.item()).toBeCloseTo(x, 13);
    }
  });

  it('optimistic multiplicative weights reach the mixed equilibrium of matching pennies; plain MWU does not', () => {
    const P = f64([
      [1, -1],
      [-1, 1],
    ]);
    const game = (p: { x: Tensor; y: Tensor }) => sum(mul(p.x, matmul(P, p.y)));
    const run = (hint: 'last' | 'none') => {
      const opt = optim.optimisticOMD({ lr: 0.1, mirror: 'entropy', ascent: optim.pathMask(/^y$/), hint });
      let params = { x: f64([0.8, 0.2]), y: f64([0.3, 0.7]) };
      let state = opt.init(params);
      for (let i = 0; i < 1500; i++) ({ params, state } = opt.step(game, params, state));
      expect(sum(params.x).item()).toBeCloseTo(1, 12);
      return Math.abs(params.x.dataSync()[0]! - 0.5) + Math.abs(params.y.dataSync()[0]! - 0.5);
    };
    expect(run('last')).toBeLessThan(1e-3);
    expect(run('none')).toBeGreaterThan(0.2);
  });

  it('adaptive step sizes and validation', () => {
    const opt = optim.optimisticOMD({ lr: 'adaptive', diameter: 2, ascent });
    let params = { x: f64([1, -0.5]), y: f64([0.5, 1]) };
    let state = opt.init(params);
    for (let i = 0; i < 3; i++) ({ params, state } = opt.step(bilinear, params, state));
    expect(state.variation).toBeGreaterThan(0);
    expect(() => optim.optimisticOMD({ lr: 0.1, mirror: 'l1' as any })).toThrow(/optimisticOMD: mirror/);
    expect(() => optim.extragradient({ lr: -1 })).toThrow(/extragradient: lr/);
    const eg = optim.extragradient({ lr: 0.1 });
    expect(() => eg.update({ x: f64([1]) }, eg.init({ x: f64([1]) }), { x: f64([1]) })).toThrow(/extragradient: needs the loss function/);
  });
});
