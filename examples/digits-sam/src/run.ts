// Train a small MLP on the 8x8 digits with a loss from the literature (Poly-1, Leng et al. 2022)
// and sharpness-aware minimization (Foret et al. 2021) around Adam, next to a plain Adam baseline.
// The same code runs on any device: pass `device: 'webgpu'` after `initWebGPU()`.
import { mlp, random, tensor, tidy, toAsync, tree, type DenseParams, type Mlp, type Tensor } from '@difflab/tensor';
import { polyLoss, accuracy, ece } from '@difflab/losses';
import { adam, sam, hessianTopEigenvalue, type Optimizer } from '@difflab/optim';
import type { Digits } from '@difflab-examples/common';

export interface DigitsSamOptions {
  /** Passes over the 1347 training images (default 20). */
  epochs?: number;
  batchSize?: number;
  hidden?: number;
  lr?: number;
  /** SAM neighbourhood radius (default 0.1). */
  rho?: number;
  /** Poly-1 coefficient ε (default 2; 0 is cross-entropy). */
  epsilon?: number;
  seed?: number;
  /** Also train the Adam baseline (default true). */
  baseline?: boolean;
  /** Device to train on (default 'cpu'); evaluation metrics are computed on the CPU. */
  device?: string;
  /** Skip the Hessian eigenvalue (sharpness) computation (default false). */
  skipSharpness?: boolean;
  /** Called after every optimizer step of every run. */
  onStep?: (info: { run: string; step: number; totalSteps: number; loss: number }) => void;
}

export interface TrainedRun {
  name: string;
  device: string;
  /** Mini-batch loss before each step. */
  losses: number[];
  /** Test accuracy after each epoch. */
  testAccuracy: number[];
  /** Expected calibration error on the test set (15 bins). */
  testEce: number;
  /**
   * Largest Hessian eigenvalue of the full training loss at the final weights (Lanczos on
   * Hessian-vector products): the sharpness SAM is designed to reduce. NaN when skipped.
   */
  sharpness: number;
  /** Final weights, on the CPU. */
  params: DenseParams[];
  /** Training time (without the evaluation). */
  seconds: number;
}

export interface DigitsSamResult {
  net: Mlp;
  sam: TrainedRun;
  baseline?: TrainedRun;
  stepsPerRun: number;
}

type Settings = Required<Omit<DigitsSamOptions, 'onStep' | 'baseline' | 'skipSharpness'>>;

const toCpu = (params: DenseParams[]) =>
  Promise.all(params.map(async (p) => ({ w: await toAsync(p.w, 'cpu'), b: await toAsync(p.b, 'cpu') })));

async function trainOne(
  name: string,
  data: Digits,
  net: Mlp,
  opt: Optimizer<unknown>,
  o: Settings,
  opts: DigitsSamOptions,
): Promise<TrainedRun> {
  const device = o.device;
  const n = data.xTrain.shape[0]!;
  const batches = Math.floor(n / o.batchSize);
  const totalSteps = o.epochs * batches;
  const xTrain = data.xTrain.to(device);
  const yTrain = data.yTrain.to(device);
  const xTest = data.xTest.to(device);
  let params = tree.map<DenseParams[]>((p: Tensor) => p.to(device), net.params);
  let state = opt.init(params);
  const losses: number[] = [];
  const testAccuracy: number[] = [];
  const t0 = performance.now();
  // The same key schedule for every run, so SAM and the baseline see the same batches.
  let key = random.key(o.seed);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const [k, next] = random.splitN(key);
    key = next!;
    const order = random.permutation(k!, n, { device: 'cpu' }).dataSync();
    for (let b = 0; b < batches; b++) {
      // tidy frees every intermediate of the step; only the new params, state and loss survive.
      const r = tidy(() => {
        const idx = tensor(Int32Array.from(order.subarray(b * o.batchSize, (b + 1) * o.batchSize)), { device });
        const x = xTrain.take(idx, 0);
        const y = yTrain.take(idx, 0);
        const lossFn = (p: DenseParams[]) => polyLoss(net.apply(p, x), y, { epsilon: o.epsilon });
        const out = opt.step(lossFn, params, state);
        return { params: out.params, state: out.state, loss: out.loss };
      });
      params = r.params;
      state = r.state;
      // data() is asynchronous so that devices such as WebGPU can be read; the CPU answers at once.
      const loss = (await r.loss.data())[0]!;
      r.loss.dispose();
      losses.push(loss);
      opts.onStep?.({ run: name, step: epoch * batches + b + 1, totalSteps, loss });
    }
    const logits = tidy(() => net.apply(params, xTest));
    testAccuracy.push(accuracy(await toAsync(logits, 'cpu'), data.yTest));
    logits.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpuParams = await toCpu(params);
  const testEce = tidy(() => ece(net.apply(cpuParams, data.xTest).softmax(1), data.yTest, { bins: 15 }));
  const fullLoss = (p: DenseParams[]) => polyLoss(net.apply(p, data.xTrain), data.yTrain, { epsilon: o.epsilon });
  const sharpness = opts.skipSharpness
    ? NaN
    : tidy(() => hessianTopEigenvalue(fullLoss, cpuParams, { iters: 20, seed: o.seed }).value);
  return { name, device, losses, testAccuracy, testEce, sharpness, params: cpuParams, seconds };
}

export async function trainDigitsSam(data: Digits, opts: DigitsSamOptions = {}): Promise<DigitsSamResult> {
  const o: Settings = {
    epochs: opts.epochs ?? 20,
    batchSize: opts.batchSize ?? 64,
    hidden: opts.hidden ?? 64,
    lr: opts.lr ?? 3e-3,
    rho: opts.rho ?? 0.1,
    epsilon: opts.epsilon ?? 2,
    seed: opts.seed ?? 0,
    device: opts.device ?? 'cpu',
  };
  const net = mlp([data.width * data.height, o.hidden, data.classes], { activation: 'relu', key: o.seed });
  const stepsPerRun = o.epochs * Math.floor(data.xTrain.shape[0]! / o.batchSize);
  const samRun = await trainOne('sam', data, net, sam(adam({ lr: o.lr }), { rho: o.rho }), o, opts);
  const baseline = opts.baseline === false ? undefined : await trainOne('adam', data, net, adam({ lr: o.lr }), o, opts);
  return { net, sam: samRun, baseline, stepsPerRun };
}
