import { LinAlgError, ValueError, tensor } from '@difflab/tensor';
import { describe, expect, it } from 'vitest';
import {
  CsrMatrix,
  burgersColeHopf,
  conjugateGradientSparse,
  gaussHermite,
  solveAdvection1d,
  solveBurgers1d,
  solveCyclicTridiagonal,
  solveHeat1d,
  solvePoisson2d,
  solveTridiagonal,
} from '../src/index.js';
import burgers from './fixtures/burgers.json' with { type: 'json' };
import poisson from './fixtures/poisson.json' with { type: 'json' };
import { host, lastRow, maxAbsDiff, observedOrders } from './helpers.js';

const PI = Math.PI;

describe('Gauss-Hermite and Cole-Hopf', () => {
  it('nodes and weights match numpy.polynomial.hermite.hermgauss', () => {
    for (const [n, ref] of Object.entries(burgers.hermite)) {
      const { nodes, weights } = gaussHermite(Number(n));
      ref.nodes.forEach((z, i) => expect(nodes[i]).toBeCloseTo(z, 12));
      ref.weights.forEach((w, i) =>
        expect(Math.abs(weights[i]! - w)).toBeLessThanOrEqual((w > 1e-100 ? 1e-13 : 1e-11) * w + 1e-300),
      );
    }
  });

  it('integrates polynomials exactly and Gaussians accurately', () => {
    const { nodes, weights } = gaussHermite(10);
    const q = (f: (x: number) => number) => nodes.reduce((s, x, i) => s + weights[i]! * f(x), 0);
    expect(q(() => 1)).toBeCloseTo(Math.sqrt(PI), 13);
    expect(q((x) => x ** 2)).toBeCloseTo(Math.sqrt(PI) / 2, 13);
    expect(q((x) => x ** 18)).toBeCloseTo((Math.sqrt(PI) * 34459425) / 512, 6);
    expect(q((x) => Math.cos(x))).toBeCloseTo(Math.sqrt(PI) * Math.exp(-0.25), 12);
  });

  it('Cole-Hopf solution agrees with adaptive quadrature (scipy.integrate.quad)', () => {
    for (const c of burgers.coleHopf) {
      const u = host(burgersColeHopf(c.points, { nu: c.nu }));
      c.u.forEach((v, i) => expect(Math.abs(u[i]! - v)).toBeLessThan(1e-12));
    }
  });

  it('Cole-Hopf solution satisfies the PDE (finite-difference residual) and the boundary conditions', () => {
    const nu = 0.1;
    const h = 1e-4;
    const pts = [
      [0.3, 0.4],
      [-0.6, 0.8],
    ];
    for (const [x, t] of pts) {
      const u = (a: number, b: number) => host(burgersColeHopf([[a, b]], { nu }))[0]!;
      const ut = (u(x!, t! + h) - u(x!, t! - h)) / (2 * h);
      const ux = (u(x! + h, t!) - u(x! - h, t!)) / (2 * h);
      const uxx = (u(x! + h, t!) - 2 * u(x!, t!) + u(x! - h, t!)) / (h * h);
      expect(Math.abs(ut + u(x!, t!) * ux - nu * uxx)).toBeLessThan(1e-5);
    }
    expect(
      Math.abs(
        host(
          burgersColeHopf([
            [1, 0.5],
            [-1, 0.7],
          ]),
        )[0]!,
      ),
    ).toBeLessThan(1e-12);
    expect(() => burgersColeHopf([[0, -1]])).toThrow(/time must be non-negative/);
    expect(() => burgersColeHopf([[0, 1]], { nu: 0 })).toThrow(ValueError);
  });
});

describe('tridiagonal solvers', () => {
  it('Thomas and cyclic Thomas solve their systems', () => {
    const n = 6;
    const lower = Float64Array.from({ length: n }, (_, i) => -1 - 0.1 * i);
    const diag = Float64Array.from({ length: n }, (_, i) => 4 + i);
    const upper = Float64Array.from({ length: n }, (_, i) => -0.5 + 0.05 * i);
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const mul = (cyclic: boolean) =>
      x.map((_, i) => {
        let s = diag[i]! * x[i]!;
        if (i > 0) s += lower[i]! * x[i - 1]!;
        else if (cyclic) s += lower[0]! * x[n - 1]!;
        if (i < n - 1) s += upper[i]! * x[i + 1]!;
        else if (cyclic) s += upper[n - 1]! * x[0]!;
        return s;
      });
    expect(maxAbsDiff(solveTridiagonal(lower, diag, upper, mul(false)), x)).toBeLessThan(1e-14);
    expect(maxAbsDiff(solveCyclicTridiagonal(lower, diag, upper, mul(true)), x)).toBeLessThan(1e-14);
  });
});

