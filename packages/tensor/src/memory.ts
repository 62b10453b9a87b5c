import { ValueError } from './errors.js';
import type { Tensor } from './tensor.js';

/** Stack of open `tidy` scopes; each collects the tensors created while it is open. */
const scopes: Set<Tensor>[] = [];

export function trackTensor(t: Tensor): void {
  const top = scopes[scopes.length - 1];
  if (top) top.add(t);
}

/** Moves `t` out of the current scope so `tidy` does not dispose it. */
export function keep<T extends Tensor>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

function collectTensors(x: unknown, out: Set<Tensor>, isTensor: (v: unknown) => v is Tensor, seen = new Set<unknown>()): void {
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  if (isTensor(x)) {
    out.add(x);
    return;
  }
  if (Array.isArray(x)) for (const v of x) collectTensors(v, out, isTensor, seen);
  else if (Object.getPrototypeOf(x) === Object.prototype) for (const v of Object.values(x)) collectTensors(v, out, isTensor, seen);
}

let isTensorFn: ((v: unknown) => v is Tensor) | null = null;
export function setTensorPredicate(fn: (v: unknown) => v is Tensor): void {
  isTensorFn = fn;
}

/**
 * Runs `fn` and disposes every tensor it created except those reachable from its result
 * (tensors, arrays and plain objects are searched). Kept tensors move to the enclosing scope.
 * If `fn` throws, everything it created is disposed before the error propagates.
 * Synchronous functions only: an async function would escape the scope at its first await,
 * so a returned Promise is rejected with a ValueError.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise || (typeof result === 'object' && result !== null && typeof (result as { then?: unknown }).then === 'function')) {
    for (const t of scope) t.dispose();
    throw new ValueError('tidy: fn returned a Promise; tidy only tracks synchronous code (await outside, tidy each synchronous step)');
  }
  const kept = new Set<Tensor>();
  collectTensors(result, kept, isTensorFn!);
  for (const t of scope) if (!kept.has(t)) t.dispose();
  const parent = scopes[scopes.length - 1];
  if (parent) for (const t of kept) if (scope.has(t)) parent.add(t);
  return result;
}

/** Disposes every tensor in a pytree (tensor, array or plain object). */
export function dispose(x: unknown): void {
  const all = new Set<Tensor>();
  collectTensors(x, all, isTensorFn!);
  for (const t of all) t.dispose();
}

/** Live storages over all devices; leak tests compare it before and after a loop. */
export const liveStorage = {
  /** Number of storages not yet freed. */
  count: 0,
  /** Their total size in bytes. */
  bytes: 0,
};
