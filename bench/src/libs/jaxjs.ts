import { defaultDevice, init, jit, nn, numpy as np, tree, valueAndGrad } from '@jax-js/jax';
import type { MlpData } from '../data.js';
import { concat, type Case, type Library } from './types.js';

type Arr = np.Array;
// A `type` alias (not an interface) so it satisfies jax-js's JsTree constraint.
type Params = { w: Arr[]; b: Arr[] };

/**
 * jax-js arrays are reference counted and every call consumes its arguments, hence the `.ref`s
 * on values used again. Its work is lazy and may be queued, so each run awaits
 * `blockUntilReady()` on its outputs.
 */
function mlpLoss(batch: number) {
  return (p: Params, x: Arr, y1h: Arr): Arr => {
    let h = x;
    for (let l = 0; l < p.w.length; l++) {
      h = np.matmul(h, p.w[l]!).add(p.b[l]!);
      if (l + 1 < p.w.length) h = nn.relu(h);
    }
    return nn
      .logSoftmax(h, -1)
      .mul(y1h)
      .sum()
      .mul(-1 / batch);
  };
}

function sgdStep(lossFn: (p: Params, x: Arr, y: Arr) => Arr, lr: number) {
  const vg = valueAndGrad(lossFn);
  return (p: Params, x: Arr, y: Arr): [Arr, Params] => {
    const [loss, g] = vg(tree.ref(p), x, y) as unknown as [Arr, Params];
    const next = tree.map((pi: Arr, gi: Arr) => pi.sub(gi.mul(lr)), p, g) as unknown as Params;
    return [loss, next];
  };
}

const chainFn = (x: Arr, y: Arr): Arr => nn.sigmoid(np.tanh(x.ref.mul(y.ref).add(0.5)).sub(y)).mul(x);

async function readAll(arrs: Arr[]): Promise<ArrayLike<number>[]> {
  const out: ArrayLike<number>[] = [];
  for (const a of arrs) out.push((await a.ref.data()) as Float32Array);
  return out;
}

function jaxOn(useJit: boolean): Library {
  return {
    label: useJit ? 'jax-js wasm jit' : 'jax-js wasm',

    async init() {
      // Node has no `navigator`, so only the wasm device is requested (webgpu probing would throw).
      await init('wasm');
      defaultDevice('wasm');
    },

    matmul(n, aData, bData) {
      const a = np.array(aData).reshape([n, n]);
      const b = np.array(bData).reshape([n, n]);
      const mm = useJit ? jit((p: Arr, q: Arr) => np.matmul(p, q)) : (p: Arr, q: Arr) => np.matmul(p, q);
      let out: Arr | null = null;
      return {
        async run() {
          out?.dispose();
          out = await mm(a.ref, b.ref).blockUntilReady();
        },
        async check() {
          return (await out!.ref.data()) as Float32Array;
        },
        dispose() {
          tree.dispose([a, b, out]);
          if (useJit) (mm as unknown as { dispose(): void }).dispose();
        },
      };
    },

    chain([r, c], xData, yData) {
      const x = np.array(xData).reshape([r, c]);
      const y = np.array(yData).reshape([r, c]);
      const f = useJit ? jit(chainFn) : chainFn;
      let out: Arr | null = null;
      return {
        async run() {
          out?.dispose();
          out = await f(x.ref, y.ref).blockUntilReady();
        },
        async check() {
          return (await out!.ref.data()) as Float32Array;
        },
        dispose() {
          tree.dispose([x, y, out]);
          if (useJit) (f as unknown as { dispose(): void }).dispose();
        },
      };
    },

    mlp(d: MlpData): Case {
      const s = d.sizes;
      let params: Params = {
        w: d.weights.map((w, l) => np.array(w).reshape([s[l]!, s[l + 1]!])),
        b: d.biases.map((b) => np.array(b)),
      };
      const x = np.array(d.x).reshape([d.batch, s[0]!]);
      const y = np.array(d.yOneHot).reshape([d.batch, s[s.length - 1]!]);
      const plain = sgdStep(mlpLoss(d.batch), d.lr);
      const step = useJit ? jit(plain) : plain;
      let loss: Arr | null = null;
      return {
        async run() {
          loss?.dispose();
          const [l, next] = step(params, x.ref, y.ref) as [Arr, Params];
          params = next;
          loss = l;
          await Promise.all([l.blockUntilReady(), ...(tree.leaves(next) as Arr[]).map((a) => a.blockUntilReady())]);
        },
        async check() {
          const arrs: Arr[] = [loss!];
          for (let l = 0; l < params.w.length; l++) arrs.push(params.w[l]!, params.b[l]!);
          return concat(await readAll(arrs));
        },
        dispose() {
          tree.dispose([params, x, y, loss]);
          if (useJit) (step as unknown as { dispose(): void }).dispose();
        },
      };
    },
  };
}

export const jaxWasm = jaxOn(false);
export const jaxWasmJit = jaxOn(true);
