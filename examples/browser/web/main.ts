// Trains an MLP on the 8x8 digits in the page, redrawing the loss and accuracy plots as it goes.
// WebGPU is used when `initWebGPU()` finds an adapter (or when chosen explicitly); otherwise the
// CPU backend, which needs nothing but JavaScript. Query parameters: ?device=cpu|webgpu|auto,
// ?epochs=N, ?autostart (the end-to-end test uses them). The page publishes its progress on
// `window.difflabDemo` so that tests (and curious users in the console) can read it.
import { cpuKernels, mlp, random, tensor, tidy, tree, type CpuKernelInfo, type DenseParams, type Tensor } from '@difflab/tensor';
import { crossEntropy } from '@difflab/losses';
import { adam } from '@difflab/optim';
import { initWebGPU, webgpuMemory } from '@difflab/gpu';
import { linePlot, parseDigits, pixelGrid, type Digits, type DigitsJson } from '@difflab-examples/common';
import raw from '@difflab-examples/common/data/digits.json';

interface DemoState {
  state: 'idle' | 'starting' | 'training' | 'done' | 'stopped' | 'error';
  device: string;
  /** Why WebGPU was not used, when it was not. */
  fallbackReason?: string;
  /** The WebGPU adapter trained on (vendor, architecture, description), when WebGPU was used. */
  adapter?: string;
  /** WebGPU kernels dispatched and pipelines compiled during the run (evidence the GPU did the work). */
  gpu?: { dispatches: number; pipelines: number };
  /** The CPU kernels in use (WebAssembly SIMD or the TypeScript reference; threads). */
  cpuKernels?: CpuKernelInfo;
  losses: number[];
  /** Test accuracy after each epoch. */
  accuracy: number[];
  epochs: number;
  seconds: number;
  error?: string;
}

declare global {
  interface Window {
    difflabDemo: DemoState;
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const statusEl = $<HTMLParagraphElement>('status');
const deviceEl = $<HTMLSelectElement>('device');
const epochsEl = $<HTMLInputElement>('epochs');
const trainBtn = $<HTMLButtonElement>('train');
const stopBtn = $<HTMLButtonElement>('stop');

const data: Digits = parseDigits(raw as DigitsJson);
const demo: DemoState = { state: 'idle', device: 'cpu', losses: [], accuracy: [], epochs: 0, seconds: 0 };
window.difflabDemo = demo;
let stopRequested = false;

function setStatus(text: string, error = false): void {
  statusEl.textContent = text;
  statusEl.classList.toggle('error', error);
}

/** Running mean over the last w values, so the noisy mini-batch losses read as a curve. */
function smooth(v: readonly number[], w = 21): number[] {
  let acc = 0;
  return v.map((x, i) => {
    acc += x - (i >= w ? v[i - w]! : 0);
    return acc / Math.min(w, i + 1);
  });
}

function drawPlots(): void {
  const steps = demo.losses.map((_, i) => i + 1);
  $('loss-plot').innerHTML = linePlot(
    [
      { name: 'mini-batch loss', x: steps, y: demo.losses, color: '#b8cfe6' },
      { name: 'running mean', x: steps, y: smooth(demo.losses) },
    ],
    {
      title: `Training loss (${demo.device})`,
      xLabel: 'step',
      yLabel: 'cross-entropy',
      logY: true,
      width: 640,
      height: 360,
    },
  );
  const epochs = demo.accuracy.map((_, i) => i + 1);
  $('accuracy-plot').innerHTML = linePlot([{ name: 'test accuracy', x: epochs, y: demo.accuracy }], {
    title: 'Test accuracy after each epoch',
    xLabel: 'epoch',
    yLabel: 'accuracy',
    yRange: [0, 1],
    width: 640,
    height: 360,
  });
}

async function drawSamples(net: ReturnType<typeof mlp>, params: DenseParams[], device: string): Promise<void> {
  const count = 16;
  const x = data.xTest.slice({ start: 0, stop: count });
  const logits = tidy(() => net.apply(params, x.to(device)).argmax(1));
  const pred = await logits.data();
  logits.dispose();
  const pixels = x.dataSync();
  const labels = data.yTest.dataSync();
  const images = Array.from({ length: count }, (_, i) => ({
    pixels: pixels.subarray(i * 64, (i + 1) * 64),
    width: 8,
    height: 8,
    label: `${pred[i]}${pred[i] === labels[i] ? ' ✓' : ` ✗ (${labels[i]})`}`,
  }));
  $('samples').innerHTML = pixelGrid(images, { columns: 16, scale: 6 });
}

/** 'auto' tries WebGPU and falls back to the CPU, recording why. */
async function chooseDevice(choice: string): Promise<string> {
  if (choice === 'cpu') return 'cpu';
  try {
    const info = await Promise.race([
      initWebGPU(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('initWebGPU timed out after 15 s')), 15_000)),
    ]);
    const { vendor, architecture, description } = info.adapter;
    demo.adapter = [vendor, architecture, description].filter(Boolean).join(' ') || 'unnamed';
    setStatus(`WebGPU adapter: ${demo.adapter}`);
    return 'webgpu';
  } catch (err) {
    if (choice === 'webgpu') throw err;
    demo.fallbackReason = err instanceof Error ? err.message : String(err);
    return 'cpu';
  }
}

