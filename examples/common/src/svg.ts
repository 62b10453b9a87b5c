// Tiny dependency-free SVG charts for the examples: line plots and pixel grids. The output is a
// standalone SVG document (a string) that browsers, editors and GitHub render directly.

export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour; defaults cycle through a colour-blind-safe palette. */
  color?: string;
  /** Draw dashed (e.g. a reference or exact solution). */
  dashed?: boolean;
  /** Draw markers instead of a line. */
  markers?: boolean;
}

export interface LinePlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Logarithmic y axis; non-positive values are dropped. */
  logY?: boolean;
  /** Force the y range (before the log transform). */
  yRange?: [number, number];
}

/** Okabe–Ito palette: distinguishable with the common forms of colour blindness. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

let clipCounter = 0;

const MARGIN = { left: 64, right: 16, top: 36, bottom: 48 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/** "Nice" tick positions (1, 2, 5 × 10^k steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

/** Ticks for a log axis spanning 10^lo..10^hi: powers of ten, plus 2× and 5× when that range is short. */
export function logTicks(lo: number, hi: number): number[] {
  const mults = hi - lo < 2.5 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
    for (const m of mults) {
      const v = Number(`${m}e${k}`); // exact decimal, unlike m * 10 ** k for k < 0
      const l = Math.log10(v);
      if (l >= lo - 1e-9 && l <= hi + 1e-9) ticks.push(v);
    }
  }
  return ticks;
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

/** A line plot with axes, ticks, labels and a legend. */
export function linePlot(series: readonly Series[], opts: LinePlotOptions = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  const pw = width - MARGIN.left - MARGIN.right;
  const ph = height - MARGIN.top - MARGIN.bottom;
  const ty = (v: number) => (opts.logY ? Math.log10(v) : v);
  const keep = (v: number) => Number.isFinite(v) && (!opts.logY || v > 0);

  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      if (!keep(s.y[i]!) || !Number.isFinite(s.x[i]!)) continue;
      xs.push(s.x[i]!);
      ys.push(ty(s.y[i]!));
    }
  }
  const [x0, x1] = extent(xs);
  let [y0, y1] = opts.yRange ? [ty(opts.yRange[0]), ty(opts.yRange[1])] : extent(ys);
  if (!opts.yRange && !opts.logY) {
    const pad = (y1 - y0) * 0.05;
    y0 -= pad;
    y1 += pad;
  }
  const px = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0)) * pw;
  const py = (v: number) => MARGIN.top + ph - ((ty(v) - y0) / (y1 - y0)) * ph;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  );
  if (opts.title)
    out.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${esc(opts.title)}</text>`);

  for (const t of niceTicks(x0, x1)) {
    const x = px(t).toFixed(1);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + ph}" stroke="#eee"/>`,
      `<text x="${x}" y="${MARGIN.top + ph + 16}" text-anchor="middle">${fmt(t)}</text>`,
    );
  }
  const yTicks = opts.logY ? logTicks(y0, y1) : niceTicks(y0, y1);
  for (const t of yTicks) {
    const y = py(t).toFixed(1);
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + pw}" y1="${y}" y2="${y}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${y}" dy="4" text-anchor="end">${fmt(t)}</text>`,
    );
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  if (opts.xLabel)
    out.push(`<text x="${MARGIN.left + pw / 2}" y="${height - 10}" text-anchor="middle">${esc(opts.xLabel)}</text>`);
  if (opts.yLabel) {
    const cy = MARGIN.top + ph / 2;
    out.push(`<text x="16" y="${cy}" text-anchor="middle" transform="rotate(-90 16 ${cy})">${esc(opts.yLabel)}</text>`);
  }

  // Unique per document so several plots can be inlined into one HTML page.
  const clipId = `plot-area-${++clipCounter}`;
  out.push(
    `<defs><clipPath id="${clipId}"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}"/></clipPath></defs>`,
    `<g clip-path="url(#${clipId})">`,
  );
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    const pts: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      if (!keep(s.y[i]!) || !Number.isFinite(s.x[i]!)) continue;
      pts.push(`${px(s.x[i]!).toFixed(1)},${py(s.y[i]!).toFixed(1)}`);
    }
    if (s.markers) {
      for (const p of pts) {
        const [cx, cy] = p.split(',');
        out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
      }
    } else if (pts.length > 0) {
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.join(' ')}"/>`);
    }
  });
  out.push('</g>');

  // Legend, top right inside the plot area.
  const lx = MARGIN.left + pw - 10;
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    const y = MARGIN.top + 16 + k * 16;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<line x1="${lx - 24}" x2="${lx}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${lx - 30}" y="${y}" text-anchor="end">${esc(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

export interface PixelImage {
  /** Row-major grey levels in [0, 1] (values outside are clipped). */
  pixels: ArrayLike<number>;
  width: number;
  height: number;
  /** Caption under the image. */
  label?: string;
}

export interface PixelGridOptions {
  title?: string;
  /** Images per row (default: all in one row). */
  columns?: number;
  /** Screen pixels per image pixel (default 8). */
  scale?: number;
  /** Row captions, drawn left of each row. */
  rowLabels?: string[];
}

/** Images as grids of grey squares (black = 1, like ink on paper), with captions. */
export function pixelGrid(images: readonly PixelImage[], opts: PixelGridOptions = {}): string {
  const cols = Math.max(1, Math.min(opts.columns ?? images.length, images.length));
  const rows = Math.ceil(images.length / cols);
  const scale = opts.scale ?? 8;
  const cellW = Math.max(...images.map((im) => im.width)) * scale;
  const cellH = Math.max(...images.map((im) => im.height)) * scale;
  const gap = 10;
  const caption = 16;
  const left = opts.rowLabels ? 90 : gap;
  const top = opts.title ? 30 : gap;
  const width = left + cols * (cellW + gap);
  const height = top + rows * (cellH + caption + gap);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" shape-rendering="crispEdges">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (opts.title)
    out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${esc(opts.title)}</text>`);
  images.forEach((im, k) => {
    const ox = left + (k % cols) * (cellW + gap);
    const oy = top + Math.floor(k / cols) * (cellH + caption + gap);
    for (let r = 0; r < im.height; r++) {
      for (let c = 0; c < im.width; c++) {
        const v = Math.min(1, Math.max(0, im.pixels[r * im.width + c]!));
        const g = Math.round(255 * (1 - v));
        out.push(
          `<rect x="${ox + c * scale}" y="${oy + r * scale}" width="${scale}" height="${scale}" fill="rgb(${g},${g},${g})"/>`,
        );
      }
    }
    out.push(
      `<rect x="${ox}" y="${oy}" width="${im.width * scale}" height="${im.height * scale}" fill="none" stroke="#999"/>`,
    );
    if (im.label)
      out.push(`<text x="${ox + cellW / 2}" y="${oy + cellH + 12}" text-anchor="middle">${esc(im.label)}</text>`);
  });
  opts.rowLabels?.forEach((label, r) => {
    const y = top + r * (cellH + caption + gap) + cellH / 2;
    out.push(`<text x="${left - 8}" y="${y}" text-anchor="end">${esc(label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
