// Robustness of a digits classifier two ways: empirically (PGD finds adversarial examples) and
// provably (IBP and CROWN bound the logits over the whole L-inf ball). A standard model is compared
// with one trained on the IBP worst case (Gowal et al. 2019), which certification rewards.
import { mlp, random, tensor, tidy, type DenseParams, type Mlp, type Tensor } from '@difflab/tensor';
import { crossEntropy, accuracy } from '@difflab/losses';
import { adam } from '@difflab/optim';
import { certify, fromMlp, ibpSpec, inputInterval, marginSpec, pgd, sequential, fgsm } from '@difflab/attacks';
import type { Digits } from '@difflab-examples/common';

export interface AttackCertifyOptions {
  /** L-inf radius (pixels lie in [0, 1]; default 0.1, about 1.6 of the 16 grey levels). */
  eps?: number;
  epochs?: number;
  batchSize?: number;
  hidden?: number;
  seed?: number;
  /** Radii of the robustness curves. */
  curveEps?: number[];
  onStep?: (info: { phase: string; step: number; totalSteps: number; loss?: number }) => void;
}

export interface ModelReport {
  name: string;
  cleanAccuracy: number;
  fgsmAccuracy: number;
  pgdAccuracy: number;
  ibpCertified: number;
  crownCertified: number;
  /** PGD accuracy and CROWN-certified accuracy at each radius of `curveEps`. */
  curve: { eps: number; pgd: number; certified: number }[];
  trainSeconds: number;
}

export interface AttackCertifyResult {
  eps: number;
  models: ModelReport[];
  /** A few test images, their PGD adversarial versions (standard model) and predictions. */
  examples: {
    clean: Float32Array[];
    adversarial: Float32Array[];
    labels: number[];
    cleanPred: number[];
    advPred: number[];
  };
}

type Phase = (info: { step: number; totalSteps: number; loss?: number }) => void;

/** Mini-batch Adam on `lossFn(params, x, y, progress)`, where progress runs from 0 to 1. */
function train(
  data: Digits,
  net: Mlp,
  o: { epochs: number; batchSize: number; seed: number },
  lossFn: (p: DenseParams[], x: Tensor, y: Tensor, progress: number) => Tensor,
  onStep: Phase,
): DenseParams[] {
  const n = data.xTrain.shape[0]!;
  const batches = Math.floor(n / o.batchSize);
  const totalSteps = o.epochs * batches;
  const opt = adam({ lr: 3e-3 });
  let params = net.params;
  let state = opt.init(params);
  let key = random.key(o.seed);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const [k, next] = random.splitN(key);
    key = next!;
    const order = random.permutation(k!, n).dataSync();
    for (let b = 0; b < batches; b++) {
      const step = epoch * batches + b;
      const r = tidy(() => {
        const idx = tensor(Int32Array.from(order.subarray(b * o.batchSize, (b + 1) * o.batchSize)));
        const x = data.xTrain.take(idx, 0);
        const y = data.yTrain.take(idx, 0);
        const out = opt.step((p: DenseParams[]) => lossFn(p, x, y, step / totalSteps), params, state);
        return { params: out.params, state: out.state, loss: out.loss.item() };
      });
      params = r.params;
      state = r.state;
      onStep({ step: step + 1, totalSteps, loss: r.loss });
    }
  }
  return params;
}

/**
 * IBP training loss: κ·CE(clean) + (1 − κ)·CE(worst-case logits), where the worst-case logit of
 * class j is the upper bound of z_j − z_y over the ball. The radius ramps up over the first half of
 * training and κ from 1 to 1/2, the schedule that keeps IBP training stable.
 */
function ibpLoss(net: Mlp, eps: number) {
  return (p: DenseParams[], x: Tensor, y: Tensor, progress: number) => {
    const ramp = Math.min(1, progress / 0.5);
    const kappa = 1 - 0.5 * ramp;
    const clean = crossEntropy(net.apply(p, x), y);
    if (ramp === 0) return clean;
    const { lower, upper } = inputInterval('ibpLoss', x, eps * ramp);
    const worst = ibpSpec(fromMlp(p, 'relu'), lower, upper, marginSpec(y, 10)).lower.neg();
    return clean.mul(kappa).add(crossEntropy(worst, y).mul(1 - kappa));
  };
}

function evaluate(
  name: string,
  data: Digits,
  params: DenseParams[],
  eps: number,
  curveEps: number[],
  seed: number,
  trainSeconds: number,
  tick: () => void,
): ModelReport {
  const layers = fromMlp(params, 'relu');
  const model = sequential(layers);
  const x = data.xTest;
  const y = data.yTest;
  const robust = (e: number) =>
    tidy(() =>
      e === 0 ? accuracy(model(x), y) : accuracy(model(pgd(model, x, y, { eps: e, steps: 20, key: seed })), y),
    );
  const certified = (e: number, method: 'ibp' | 'crown') =>
    tidy(() => (e === 0 ? accuracy(model(x), y) : certify(layers, x, y, e, { method }).accuracy));
  return {
    name,
    cleanAccuracy: robust(0),
    fgsmAccuracy: tidy(() => accuracy(model(fgsm(model, x, y, { eps })), y)),
    pgdAccuracy: robust(eps),
    ibpCertified: certified(eps, 'ibp'),
    crownCertified: certified(eps, 'crown'),
    curve: curveEps.map((e) => {
      const point = { eps: e, pgd: robust(e), certified: certified(e, 'crown') };
      tick();
      return point;
    }),
    trainSeconds,
  };
}

export function attackAndCertify(data: Digits, opts: AttackCertifyOptions = {}): AttackCertifyResult {
  const eps = opts.eps ?? 0.1;
  const o = { epochs: opts.epochs ?? 20, batchSize: opts.batchSize ?? 64, seed: opts.seed ?? 0 };
  const hidden = opts.hidden ?? 64;
  const curveEps = opts.curveEps ?? [0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15];
  const net = mlp([data.width * data.height, hidden, data.classes], { activation: 'relu', key: o.seed });
  const phase =
    (name: string): Phase =>
    (info) =>
      opts.onStep?.({ phase: name, ...info });

  let t0 = performance.now();
  const standard = train(data, net, o, (p, x, y) => crossEntropy(net.apply(p, x), y), phase('standard training'));
  const standardSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const certifiable = train(data, net, o, ibpLoss(net, eps * 1.1), phase('IBP training'));
  const ibpSeconds = (performance.now() - t0) / 1000;

  let done = 0;
  const evaluation = phase('evaluation');
  const tick = () => evaluation({ step: ++done, totalSteps: 2 * curveEps.length });
  const models = [
    evaluate('standard', data, standard, eps, curveEps, o.seed, standardSeconds, tick),
    evaluate('IBP-trained', data, certifiable, eps, curveEps, o.seed, ibpSeconds, tick),
  ];

  const shown = 8;
  const model = sequential(fromMlp(standard, 'relu'));
  const examples = tidy(() => {
    const x = data.xTest.slice({ start: 0, stop: shown });
    const y = data.yTest.slice({ start: 0, stop: shown });
    const adv = pgd(model, x, y, { eps, steps: 20, key: o.seed });
    const rows = (t: Tensor) =>
      Array.from({ length: shown }, (_, i) => Float32Array.from(t.slice({ start: i, stop: i + 1 }).dataSync()));
    return {
      clean: rows(x),
      adversarial: rows(adv),
      labels: Array.from(y.dataSync()),
      cleanPred: Array.from(model(x).argmax(1).dataSync()),
      advPred: Array.from(model(adv).argmax(1).dataSync()),
    };
  });
  return { eps, models, examples };
}
