import type { Tensor } from '@difflab/tensor';

/** Observed order of accuracy from errors at successively halved step sizes. */
export function observedOrders(errors: readonly number[], ratio = 2): number[] {
  return errors.slice(1).map((e, i) => Math.log(errors[i]! / e) / Math.log(ratio));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function host(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync() as ArrayLike<number>);
}

/** Last snapshot of a [nt, nx] solution. */
export function lastRow(u: Tensor): Float64Array {
  const d = host(u);
  const nx = u.shape[1]!;
  return d.slice(d.length - nx);
}

export function relL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}
