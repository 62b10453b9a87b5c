import { ShapeError, ValueError } from '@difflab/tensor';

/**
 * A benchmark function to minimize, with its domain and known global minimum.
 *
 * A callable with metadata, so a benchmark loop can read its domain and compute regret.
 *
 * @example
 * ```ts
 * import { bayesOpt, branin, type TestFunction } from '@difflab/bayes';
 * const f: TestFunction = branin;
 * const res = await bayesOpt({ objective: f, bounds: f.bounds, budget: 12, seed: 0 });
 * const regret = res.best.y - f.optimum.value; // ≥ 0
 * ```
 */
export interface TestFunction {
  /** Short name, e.g. `'branin'`. */
  readonly name: string;
  /** Input dimension. */
  readonly dim: number;
  /** Standard domain, `[lo, hi]` per dimension. */
  readonly bounds: [number, number][];
  /** Global minimum value and (one or all) minimizers. */
  readonly optimum: {
    /** The global minimum value f*. */
    value: number;
    /** Its minimizers. */
    x: number[][];
  };
  (x: readonly number[]): number;
}

function define(
  name: string,
  dim: number,
  bounds: [number, number][],
  optimum: { value: number; x: number[][] },
  f: (x: readonly number[]) => number,
): TestFunction {
  const fn = (x: readonly number[]) => {
    if (!Array.isArray(x) || x.length !== dim)
      throw new ShapeError(
        `${name}: expected a point with ${dim} coordinates, got ${Array.isArray(x) ? x.length : typeof x}`,
      );
    return f(x);
  };
  Object.defineProperty(fn, 'name', { value: name });
  return Object.freeze(Object.assign(fn, { dim, bounds, optimum })) as TestFunction;
}

function checkDim(name: string, d: number): void {
  if (!Number.isInteger(d) || d < 1) throw new ValueError(`${name}: dimension must be a positive integer, got ${d}`);
}

/**
 * Branin–Hoo on [−5, 10] × [0, 15]; three global minima with f* = 5/(4π) ≈ 0.397887.
 *
 * @example
 * ```ts
 * import { branin } from '@difflab/bayes';
 * branin([Math.PI, 2.275]); // 0.397887 (a global minimum)
 * branin.bounds; // [[-5, 10], [0, 15]]
 * ```
 */
export const branin: TestFunction = define(
  'branin',
  2,
  [
    [-5, 10],
    [0, 15],
  ],
  {
    value: 5 / (4 * Math.PI),
    x: [
      [-Math.PI, 12.275],
      [Math.PI, 2.275],
      [3 * Math.PI, 2.475],
    ],
  },
  ([x1, x2]) => {
    const b = 5.1 / (4 * Math.PI * Math.PI);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2! - b * x1! * x1! + c * x1! - 6) ** 2 + 10 * (1 - t) * Math.cos(x1!) + 10;
  },
);

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H3_A = [
  [3.0, 10, 30],
  [0.1, 10, 35],
  [3.0, 10, 30],
  [0.1, 10, 35],
];
const H3_P = [
  [3689, 1170, 2673],
  [4699, 4387, 7470],
  [1091, 8732, 5547],
  [381, 5743, 8828],
].map((r) => r.map((v) => v * 1e-4));
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));

function hartmann(A: number[][], P: number[][]) {
  return (x: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < 4; i++) {
      let e = 0;
      for (let j = 0; j < x.length; j++) e += A[i]![j]! * (x[j]! - P[i]![j]!) ** 2;
      s += H_ALPHA[i]! * Math.exp(-e);
    }
    return -s;
  };
}

/**
 * Hartmann-3 on [0, 1]³; f* ≈ −3.862782 at (0.114614, 0.555649, 0.852547).
 *
 * @example
 * ```ts
 * import { hartmann3 } from '@difflab/bayes';
 * hartmann3([0.114614, 0.555649, 0.852547]); // ≈ -3.86278
 * ```
 */
export const hartmann3: TestFunction = define(
  'hartmann3',
  3,
  [
    [0, 1],
    [0, 1],
    [0, 1],
  ],
  { value: -3.8627821478207558, x: [[0.114614, 0.555649, 0.852547]] },
  hartmann(H3_A, H3_P),
);

/**
 * Hartmann-6 on [0, 1]⁶; f* ≈ −3.322368 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).
 *
 * @example
 * ```ts
 * import { hartmann6 } from '@difflab/bayes';
 * hartmann6(hartmann6.optimum.x[0]!); // ≈ -3.32237
 * hartmann6.dim; // 6
 * ```
 */
