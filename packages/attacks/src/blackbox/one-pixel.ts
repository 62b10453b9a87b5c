import { softmax, type Tensor } from '@difflab/tensor';
import { HostRng, successMask, toKey } from '../core/grad.js';
import { prepare } from '../core/prepare.js';
import type { BaseAttackOptions, KeyLike, Labels, Model } from '../core/types.js';
import { checkInt, checkNonNegative, checkRange } from '../core/validate.js';
import { geometryOf, packRows } from './common.js';

/**
 * Options of {@link onePixel}.
 *
 * @example
 * ```ts
 * import type { OnePixelOptions } from '@difflab/attacks';
 * const opts: OnePixelOptions = { pixels: 1, popSize: 100, generations: 30, key: 0 };
 * ```
 */
export interface OnePixelOptions extends BaseAttackOptions {
  /** Pixels changed per example (default 1): the L0 budget, counted in pixels (all channels). */
  pixels?: number;
  /** Population size of differential evolution (default 100). */
  popSize?: number;
  /** Generations (default 30). */
  generations?: number;
  /** DE mutation factor F (default 0.5). */
  mutation?: number;
  /** Crossover probability (default 1: no crossover, the paper's choice). */
  crossover?: number;
  /** Target classes (int32 `[N]` or numbers); untargeted when omitted. */
  targets?: Labels;
  /** Randomness: a `random.key(seed)` tensor or an integer seed (default 0). */
  key?: KeyLike;
}

/**
 * One-pixel attack (Su et al. 2019): differential evolution (DE/rand/1) over candidate edits
 * (row, column, value per channel) of `pixels` pixels, minimising the probability of the true class
 * (or maximising the target's). All candidates of a generation are evaluated in one batch; an
 * example stops once a candidate fools the model. Works on images [N, C, H, W] and flat inputs.
 *
 * Equivalent to torchattacks' `OnePixel`.
 *
 * @param model - classifier `(x) => logits [N, C]` (only queried).
 * @param x - clean inputs `[N, C, H, W]` or `[N, D]` inside `bounds`.
 * @param y - true labels `[N]`.
 * @param opts - see {@link OnePixelOptions}.
 * @returns Adversarial inputs with the shape and dtype of `x`, at most `pixels` pixels changed.
 *
 * @example
 * ```ts
 * import { tensor, matmul, type Tensor } from '@difflab/tensor';
 * import { onePixel } from '@difflab/attacks';
 * const model = (x: Tensor) => matmul(x, tensor([[1, -1], [-1, 1], [1, -1]]));
 * const adv = onePixel(model, tensor([[0.1, 0.6, 0.1]]), [1], { pixels: 1, popSize: 20, generations: 10 });
 * // ≈ [[0.661, 0.6, 0.1]]: only x0 changed, enough to flip the label
 * ```
 */
