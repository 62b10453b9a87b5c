import { typedArrayFor, type DType, type TypedArray } from '../../dtype.js';

/**
 * Recycles the TypedArrays of disposed CPU tensors. Allocating a fresh TypedArray costs far more
 * than the arithmetic of a cheap kernel (V8 zeroes the memory, registers an external backing
 * store and later has to collect it), and training loops dispose tensors of the same sizes every
 * step (`tidy`), so handing those buffers back to the next kernel makes elementwise ops several
 * times cheaper.
 *
 * Only buffers this pool allocated itself are ever recycled, so memory a caller passed in is
 * never written to behind its back. A disposed tensor's buffer may be reused at once; views
 * obtained earlier (`t.ndarray`) must not be used after `dispose()`.
 */

/** Below this many elements allocation is cheap and pooling is not worth its bookkeeping. */
const MIN_ELEMENTS = 256;
/** Upper bound on idle pooled memory. */
const MAX_IDLE_BYTES = 64 * 1024 * 1024;

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

const idle: Record<DType, Map<number, TypedArray[]>> = {
  float32: new Map(),
  float64: new Map(),
  int32: new Map(),
  bool: new Map(),
};
let idleBytes = 0;
const owned = new WeakSet<TypedArray>();

/**
 * A buffer of `n` elements. `zeroed: false` is for kernels that overwrite every element; a
 * recycled buffer then keeps stale values.
 */
export function takeBuffer(dtype: DType, n: number, zeroed: boolean): TypedArray {
  if (n >= MIN_ELEMENTS) {
    const list = idle[dtype].get(n);
    const buf = list?.pop();
    if (buf) {
      idleBytes -= n * BYTES[dtype];
      if (zeroed) buf.fill(0);
      return buf;
    }
  }
  const buf = typedArrayFor(dtype, n);
  if (n >= MIN_ELEMENTS) owned.add(buf);
  return buf;
}

/** Returns a buffer whose storage was freed; ignored unless this pool allocated it. */
export function giveBuffer(dtype: DType, buf: TypedArray): void {
  if (!owned.has(buf)) return;
  const bytes = buf.length * BYTES[dtype];
  if (bytes > MAX_IDLE_BYTES) return;
  // Evict other sizes (oldest first) rather than refuse: the newest size is the likeliest reused.
  if (idleBytes + bytes > MAX_IDLE_BYTES) evict(idleBytes + bytes - MAX_IDLE_BYTES);
  let list = idle[dtype].get(buf.length);
  if (!list) idle[dtype].set(buf.length, (list = []));
  list.push(buf);
  idleBytes += bytes;
}

function evict(need: number): void {
  for (const dtype of Object.keys(idle) as DType[]) {
    for (const [n, list] of idle[dtype]) {
      while (list.length && need > 0) {
        list.pop();
        const b = n * BYTES[dtype];
        idleBytes -= b;
        need -= b;
      }
      if (!list.length) idle[dtype].delete(n);
      if (need <= 0) return;
    }
  }
}

/** Drops every idle buffer (lets the garbage collector reclaim them). */
export function clearBufferPool(): void {
  for (const dtype of Object.keys(idle) as DType[]) idle[dtype].clear();
  idleBytes = 0;
}

/** Bytes currently held idle by the pool. */
export function idleBufferBytes(): number {
  return idleBytes;
}