describe('heat equation', () => {
  const exact = (x: number, t: number, alpha: number) => Math.exp(-alpha * PI * PI * t) * Math.sin(PI * x);
  const err = (scheme: 'ftcs' | 'crank-nicolson' | 'backward-euler', nx: number, dt: number) => {
    const s = solveHeat1d({ alpha: 0.5, domain: [0, 1], nx, u0: (x) => Math.sin(PI * x), tEnd: 0.2, dt, scheme });
    const x = host(s.x);
    return maxAbsDiff(
      lastRow(s.u),
      x.map((xi) => exact(xi, 0.2, 0.5)),
    );
  };

  it('Crank-Nicolson converges at second order in dx and dt together', () => {
    const e = [16, 32, 64, 128].map((m) => err('crank-nicolson', m + 1, 0.4 / m));
    for (const p of observedOrders(e)) expect(p).toBeGreaterThan(1.9);
  });

  it('FTCS and backward Euler converge at second order in dx with dt ∝ dx²', () => {
    for (const scheme of ['ftcs', 'backward-euler'] as const) {
      const e = [10, 20, 40].map((m) => err(scheme, m + 1, 0.8 / (m * m)));
      for (const p of observedOrders(e)) expect(p).toBeGreaterThan(1.85);
    }
  });

  it('backward Euler is first order in time', () => {
    const e = [0.02, 0.01, 0.005].map((dt) => err('backward-euler', 401, dt));
    for (const p of observedOrders(e)) expect(p).toBeCloseTo(1, 0);
  });

  it('periodic boundaries, sources and time-dependent Dirichlet values', () => {
    const per = solveHeat1d({
      alpha: 0.1,
      domain: [0, 1],
      nx: 128,
      u0: (x) => Math.cos(2 * PI * x),
      tEnd: 0.5,
      dt: 1e-3,
      boundary: 'periodic',
    });
    const xp = host(per.x);
    expect(xp.length).toBe(128);
    expect(
      maxAbsDiff(
        lastRow(per.u),
        xp.map((x) => Math.exp(-0.1 * 4 * PI * PI * 0.5) * Math.cos(2 * PI * x)),
      ),
    ).toBeLessThan(1e-4);
    // Manufactured u = sin(πx) cos(t) + x t: u_t − α u_xx = −sin(πx) sin t + x + α π² sin(πx) cos t.
    const alpha = 0.3;
    const u = (x: number, t: number) => Math.sin(PI * x) * Math.cos(t) + x * t;
    const s = solveHeat1d({
      alpha,
      domain: [0, 1],
      nx: 81,
      u0: (x) => u(x, 0),
      tEnd: 1,
      dt: 0.0125,
      nt: 5,
      boundary: { left: 0, right: (t) => t },
      source: (x, t) => -Math.sin(PI * x) * Math.sin(t) + x + alpha * PI * PI * Math.sin(PI * x) * Math.cos(t),
    });
    expect(s.u.shape).toEqual([5, 81]);
    expect(host(s.t)).toEqual(Float64Array.from([0, 0.25, 0.5, 0.75, 1]));
    const x = host(s.x);
    expect(
      maxAbsDiff(
        lastRow(s.u),
        x.map((xi) => u(xi, 1)),
      ),
    ).toBeLessThan(2e-4);
  });

  it('rejects unstable or invalid settings', () => {
    expect(() =>
      solveHeat1d({ alpha: 1, domain: [0, 1], nx: 11, u0: () => 0, tEnd: 1, dt: 0.01, scheme: 'ftcs' }),
    ).toThrow(/unstable/);
    expect(() => solveHeat1d({ alpha: Number.NaN, domain: [0, 1], nx: 11, u0: () => 0, tEnd: 1, dt: 0.01 })).toThrow(
      /alpha must be a finite/,
    );
    expect(() => solveHeat1d({ alpha: 1, domain: [1, 1], nx: 11, u0: () => 0, tEnd: 1, dt: 0.01 })).toThrow(
      /empty domain/,
    );
    expect(() => solveHeat1d({ alpha: 1, domain: [0, 1], nx: 11, u0: [1, 2], tEnd: 1, dt: 0.01 })).toThrow(/11 points/);
    expect(() => solveHeat1d({ alpha: 1, domain: [0, 1], nx: 11, u0: () => Number.NaN, tEnd: 1, dt: 0.01 })).toThrow(
      /not finite/,
    );
    expect(() =>
      solveHeat1d({
        alpha: 1,
        domain: [0, 1],
        nx: 11,
        u0: () => 0,
        tEnd: 1,
        dt: 0.01,
        boundary: { left: Infinity, right: 0 },
      }),
    ).toThrow(ValueError);
  });
});