export const hartmann6: TestFunction = define(
  'hartmann6',
  6,
  Array.from({ length: 6 }, () => [0, 1] as [number, number]),
  { value: -3.3223680114155147, x: [[0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]] },
  hartmann(H6_A, H6_P),
);

/**
 * Ackley (a = 20, b = 0.2, c = 2π) on [−32.768, 32.768]^d; f* = 0 at the origin.
 *
 * @param dim - input dimension (default 2).
 * @returns The test function.
 *
 * @example
 * ```ts
 * import { ackley } from '@difflab/bayes';
 * const f = ackley(5);
 * f([0, 0, 0, 0, 0]); // 0 (up to rounding)
 * ```
 */
export function ackley(dim = 2): TestFunction {
  checkDim('ackley', dim);
  return define(
    'ackley',
    dim,
    Array.from({ length: dim }, () => [-32.768, 32.768] as [number, number]),
    { value: 0, x: [new Array(dim).fill(0)] },
    (x) => {
      let s1 = 0;
      let s2 = 0;
      for (const v of x) {
        s1 += v * v;
        s2 += Math.cos(2 * Math.PI * v);
      }
      return -20 * Math.exp(-0.2 * Math.sqrt(s1 / dim)) - Math.exp(s2 / dim) + 20 + Math.E;
    },
  );
}

/**
 * Rosenbrock on [−5, 10]^d; f* = 0 at (1, …, 1).
 *
 * @param dim - input dimension (default 2).
 * @returns The test function.
 *
 * @example
 * ```ts
 * import { rosenbrock } from '@difflab/bayes';
 * rosenbrock(3)([1, 1, 1]); // 0
 * rosenbrock()([0, 0]); // 1
 * ```
 */
export function rosenbrock(dim = 2): TestFunction {
  checkDim('rosenbrock', dim);
  if (dim < 2) throw new ValueError(`rosenbrock: dimension must be >= 2, got ${dim}`);
  return define(
    'rosenbrock',
    dim,
    Array.from({ length: dim }, () => [-5, 10] as [number, number]),
    { value: 0, x: [new Array(dim).fill(1)] },
    (x) => {
      let s = 0;
      for (let i = 0; i < dim - 1; i++) s += 100 * (x[i + 1]! - x[i]! * x[i]!) ** 2 + (x[i]! - 1) ** 2;
      return s;
    },
  );
}

/**
 * Levy on [−10, 10]^d; f* = 0 at (1, …, 1).
 *
 * @param dim - input dimension (default 2).
 * @returns The test function.
 *
 * @example
 * ```ts
 * import { levy } from '@difflab/bayes';
 * levy(4)([1, 1, 1, 1]); // 0 (up to rounding)
 * ```
 */
export function levy(dim = 2): TestFunction {
  checkDim('levy', dim);
  return define(
    'levy',
    dim,
    Array.from({ length: dim }, () => [-10, 10] as [number, number]),
    { value: 0, x: [new Array(dim).fill(1)] },
    (x) => {
      const w = x.map((v) => 1 + (v - 1) / 4);
      let s = Math.sin(Math.PI * w[0]!) ** 2;
      for (let i = 0; i < dim - 1; i++) s += (w[i]! - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i]! + 1) ** 2);
      const wd = w[dim - 1]!;
      return s + (wd - 1) ** 2 * (1 + Math.sin(2 * Math.PI * wd) ** 2);
    },
  );
}

const ST_XSTAR = -2.90353401818596;

/**
 * Styblinski–Tang on [−5, 5]^d; f* ≈ −39.16617·d at x_i ≈ −2.903534.
 *
 * @param dim - input dimension (default 2).
 * @returns The test function.
 *
 * @example
 * ```ts
 * import { styblinskiTang } from '@difflab/bayes';
 * styblinskiTang(2)([-2.903534, -2.903534]); // ≈ -78.3323
 * ```
 */
export function styblinskiTang(dim = 2): TestFunction {
  checkDim('styblinskiTang', dim);
  const fx = (v: number) => 0.5 * (v ** 4 - 16 * v * v + 5 * v);
  return define(
    'styblinskiTang',
    dim,
    Array.from({ length: dim }, () => [-5, 5] as [number, number]),
    { value: dim * fx(ST_XSTAR), x: [new Array(dim).fill(ST_XSTAR)] },
    (x) => x.reduce((s, v) => s + fx(v), 0),
  );
}
