import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tensor, type Tensor } from '@difflab/tensor';

export function loadFixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8')) as T;
}

export interface Digits {
  xTrain: number[][];
  yTrain: number[];
  xTest: number[][];
  yTest: number[];
}

let digitsCache: Digits | null = null;
export function digits(): Digits {
  return (digitsCache ??= loadFixture<Digits>('digits.json'));
}

/** A digits split as tensors: x [n, 64] (float32 unless asked) and int32 labels. */
export function digitsTensors(
  split: 'train' | 'test',
  n?: number,
  dtype: 'float32' | 'float64' = 'float32',
): { x: Tensor; y: Tensor } {
  const d = digits();
  const xs = split === 'train' ? d.xTrain : d.xTest;
  const ys = split === 'train' ? d.yTrain : d.yTest;
  const m = n ?? xs.length;
  return { x: tensor(xs.slice(0, m), { dtype }), y: tensor(ys.slice(0, m), { dtype: 'int32' }) };
}