describe('advection', () => {
  const run = (scheme: 'upwind' | 'lax-wendroff', nx: number) => {
    const s = solveAdvection1d({
      c: 1.5,
      domain: [0, 1],
      nx,
      u0: (x) => Math.sin(2 * PI * x),
      tEnd: 1,
      dt: 0.5 / 1.5 / nx,
      scheme,
    });
    const x = host(s.x);
    return maxAbsDiff(
      lastRow(s.u),
      x.map((xi) => Math.sin(2 * PI * (xi - 1.5))),
    );
  };
  it('upwind is first order, Lax-Wendroff second order', () => {
    const up = observedOrders([200, 400, 800].map((n) => run('upwind', n)));
    const lw = observedOrders([25, 50, 100, 200].map((n) => run('lax-wendroff', n)));
    for (const p of up) expect(Math.abs(p - 1)).toBeLessThan(0.1);
    for (const p of lw) expect(p).toBeGreaterThan(1.9);
    const neg = solveAdvection1d({
      c: -1,
      domain: [0, 1],
      nx: 400,
      u0: (x) => Math.sin(2 * PI * x),
      tEnd: 0.25,
      dt: 0.002,
      scheme: 'upwind',
    });
    expect(
      maxAbsDiff(
        lastRow(neg.u),
        host(neg.x).map((x) => Math.sin(2 * PI * (x + 0.25))),
      ),
    ).toBeLessThan(0.05);
  });
  it('enforces the CFL condition', () => {
    expect(() => solveAdvection1d({ c: 2, domain: [0, 1], nx: 10, u0: () => 0, tEnd: 1, dt: 0.1 })).toThrow(/CFL/);
    expect(() => solveAdvection1d({ c: Infinity, domain: [0, 1], nx: 10, u0: () => 0, tEnd: 1, dt: 0.1 })).toThrow(
      ValueError,
    );
  });
});

describe('Burgers', () => {
  const nu = 0.1;
  const errAt = (nx: number, flux: 'central' | 'rusanov') => {
    const s = solveBurgers1d({
      nu,
      domain: [-1, 1],
      nx,
      u0: (x) => -Math.sin(PI * x),
      tEnd: 0.5,
      dt: 1e-4,
      flux,
      boundary: { left: 0, right: 0 },
    });
    const x = host(s.x);
    const ref = host(
      burgersColeHopf(
        Array.from(x, (xi) => [xi, 0.5]),
        { nu },
      ),
    );
    return maxAbsDiff(lastRow(s.u), ref);
  };

  it('central flux converges at second order to the Cole-Hopf solution', () => {
    const e = [21, 41, 81, 161].map((n) => errAt(n, 'central'));
    for (const p of observedOrders(e)) expect(p).toBeGreaterThan(1.85);
    expect(e[3]).toBeLessThan(1e-3);
  });

  it('Rusanov flux is first order and periodic grids match Dirichlet ones by symmetry', () => {
    const e = [81, 161, 321].map((n) => errAt(n, 'rusanov'));
    for (const p of observedOrders(e)) expect(p).toBeGreaterThan(0.8);
    const per = solveBurgers1d({ nu, domain: [-1, 1], nx: 160, u0: (x) => -Math.sin(PI * x), tEnd: 0.5, dt: 1e-4 });
    const x = host(per.x);
    expect(
      maxAbsDiff(
        lastRow(per.u),
        host(
          burgersColeHopf(
            Array.from(x, (xi) => [xi, 0.5]),
            { nu },
          ),
        ),
      ),
    ).toBeLessThan(1e-3);
  });

  it('resolves the shock of the nu = 0.01/pi benchmark on a fine grid', () => {
    const s = solveBurgers1d({
      nu: 0.01 / PI,
      domain: [-1, 1],
      nx: 1025,
      u0: (x) => -Math.sin(PI * x),
      tEnd: 1,
      nt: 3,
      boundary: { left: 0, right: 0 },
    });
    const x = host(s.x);
    const ref = host(burgersColeHopf(Array.from(x, (xi) => [xi, 1])));
    expect(maxAbsDiff(lastRow(s.u), ref)).toBeLessThan(2e-2);
  });

  it('rejects bad options', () => {
    expect(() => solveBurgers1d({ nu: -1, domain: [0, 1], nx: 10, u0: () => 0, tEnd: 1 })).toThrow(
      /nu must be non-negative/,
    );
    expect(() => solveBurgers1d({ nu: 0.1, domain: [0, 1], nx: 10, u0: () => 0, tEnd: 1, flux: 'x' as never })).toThrow(
      /unknown flux/,
    );
    expect(() => solveBurgers1d({ nu: 0.1, domain: [0, 1], nx: 10, u0: (x) => 100 * x, tEnd: 200, dt: 0.5 })).toThrow(
      /non-finite/,
    );
  });
});