const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function train(epochs: number, choice: string): Promise<void> {
  Object.assign(demo, {
    state: 'starting',
    losses: [],
    accuracy: [],
    epochs,
    seconds: 0,
    error: undefined,
    fallbackReason: undefined,
    adapter: undefined,
    gpu: undefined,
  });
  stopRequested = false;
  trainBtn.disabled = true;
  stopBtn.disabled = false;
  try {
    const device = await chooseDevice(choice);
    demo.device = device;
    const xTrain = data.xTrain.to(device);
    const yTrain = data.yTrain.to(device);
    const xTest = data.xTest.to(device);
    const net = mlp([64, 64, 10], { activation: 'relu', key: 0 });
    let params = tree.map<DenseParams[]>((p: Tensor) => p.to(device), net.params);
    const opt = adam({ lr: 3e-3 });
    let state = opt.init(params);
    const n = xTrain.shape[0]!;
    const batch = 64;
    const batches = Math.floor(n / batch);
    const t0 = performance.now();
    let lastDraw = 0;
    let key = random.key(0);
    demo.state = 'training';
    for (let epoch = 0; epoch < epochs && !stopRequested; epoch++) {
      const [k, next] = random.splitN(key);
      key = next!;
      const order = random.permutation(k!, n, { device: 'cpu' }).dataSync();
      for (let b = 0; b < batches && !stopRequested; b++) {
        const r = tidy(() => {
          const idx = tensor(Int32Array.from(order.subarray(b * batch, (b + 1) * batch)), { device });
          const x = xTrain.take(idx, 0);
          const y = yTrain.take(idx, 0);
          const out = opt.step((p: DenseParams[]) => crossEntropy(net.apply(p, x), y), params, state);
          return { params: out.params, state: out.state, loss: out.loss };
        });
        params = r.params;
        state = r.state;
        demo.losses.push((await r.loss.data())[0]!);
        r.loss.dispose();
        if (performance.now() - lastDraw > 150) {
          lastDraw = performance.now();
          drawPlots();
          setStatus(
            `${device}: epoch ${epoch + 1}/${epochs}, step ${b + 1}/${batches}, loss ${demo.losses.at(-1)!.toFixed(4)}`,
          );
        }
        await nextFrame();
      }
      const pred = tidy(() => net.apply(params, xTest).argmax(1));
      const p = await pred.data();
      pred.dispose();
      const y = data.yTest.dataSync();
      demo.accuracy.push(Array.from(p).filter((v, i) => v === y[i]).length / y.length);
      drawPlots();
    }
    demo.seconds = (performance.now() - t0) / 1000;
    await drawSamples(net, params, device);
    if (device === 'webgpu') {
      const { dispatches, pipelines } = webgpuMemory();
      demo.gpu = { dispatches, pipelines };
    }
    demo.cpuKernels = cpuKernels();
    demo.state = stopRequested ? 'stopped' : 'done';
    const note = demo.fallbackReason ? ` (WebGPU unavailable: ${demo.fallbackReason})` : '';
    setStatus(
      `${demo.state === 'done' ? 'Done' : 'Stopped'} on ${device}${note}: test accuracy ${(100 * (demo.accuracy.at(-1) ?? 0)).toFixed(1)}% ` +
        `after ${demo.accuracy.length} epoch(s), ${demo.seconds.toFixed(1)} s`,
    );
  } catch (err) {
    demo.state = 'error';
    demo.error = err instanceof Error ? err.message : String(err);
    setStatus(`Error: ${demo.error}`, true);
    console.error(err);
  } finally {
    trainBtn.disabled = false;
    stopBtn.disabled = true;
  }
}

trainBtn.addEventListener('click', () => void train(Math.max(1, Number(epochsEl.value) || 8), deviceEl.value));
stopBtn.addEventListener('click', () => {
  stopRequested = true;
});

const query = new URLSearchParams(location.search);
if (query.has('device')) deviceEl.value = query.get('device')!;
if (query.has('epochs')) epochsEl.value = query.get('epochs')!;
drawPlots();
if (query.has('autostart')) void train(Math.max(1, Number(epochsEl.value) || 8), deviceEl.value);
