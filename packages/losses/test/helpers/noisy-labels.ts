import { add, fromTypedArray, grad, matmul, type Tensor } from '@difflab/tensor';
import { accuracy } from '../../src/index.js';
import { Prng } from '../../src/core/prng.js';

/**
 * The noisy-label experiment of the README: 10 Gaussian classes in R^64 (random means of norm about
 * `separation`, unit noise), 30 training points per class whose labels are flipped with probability
 * `noise` to a uniformly chosen *other* class (symmetric noise), and 200 clean test points per class.
 * A linear softmax model (64 x 10, more parameters than samples so it can memorise the noise) is
 * trained by plain full-batch gradient descent; the clean test accuracy is returned.
 */
export interface NoisyLabelSetup {
  dim: number;
  classes: number;
  trainPerClass: number;
  testPerClass: number;
  separation: number;
  noise: number;
  steps: number;
  lr: number;
}

export const DEFAULT_SETUP: NoisyLabelSetup = {
  dim: 64,
  classes: 10,
  trainPerClass: 30,
  testPerClass: 200,
  separation: 4,
  noise: 0.4,
  steps: 200,
  lr: 0.5,
};

function sample(rng: Prng, means: number[][], perClass: number, noise: number) {
  const k = means.length;
  const d = means[0]!.length;
  const n = perClass * k;
  const x = new Float32Array(n * d);
  const clean = new Int32Array(n);
  const noisy = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    clean[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = means[c]![j]! + rng.normal();
    noisy[i] = rng.next() < noise ? (c + 1 + Math.floor(rng.next() * (k - 1))) % k : c;
  }
  return { x: fromTypedArray(x, [n, d]), clean: fromTypedArray(clean, [n]), noisy: fromTypedArray(noisy, [n]) };
}

export interface RunResult {
  testAccuracy: number;
  /** Fraction of the noisy training labels the model reproduces (memorisation). */
  fitNoisy: number;
}

export function runNoisyLabels(
  loss: (logits: Tensor, labels: Tensor) => Tensor,
  seed: number,
  setup = DEFAULT_SETUP,
): RunResult {
  const rng = new Prng(seed);
  const means = Array.from({ length: setup.classes }, () =>
    Array.from({ length: setup.dim }, () => (rng.normal() * setup.separation) / Math.sqrt(setup.dim)),
  );
  const train = sample(rng, means, setup.trainPerClass, setup.noise);
  const test = sample(rng, means, setup.testPerClass, 0);
  const init = new Prng(seed + 1000);
  let w = fromTypedArray(
    Float32Array.from({ length: setup.dim * setup.classes }, () => 0.01 * init.normal()),
    [setup.dim, setup.classes],
  );
  const objective = (v: Tensor) => loss(matmul(train.x, v), train.noisy);
  for (let s = 0; s < setup.steps; s++) w = add(w, (grad(objective)(w) as Tensor).mul(-setup.lr));
  return { testAccuracy: accuracy(matmul(test.x, w), test.clean), fitNoisy: accuracy(matmul(train.x, w), train.noisy) };
}