describe('Poisson and conjugate gradients', () => {
  it('matches scipy spsolve on the same 5-point system', () => {
    const s = solvePoisson2d({
      domain: poisson.domain as never,
      nx: poisson.nx,
      ny: poisson.ny,
      f: (x, y) => x * y + 1,
      g: (x, y) => x * x - y,
      tol: 1e-13,
    });
    expect(maxAbsDiff(host(s.u), poisson.u.flat())).toBeLessThan(1e-11);
    expect(s.solve.converged).toBe(true);
  });

  it('is second-order accurate and the preconditioners cut iterations', () => {
    const u = (x: number, y: number) => Math.sin(PI * x) * Math.sin(2 * PI * y);
    const f = (x: number, y: number) => 5 * PI * PI * u(x, y);
    const errs: number[] = [];
    for (const n of [9, 17, 33, 65]) {
      const s = solvePoisson2d({
        domain: [
          [0, 0],
          [1, 1],
        ],
        nx: n,
        ny: n,
        f,
        preconditioner: 'ic0',
      });
      const xs = host(s.x);
      const ys = host(s.y);
      const uh = host(s.u);
      let m = 0;
      xs.forEach((x, i) => ys.forEach((y, j) => (m = Math.max(m, Math.abs(uh[i * n + j]! - u(x, y))))));
      errs.push(m);
    }
    for (const p of observedOrders(errs)) expect(p).toBeGreaterThan(1.9);
    const iters = (['none', 'jacobi', 'ssor', 'ic0'] as const).map(
      (preconditioner) =>
        solvePoisson2d({
          domain: [
            [0, 0],
            [2, 1],
          ],
          nx: 65,
          ny: 33,
          f: (x, y) => 1 + x * y,
          preconditioner,
          tol: 1e-10,
        }).solve.iterations,
    );
    expect(iters[2]).toBeLessThan(0.6 * iters[0]!);
    expect(iters[3]).toBeLessThan(0.6 * iters[0]!);
  });

  it('sparse matrices and CG failure modes', () => {
    const A = CsrMatrix.fromTriplets(3, [0, 0, 1, 1, 2, 0], [0, 1, 0, 1, 2, 0], [2, -1, -1, 2, 1, 1]);
    expect(Array.from(A.toDense())).toEqual([3, -1, 0, -1, 2, 0, 0, 0, 1]);
    expect(A.nnz).toBe(5);
    const r = conjugateGradientSparse(A, Float64Array.from([1, 2, 3]), { preconditioner: 'jacobi' });
    expect(maxAbsDiff(A.matvec(r.x), [1, 2, 3])).toBeLessThan(1e-9);
    const indefinite = CsrMatrix.fromTriplets(2, [0, 1], [0, 1], [1, -1]);
    expect(() => conjugateGradientSparse(indefinite, Float64Array.from([0, 1]))).toThrow(LinAlgError);
    expect(() => conjugateGradientSparse(indefinite, Float64Array.from([0, 1]), { preconditioner: 'ic0' })).toThrow(
      /not SPD/,
    );
    expect(() => CsrMatrix.fromTriplets(2, [0], [2], [1])).toThrow(/outside a 2x2/);
    expect(() => conjugateGradientSparse(A, Float64Array.from([1, Number.NaN, 0]))).toThrow(/non-finite/);
    const slow = conjugateGradientSparse(A, Float64Array.from([1, 2, 3]), { maxIter: 1 });
    expect(slow.converged).toBe(false);
    expect(() =>
      conjugateGradientSparse(A, Float64Array.from([1, 2, 3]), { maxIter: 1, throwOnFailure: true }),
    ).toThrow(LinAlgError);
    expect(() =>
      solvePoisson2d({
        domain: [
          [0, 0],
          [1, 1],
        ],
        nx: 5,
        ny: 5,
        f: () => Number.NaN,
      }),
    ).toThrow(/finite/);
    expect(tensor([1]).shape).toEqual([1]);
  });
});