export function onePixel(model: Model, x: Tensor, y: Labels, opts: OnePixelOptions = {}): Tensor {
  const op = 'onePixel';
  const pixels = checkInt(op, 'pixels', opts.pixels ?? 1, 1);
  const pop = checkInt(op, 'popSize', opts.popSize ?? 100, 4);
  const gens = checkInt(op, 'generations', opts.generations ?? 30, 0);
  const F = checkNonNegative(op, 'mutation', opts.mutation ?? 0.5);
  const cr = checkRange(op, 'crossover', opts.crossover ?? 1, 0, 1);
  const g = geometryOf(op, x);
  const p = prepare(op, model, x, y, opts);
  const { n, lo, hi } = p;
  const { c, h, w, d } = g;
  const rng = new HostRng(toKey(op, opts.key));
  const ref = (p.targets ?? p.y).dataSync();
  const targeted = !!p.targets;
  const x0 = Float64Array.from(x.dataSync());
  const genes = pixels * (2 + c);
  const upper = (j: number) => (j % (2 + c) === 0 ? h : j % (2 + c) === 1 ? w : hi);
  const lower = (j: number) => (j % (2 + c) < 2 ? 0 : lo);
  const clampGene = (j: number, v: number) => Math.min(upper(j) - (j % (2 + c) < 2 ? 1e-9 : 0), Math.max(lower(j), v));

  /** Applies candidate vectors (one per row of `cands`, example `ex[k]`) to copies of the inputs. */
  const apply = (cands: Float64Array, ex: number[]) => {
    const out = new Float64Array(ex.length * d);
    ex.forEach((i, k) => {
      out.set(x0.subarray(i * d, (i + 1) * d), k * d);
      for (let q = 0; q < pixels; q++) {
        const gb = k * genes + q * (2 + c);
        const r = Math.floor(cands[gb]!);
        const col = Math.floor(cands[gb + 1]!);
        for (let ch = 0; ch < c; ch++) out[k * d + ch * h * w + r * w + col] = cands[gb + 2 + ch]!;
      }
    });
    return out;
  };
  /** Fitness to minimise: probability of the label (untargeted) or minus that of the target. */
  const fitness = (cands: Float64Array, ex: number[]) => {
    const imgs = apply(cands, ex);
    const probs = softmax(model(packRows(imgs, x, ex.length)), 1).dataSync();
    const cls = p.classes;
    return ex.map((i, k) => {
      const t = ref[i]!;
      let arg = 0;
      for (let j = 1; j < cls; j++) if (probs[k * cls + j]! > probs[k * cls + arg]!) arg = j;
      const success = targeted ? arg === t : arg !== t;
      return {
        f: targeted ? -probs[k * cls + t]! : probs[k * cls + t]!,
        success,
        img: imgs.subarray(k * d, (k + 1) * d),
      };
    });
  };

  const result = Float64Array.from(x0);
  // Population per example, initialised uniformly (positions) and around the value range.
  const popAll = new Float64Array(n * pop * genes);
  const u0 = rng.uniform(popAll.length);
  for (let k = 0; k < popAll.length; k++) {
    const j = k % genes;
    popAll[k] = clampGene(j, lower(j) + u0[k]! * (upper(j) - lower(j)));
  }
  const exOf = (ids: number[]) => ids.flatMap((i) => new Array<number>(pop).fill(i));
  const gather = (ids: number[], src: Float64Array) => {
    const out = new Float64Array(ids.length * pop * genes);
    ids.forEach((i, k) => out.set(src.subarray(i * pop * genes, (i + 1) * pop * genes), k * pop * genes));
    return out;
  };
  const fit = new Float64Array(n * pop);
  // Examples the model already gets wrong are returned unchanged.
  const done = successMask(p.clean, p.y, p.targets);
  const record = (ids: number[], cand: Float64Array, scores: ReturnType<typeof fitness>, replaceAll: boolean) => {
    ids.forEach((i, k) => {
      for (let m = 0; m < pop; m++) {
        const s = scores[k * pop + m]!;
        if (replaceAll || s.f < fit[i * pop + m]!) {
          fit[i * pop + m] = s.f;
          popAll.set(cand.subarray((k * pop + m) * genes, (k * pop + m + 1) * genes), (i * pop + m) * genes);
        }
        if (s.success && !done[i]) {
          done[i] = 1;
          result.set(s.img, i * d);
        }
      }
    });
  };
  let ids = Array.from({ length: n }, (_, i) => i).filter((i) => !done[i]);
  if (ids.length > 0) record(ids, gather(ids, popAll), fitness(gather(ids, popAll), exOf(ids)), true);
  for (let gen = 0; gen < gens; gen++) {
    ids = ids.filter((i) => !done[i]);
    if (ids.length === 0) break;
    const trial = new Float64Array(ids.length * pop * genes);
    const r = rng.ints(ids.length * pop * 3, pop);
    const cu = rng.uniform(ids.length * pop * genes);
    ids.forEach((i, k) => {
      for (let m = 0; m < pop; m++) {
        let [a, b, e] = [r[(k * pop + m) * 3]!, r[(k * pop + m) * 3 + 1]!, r[(k * pop + m) * 3 + 2]!];
        // Distinct parents (and distinct from m), as DE/rand/1 requires.
        while (a === m) a = (a + 1) % pop;
        while (b === m || b === a) b = (b + 1) % pop;
        while (e === m || e === a || e === b) e = (e + 1) % pop;
        const base = i * pop * genes;
        for (let j = 0; j < genes; j++) {
          const mutant =
            popAll[base + a * genes + j]! + F * (popAll[base + b * genes + j]! - popAll[base + e * genes + j]!);
          const keep = cr < 1 && cu[(k * pop + m) * genes + j]! >= cr;
          trial[(k * pop + m) * genes + j] = keep ? popAll[base + m * genes + j]! : clampGene(j, mutant);
        }
      }
    });
    record(ids, trial, fitness(trial, exOf(ids)), false);
  }
  // Unbroken examples get their best candidate (the lowest fitness).
  for (const i of ids) {
    if (done[i]) continue;
    let bestM = 0;
    for (let m = 1; m < pop; m++) if (fit[i * pop + m]! < fit[i * pop + bestM]!) bestM = m;
    result.set(apply(popAll.subarray((i * pop + bestM) * genes, (i * pop + bestM + 1) * genes), [i]), i * d);
  }
  return packRows(result, x, n);
}
