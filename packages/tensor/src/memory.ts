import { ValueError } from './errors.js';
import type { Tensor } from './tensor.js';

/** Stack of open `tidy` scopes; each collects the tensors created while it is open. */
const scopes: Set<Tensor>[] = [];

export function trackTensor(t: Tensor): void {
  const top = scopes[scopes.length - 1];
  if (top) top.add(t);
}

/**
 * Exempts a tensor from disposal by the enclosing {@link tidy} scopes (TensorFlow.js's `tf.keep`).
 *
 * Use it for tensors created inside `tidy` that must outlive it without being part of its result
 * (e.g. stored in an outer variable). Outside `tidy` it does nothing.
 *
 * @param t - the tensor to keep.
 * @returns `t` itself.
 *
 * @example
 * ```ts
 * import { tensor, tidy, keep, Tensor } from '@difflab/tensor';
 * let saved: Tensor | undefined;
 * tidy(() => {
 *   saved = keep(tensor([7]));
 *   tensor([8]); // disposed when tidy returns
 * });
 * saved!.isDisposed; // => false
 * ```
 */
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
 * (TensorFlow.js's `tf.tidy`).
 *
 * The result is searched through tensors, arrays and plain objects; kept tensors move to the
 * enclosing scope, so scopes nest. If `fn` throws, everything it created is disposed before the
 * error propagates. Wrap each step of a training loop in `tidy` so device memory does not grow.
 * Synchronous functions only: an async function would escape the scope at its first await.
 *
 * @param fn - synchronous code that creates tensors.
 * @returns what `fn` returns.
 * @throws {ValueError} when `fn` returns a Promise (await outside, tidy each synchronous step).
 *
 * @example
 * ```ts
 * import { tensor, tidy, liveStorage } from '@difflab/tensor';
 * const before = liveStorage.count;
 * const y = tidy(() => tensor([1, 2]).mul(2).add(1)); // intermediates are freed here
 * liveStorage.count - before; // => 1
 * y.toArray(); // => [3, 5]
 * ```
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

/**
 * Disposes every tensor in a pytree (a tensor, array or plain object), like `tf.dispose`.
 *
 * A storage is freed when its last view is disposed; disposing twice is harmless.
 *
 * @param x - a tensor or pytree of tensors; other values are ignored.
 *
 * @example
 * ```ts
 * import { tensor, dispose } from '@difflab/tensor';
 * const params = { w: tensor([1, 2]), b: [tensor([0])] };
 * dispose(params);
 * params.w.isDisposed; // => true
 * params.w.toArray(); // throws DisposedError
 * ```
 */
export function dispose(x: unknown): void {
  const all = new Set<Tensor>();
  collectTensors(x, all, isTensorFn!);
  for (const t of all) t.dispose();
}

/**
 * Counts the live (not yet freed) storages over all devices and their bytes (like
 * `tf.memory().numTensors`); leak tests compare it before and after a loop.
 *
 * Views share storage, so a reshape or slice does not add to the count; the storage goes when its
 * last view is disposed.
 *
 * @example
 * ```ts
 * import { tensor, liveStorage } from '@difflab/tensor';
 * const before = liveStorage.count;
 * const t = tensor([1, 2, 3], { dtype: 'float64' });
 * const v = t.reshape([3, 1]);
 * liveStorage.count - before; // => 1
 * t.dispose();
 * liveStorage.count - before; // => 1
 * v.dispose();
 * liveStorage.count - before; // => 0
 * ```
 */
export const liveStorage = {
  /** Number of storages not yet freed. */
  count: 0,
  /** Their total size in bytes. */
  bytes: 0,
};
