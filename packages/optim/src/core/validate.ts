import { ValueError } from '@difflab/tensor';
import type { LearningRate } from './types.js';

/** Hyper-parameter checks; every message starts with the optimizer's name. */

export function checkFinite(op: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: ${key} must be a finite number, got ${String(v)}`);
  return v;
}

export function checkNonNegative(op: string, key: string, v: unknown): number {
  checkFinite(op, key, v);
  if ((v as number) < 0) throw new ValueError(`${op}: ${key} must be >= 0, got ${v}`);
  return v as number;
}

export function checkPositive(op: string, key: string, v: unknown): number {
  checkFinite(op, key, v);
  if ((v as number) <= 0) throw new ValueError(`${op}: ${key} must be > 0, got ${v}`);
  return v as number;
}

/** lo <= v < hi (or <= hi when `closedHi`). */
export function checkRange(op: string, key: string, v: unknown, lo: number, hi: number, closedHi = false): number {
  checkFinite(op, key, v);
  const x = v as number;
  if (x < lo || (closedHi ? x > hi : x >= hi))
    throw new ValueError(`${op}: ${key} must be in [${lo}, ${hi}${closedHi ? ']' : ')'}, got ${x}`);
  return x;
}

export function checkInteger(op: string, key: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new ValueError(`${op}: ${key} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

/** A learning rate: a finite number >= 0 or a schedule function. */
export function checkLr(op: string, lr: unknown, key = 'lr'): LearningRate {
  if (typeof lr === 'function') return lr as LearningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0)
    throw new ValueError(`${op}: ${key} must be a finite number >= 0 or a schedule (step => lr), got ${String(lr)}`);
  return lr;
}

/** The learning rate for the update with 0-based index `count`. */
export function lrAt(op: string, lr: LearningRate, count: number): number {
  if (typeof lr === 'number') return lr;
  const v = lr(count);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    throw new ValueError(`${op}: the learning-rate schedule returned ${String(v)} at step ${count}; expected a finite number >= 0`);
  return v;
}

export function checkBetas(op: string, b1: unknown, b2: unknown): void {
  checkRange(op, 'b1', b1, 0, 1);
  checkRange(op, 'b2', b2, 0, 1);
}
