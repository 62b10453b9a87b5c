// Plain-text tables for terminal summaries: columns padded to their widest cell, numbers
// right-aligned, a rule under the header.

export type Cell = string | number;

function show(c: Cell): string {
  if (typeof c === 'string') return c;
  if (Number.isInteger(c)) return String(c);
  return Math.abs(c) >= 1e4 || (c !== 0 && Math.abs(c) < 1e-3) ? c.toExponential(2) : c.toFixed(4);
}

export function formatTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const cells = rows.map((r) => header.map((_, j) => (r[j] === undefined ? '' : show(r[j]!))));
  const numeric = header.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number'));
  const widths = header.map((h, j) => Math.max(h.length, ...cells.map((r) => r[j]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Seconds as "12.3 s" or "2 min 05 s". */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, '0')} s`;
}
