import { ShapeError, ValueError, add, exp, fromTypedArray, gather, log, mul, type Tensor } from '@difflab/tensor';
import { withAlgebra } from '../kernels/combine.js';
import { prefixSpecs, resolveHyper, type HyperOption, type HyperSpecs } from '../kernels/hyper.js';
import { checkInputs, subHypers, type Kernel } from '../kernels/kernel.js';

/**
 * Options of {@link autoregressiveKernel}.
 *
 * @example
 * ```ts
 * import { matern52, rbf, type AutoregressiveKernelOptions } from '@difflab/bayes';
 * const opts: AutoregressiveKernelOptions = { base: matern52({ dims: [0, 1] }), delta: rbf({ dims: [0, 1] }), fidelityDim: 2, rho: 1 };
 * ```
 */
export interface AutoregressiveKernelOptions {
  /** Kernel of the lowest fidelity f_0 on the design columns. */
  base: Kernel;
  /** Kernel of the discrepancies δ_t (t ≥ 1), shared by all levels (required: no default is assumed). */
  delta: Kernel;
  /** Column of the input holding the integer fidelity level 0, 1, …, L − 1 (L − 1 = target). */
  fidelityDim: number;
  /** Scale ρ between consecutive levels. Default 1, bounds [1e-3, 1e2]. */
  rho?: HyperOption;
}

/**
 * Autoregressive multi-fidelity kernel (Kennedy & O'Hagan 2000, "AR(1) co-kriging"):
 * f_t(x) = ρ f_{t−1}(x) + δ_t(x), f_0 ~ GP(0, k_base), δ_t ~ GP(0, k_delta) independent, so
 * Cov(f_l(x), f_m(x')) = ρ^{l+m} k_base(x, x') + Σ_{t=1}^{min(l,m)} ρ^{l+m−2t} k_delta(x, x').
 * The fidelity column must hold integers; it is not differentiable (it is a discrete choice).
 * Hyperparameters: `rho`, `base.*`, `delta.*`.
 *
 * Emukit's `LinearMultiFidelityKernel`.
 *
 * @param opts - base and discrepancy kernels, the fidelity column and ρ.
 * @returns The multi-fidelity kernel over inputs with the fidelity level in column `fidelityDim`.
 *
 * @example
 * ```ts
 * import { autoregressiveKernel, rbf, fitGP } from '@difflab/bayes';
 * const kernel = autoregressiveKernel({ base: rbf({ dims: [0] }), delta: rbf({ dims: [0] }), fidelityDim: 1 });
 * // Cheap level 0 at four points, expensive level 1 at two; column 1 holds the level.
 * const X = [[0, 0], [0.3, 0], [0.6, 0], [1, 0], [0.3, 1], [1, 1]];
 * const gp = fitGP(X, [0.1, 0.5, 0.9, 1.0, 0.6, 1.2], { kernel });
 * gp.predict([[0.6, 1]]).mean; // the target-level prediction borrows strength from level 0
 * ```
 */
export function autoregressiveKernel(opts: AutoregressiveKernelOptions): Kernel {
  const kind = 'autoregressive';
  const fd = opts.fidelityDim;
  if (!Number.isInteger(fd) || fd < 0)
    throw new ValueError(`${kind}: fidelityDim must be a non-negative integer, got ${fd}`);
  const design = (x: Tensor) => {
    const d = x.shape[x.ndim - 1]!;
    if (fd >= d) throw new ShapeError(`${kind}: fidelityDim ${fd} out of range for inputs with ${d} columns`);
    return gather(
      x,
      Array.from({ length: d }, (_, i) => i).filter((i) => i !== fd),
      x.ndim - 1,
    );
  };
  const levels = (x: Tensor): Int32Array => {
    const d = x.shape[x.ndim - 1]!;
    const data = x.dataSync();
    const out = new Int32Array(data.length / d);
    for (let i = 0; i < out.length; i++) {
      const v = data[i * d + fd]!;
      if (!Number.isInteger(v) || v < 0)
        throw new ValueError(`${kind}: fidelity levels must be non-negative integers, got ${v}`);
      out[i] = v;
    }
    return out;
  };
  return withAlgebra({
    kind,
    hypers(d: number): HyperSpecs {
      if (fd >= d) throw new ShapeError(`${kind}: fidelityDim ${fd} out of range for inputs with ${d} columns`);
      return {
        rho: resolveHyper(kind, 'rho', opts.rho, { value: 1, bounds: [1e-3, 1e2] }, 1),
        ...prefixSpecs('base', opts.base.hypers(d - 1)),
        ...prefixSpecs('delta', opts.delta.hypers(d - 1)),
      };
    },
    cov(a, b, h) {
      checkInputs(kind, a, b);
      const la = levels(a);
      const lb = levels(b);
      const n = a.shape[a.ndim - 2]!;
      const m = b.shape[b.ndim - 2]!;
      const batch = a.shape.slice(0, -2);
      const count = la.length / n;
      const bBatched = b.ndim > 2;
      let top = 0;
      for (const v of la) top = Math.max(top, v);
      const expo = new Float64Array(count * n * m);
      const shared: Float64Array[] = Array.from({ length: top }, () => new Float64Array(count * n * m));
      for (let t = 0; t < count; t++)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < m; j++) {
            const l = la[t * n + i]!;
            const r = lb[(bBatched ? t * m : 0) + j]!;
            const o = (t * n + i) * m + j;
            expo[o] = l + r;
            for (let s = 1; s <= Math.min(l, r, top); s++) shared[s - 1]![o] = 1;
          }
      const shape = [...batch, n, m];
      const logRho = log(h.rho!);
      const pw = (E: Float64Array) => exp(mul(fromTypedArray(E, shape, { dtype: 'float64' }), logRho));
      const xa = design(a);
      const xb = design(b);
      let K = mul(pw(expo), opts.base.cov(xa, xb, subHypers(h, 'base')));
      if (top > 0) {
        const kd = opts.delta.cov(xa, xb, subHypers(h, 'delta'));
        for (let s = 1; s <= top; s++) {
          const mask = shared[s - 1]!;
          if (!mask.some((v) => v > 0)) continue;
          const E = expo.map((v, i) => (mask[i]! > 0 ? v - 2 * s : 0));
          K = add(K, mul(mul(pw(E), fromTypedArray(mask, shape, { dtype: 'float64' })), kd));
        }
      }
      return K;
    },
    diag(a, h) {
      checkInputs(kind, a);
      const la = levels(a);
      const shape = a.shape.slice(0, -1);
      const logRho = log(h.rho!);
      const xa = design(a);
      let K = mul(
        exp(
          mul(
            fromTypedArray(
              Float64Array.from(la, (l) => 2 * l),
              shape,
              { dtype: 'float64' },
            ),
            logRho,
          ),
        ),
        opts.base.diag(xa, subHypers(h, 'base')),
      );
      const kd = opts.delta.diag(xa, subHypers(h, 'delta'));
      let top = 0;
      for (const v of la) top = Math.max(top, v);
      for (let s = 1; s <= top; s++) {
        const mask = Float64Array.from(la, (l) => (l >= s ? 1 : 0));
        const E = Float64Array.from(la, (l) => (l >= s ? 2 * (l - s) : 0));
        K = add(
          K,
          mul(
            mul(
              exp(mul(fromTypedArray(E, shape, { dtype: 'float64' }), logRho)),
              fromTypedArray(mask, shape, { dtype: 'float64' }),
            ),
            kd,
          ),
        );
      }
      return K;
    },
  });
}
