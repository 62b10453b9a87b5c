/** Shape helpers for strided views on the device. */

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d !== 1 && strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/**
 * Drops size-1 axes and merges neighbours that step through memory as one axis, so the kernel's
 * index arithmetic runs over the fewest dimensions (a transposed matrix stays 2-D, a contiguous
 * tensor of any rank becomes 1-D).
 */
export function collapse(shape: readonly number[], strides: readonly number[]): { shape: number[]; strides: number[] } {
  const sh: number[] = [];
  const st: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = sh.length - 1;
    if (last >= 0 && st[last] === strides[i]! * shape[i]!) {
      sh[last]! *= shape[i]!;
      st[last] = strides[i]!;
    } else {
      sh.push(shape[i]!);
      st.push(strides[i]!);
    }
  }
  return { shape: sh, strides: st };
}
