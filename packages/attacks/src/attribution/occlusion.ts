import { ShapeError, fmtShape, fromTypedArray, type Tensor } from '@difflab/tensor';
import type { Labels, Model } from '../core/types.js';
import { checkInt } from '../core/validate.js';
import { checkOutput, resolveTargets, targetOutput, type AttributionOptions } from './common.js';

/**
 * Options of {@link occlusion}.
 *
 * @example
 * ```ts
 * import type { OcclusionOptions } from '@difflab/attacks';
 * const opts: OcclusionOptions = { window: [4, 4], stride: [2, 2], baseline: 0.5 };
 * ```
 */
export interface OcclusionOptions extends AttributionOptions {
  /** Window [height, width] over the last two axes (default [2, 2]; flat inputs use [1, w]). */
  window?: readonly [number, number];
  /** Step between windows (default: the window, i.e. no overlap). */
  stride?: readonly [number, number];
  /** Value written into the occluded window (default 0). */
  baseline?: number;
}

/**
 * Occlusion (Zeiler & Fergus 2014): slide a window over the input, replace it (all channels) by the
 * baseline and record the drop f_t(x) - f_t(x occluded); each feature gets the mean drop over the
 * windows covering it. All occluded copies of a window position are evaluated as one batch.
 *
 * Captum's `Occlusion` with `sliding_window_shapes` over the last two axes.
 *
 * @param model - classifier `(x) => logits [N, C]`.
 * @param x - inputs `[N, ...]`.
 * @param target - classes to explain (default: the model's predictions at x).
 * @param opts - see {@link OcclusionOptions}.
 * @returns Attributions with the shape of `x`.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { occlusion } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1]]));
 * occlusion(model, tensor([[0.2, 0.6]]), [1], { window: [1, 1] }); // tensor([[-0.2, 0.6]])
 * ```
 */
export function occlusion(model: Model, x: Tensor, target?: Labels, opts: OcclusionOptions = {}): Tensor {
  const op = 'occlusion';
  const t = resolveTargets(op, model, x, target);
  const output = checkOutput(op, opts.output);
  if (x.ndim < 2) throw new ShapeError(`${op}: x must be a batch, got ${fmtShape(x.shape)}`);
  const n = x.shape[0]!;
  const h = x.ndim >= 3 ? x.shape[x.ndim - 2]! : 1;
  const w = x.shape[x.ndim - 1]!;
  const [wh, ww] = opts.window ?? (h === 1 ? [1, Math.min(2, w)] : [2, 2]);
  checkInt(op, 'window height', wh, 1);
  checkInt(op, 'window width', ww, 1);
  if (wh > h || ww > w)
    throw new ShapeError(`${op}: window [${wh}, ${ww}] is larger than the input's last axes ${fmtShape(x.shape)}`);
  const [sh, sw] = opts.stride ?? [wh, ww];
  checkInt(op, 'stride', sh, 1);
  checkInt(op, 'stride', sw, 1);
  const base = opts.baseline ?? 0;
  const ref = targetOutput(model, x, t, output).dataSync();
  const x0 = x.dataSync();
  const d = x.size / n;
  const sum = new Float64Array(n * d);
  const count = new Float64Array(n * d);
  const rows: number[] = [];
  for (let r = 0; r + wh <= h; r += sh) rows.push(r);
  if (rows[rows.length - 1]! + wh < h) rows.push(h - wh);
  const cols: number[] = [];
  for (let c = 0; c + ww <= w; c += sw) cols.push(c);
  if (cols[cols.length - 1]! + ww < w) cols.push(w - ww);
  for (const r0 of rows)
    for (const c0 of cols) {
      const occluded = new Float64Array(x0);
      const inWindow = (j: number) => {
        const q = j % (h * w);
        const r = Math.floor(q / w);
        const c = q % w;
        return r >= r0 && r < r0 + wh && c >= c0 && c < c0 + ww;
      };
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) if (inWindow(j)) occluded[i * d + j] = base;
      const xt = fromTypedArray(x.dtype === 'float64' ? occluded : Float32Array.from(occluded), x.shape, {
        dtype: x.dtype,
      });
      const out = targetOutput(model, xt, t, output).dataSync();
      for (let i = 0; i < n; i++) {
        const drop = ref[i]! - out[i]!;
        for (let j = 0; j < d; j++)
          if (inWindow(j)) {
            sum[i * d + j]! += drop;
            count[i * d + j]! += 1;
          }
      }
    }
  const res = Float64Array.from(sum, (v, k) => (count[k]! > 0 ? v / count[k]! : 0));
  return fromTypedArray(x.dtype === 'float64' ? res : Float32Array.from(res), x.shape, { dtype: x.dtype });
}
