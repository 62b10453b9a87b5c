import { describe, expect, it } from 'vitest';
import { grad, mul, sum, type Tensor } from '@difflab/tensor';
import * as L from '../src/index.js';
import { decode, expectClose, fromEncoded, loadFixture, type Encoded } from './helpers/fixtures.js';

interface Case {
  name: string;
  fn: string;
  dtype: 'float32' | 'float64';
  args: string[];
  inputs: Record<string, Encoded>;
  opts: Record<string, unknown>;
  value: { shape: number[]; data: (number | string)[] };
  weight: (number | string)[];
  grads: Record<string, (number | string)[]>;
}

const fixture = loadFixture<{ cases: Case[] }>('losses.json');
const fns = L as unknown as Record<string, (...a: unknown[]) => Tensor>;

function decodeOpts(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts))
    out[k] = v !== null && typeof v === 'object' ? fromEncoded(v as Encoded) : v;
  return out;
}

describe('PyTorch 1.13 parity', () => {
  for (const c of fixture.cases) {
    const label = `${c.fn} / ${c.name} / ${c.opts.reduction} / ${c.dtype}`;
    it(label, () => {
      const fn = fns[c.fn];
      expect(fn, `missing export ${c.fn}`).toBeTypeOf('function');
      const tol = c.dtype === 'float32' ? 1e-5 : 1e-10;
      const inputs = c.args.map((a) => fromEncoded(c.inputs[a]!));
      const opts = decodeOpts(c.opts);
      const out = fn!(...inputs, opts);
      expect(out.shape).toEqual(c.value.shape);
      expect(out.dtype).toBe(c.dtype);
      expectClose(out.dataSync(), c.value.data.map(decode), tol, 'value');
      const diff = Object.keys(c.grads);
      if (diff.length === 0) return;
      const argnums = diff.map((d) => c.args.indexOf(d));
      const w = fromEncoded({ dtype: c.dtype, shape: c.value.shape, data: c.weight });
      const g = grad((...xs: Tensor[]) => sum(mul(fn!(...xs, opts), w)), { argnums })(...inputs) as Tensor[];
      diff.forEach((d, k) => expectClose(g[k]!.dataSync(), c.grads[d]!.map(decode), tol, `grad ${d}`));
    });
  }
});
