// 1-D FNO on Burgers data from the package's own solver (the FNO paper's setting, smaller):
// u_t + (u²/2)_x = ν u_xx on the periodic unit interval, ν = 0.1, initial states from a Gaussian
// random field, target u(·, 1).
import { fromTypedArray, slice } from '@difflab/tensor';
import { fitOperator, fno1d, gaussianRandomField1d, relativeL2Loss, solveBurgers1d } from '../src/index.js';

export interface FnoBurgersOptions {
  train?: number;
  test?: number;
  nx?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  modes?: number;
  width?: number;
  seed?: number;
  onProgress?: (info: { epoch: number; trainLoss: number; testRelL2: number; seconds: number }) => void;
}

export interface FnoBurgersResult {
  /** Mean relative L2 error over the test samples. */
  testRelL2: number;
  dataSeconds: number;
  trainSeconds: number;
}

export async function fnoBurgers(o: FnoBurgersOptions = {}): Promise<FnoBurgersResult> {
  const [nTrain, nTest, nx] = [o.train ?? 200, o.test ?? 50, o.nx ?? 64];
  const count = nTrain + nTest;
  const t0 = performance.now();
  const u0 = gaussianRandomField1d(count, nx, { seed: 1 + (o.seed ?? 0), dtype: 'float64' }).dataSync() as Float64Array;
  const X = new Float32Array(count * nx);
  const Y = new Float32Array(count * nx);
  for (let s = 0; s < count; s++) {
    const init = u0.subarray(s * nx, (s + 1) * nx);
    const sol = solveBurgers1d({ nu: 0.1, domain: [0, 1], nx, u0: init, tEnd: 1 });
    X.set(init, s * nx);
    // Rows of the solution are the saved times; the last row is u(·, 1).
    Y.set((sol.u.dataSync() as Float64Array).subarray(nx), s * nx);
  }
  const dataSeconds = (performance.now() - t0) / 1000;
  const all = (a: Float32Array) => fromTypedArray(a, [count, nx, 1]);
  const [Xt, Yt] = [all(X), all(Y)];
  const [xTrain, yTrain] = [slice(Xt, { stop: nTrain }), slice(Yt, { stop: nTrain })];
  const [xTest, yTest] = [slice(Xt, { start: nTrain }), slice(Yt, { start: nTrain })];
  const model = fno1d({
    inChannels: 1,
    modes: o.modes ?? 16,
    width: o.width ?? 32,
    layers: 4,
    projection: 64,
    key: o.seed ?? 0,
  });
  const epochs = o.epochs ?? 20;
  const bs = o.batchSize ?? 20;
  const lr0 = o.lr ?? 1e-3;
  const totalSteps = epochs * Math.ceil(nTrain / bs);
  const t1 = performance.now();
  const test = (p: typeof model.params) => relativeL2Loss(model.apply(p, xTest), yTest).item();
  const res = await fitOperator(model.apply, model.params, xTrain, yTrain, {
    epochs,
    batchSize: bs,
    seed: o.seed ?? 0,
    // Cosine decay to zero over the run.
    lr: (s: number) => lr0 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, s / totalSteps))),
    onEpoch: ({ epoch, loss, params }) =>
      o.onProgress?.({ epoch, trainLoss: loss, testRelL2: test(params), seconds: (performance.now() - t1) / 1000 }),
  });
  return { testRelL2: test(res.params), dataSeconds, trainSeconds: (performance.now() - t1) / 1000 };
}
