/**
 * Minimal-norm displacement from point p onto the hyperplane {z : w.z = b} inside the box [lo, hi]^d:
 * argmin ||delta||_q subject to w.(p + delta) = b and lo <= p + delta <= hi, for q in {inf, 2, 1}.
 * Exact, O(d log d), in float64. When the box cannot reach the hyperplane the displacement that gets
 * closest (every coordinate pushed to its bound in the useful direction) is returned.
 *
 * Each coordinate can only help by moving in the direction s_i = sign(w_i) sign(c), c = b - w.p, by
 * t_i in [0, m_i] (m_i its room to the bound), contributing |w_i| t_i; the problems reduce to:
 * L2: t_i = min(lambda |w_i|, m_i); L-inf: t_i = min(tau, m_i); L1: fill the largest |w_i| first.
 *
 * The projection step of {@link fab}, exported for custom minimum-norm attacks.
 *
 * @param p - the point, length d.
 * @param w - hyperplane normal, length d.
 * @param b - hyperplane offset.
 * @param lo - lower box bound.
 * @param hi - upper box bound.
 * @param q - the norm minimised.
 * @returns The displacement delta (length d), float64.
 *
 * @example
 * ```ts
 * import { projectHyperplaneBox } from '@difflab/attacks';
 * const p = new Float64Array([0.2, 0.6]);
 * const w = new Float64Array([1, -1]);
 * projectHyperplaneBox(p, w, 0, 0, 1, 'l2'); // Float64Array [0.2, -0.2]
 * projectHyperplaneBox(p, w, 0, 0, 1, 'l1'); // Float64Array [0.4, 0]
 * ```
 */
export function projectHyperplaneBox(
  p: Float64Array,
  w: Float64Array,
  b: number,
  lo: number,
  hi: number,
  q: 'linf' | 'l2' | 'l1',
): Float64Array {
  const d = p.length;
  const delta = new Float64Array(d);
  let wp = 0;
  for (let i = 0; i < d; i++) wp += w[i]! * p[i]!;
  const c = b - wp;
  if (c === 0 || !Number.isFinite(c)) return delta;
  const target = Math.abs(c);
  const aw = new Float64Array(d);
  const room = new Float64Array(d);
  const dir = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const s = Math.sign(w[i]!) * Math.sign(c);
    dir[i] = s;
    aw[i] = Math.abs(w[i]!);
    room[i] = s > 0 ? hi - p[i]! : s < 0 ? p[i]! - lo : 0;
    if (!(room[i]! > 0)) room[i] = 0;
  }
  const t = new Float64Array(d);
  let reach = 0;
  for (let i = 0; i < d; i++) reach += aw[i]! * room[i]!;
  if (!(reach > target)) {
    for (let i = 0; i < d; i++) delta[i] = dir[i]! * room[i]!;
    return delta;
  }
  const idx = Array.from({ length: d }, (_, i) => i).filter((i) => aw[i]! > 0 && room[i]! > 0);
  if (q === 'l1') {
    idx.sort((a, bb) => aw[bb]! - aw[a]!);
    let rem = target;
    for (const i of idx) {
      const full = aw[i]! * room[i]!;
      if (full >= rem) {
        t[i] = rem / aw[i]!;
        break;
      }
      t[i] = room[i]!;
      rem -= full;
    }
  } else {
    // g(s) = sum_i |w_i| min(k_i s, m_i) is piecewise linear and increasing in s; walk its
    // breakpoints s_i = m_i / k_i in order (k_i = |w_i| for L2, 1 for L-inf).
    const kk = (i: number) => (q === 'l2' ? aw[i]! : 1);
    idx.sort((a, bb) => room[a]! / kk(a) - room[bb]! / kk(bb));
    let saturated = 0; // sum over saturated coordinates of |w_i| m_i
    let slope = 0; // sum over free coordinates of |w_i| k_i
    for (const i of idx) slope += aw[i]! * kk(i);
    let s = 0;
    for (const i of idx) {
      const bp = room[i]! / kk(i);
      const value = saturated + slope * bp;
      if (value >= target) {
        s = (target - saturated) / slope;
        break;
      }
      saturated += aw[i]! * room[i]!;
      slope -= aw[i]! * kk(i);
      s = bp;
    }
    for (const i of idx) t[i] = Math.min(kk(i) * s, room[i]!);
  }
  for (let i = 0; i < d; i++) delta[i] = dir[i]! * t[i]!;
  return delta;
}
