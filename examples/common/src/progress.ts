// A plain terminal progress bar: redrawn in place on a TTY, a line every 10 % otherwise (CI
// logs, pipes), so both read well. No dependencies.

export interface ProgressOptions {
  /** Shown before the bar. */
  label: string;
  total: number;
  /** Defaults to process.stderr, which keeps stdout clean for results. */
  stream?: NodeJS.WriteStream;
  /** Bar width in characters (default 28). */
  width?: number;
}

export type ProgressInfo = Record<string, string | number>;

function showInfo(info: ProgressInfo | undefined): string {
  if (!info) return '';
  return Object.entries(info)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : Number(v.toPrecision(4))) : v}`)
    .join('  ');
}

function clock(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
}

export class ProgressBar {
  readonly label: string;
  readonly total: number;
  private readonly stream: NodeJS.WriteStream;
  private readonly width: number;
  private readonly tty: boolean;
  private readonly start = performance.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private done = 0;
  private finished = false;

  constructor(opts: ProgressOptions) {
    this.label = opts.label;
    this.total = Math.max(1, opts.total);
    this.stream = opts.stream ?? process.stderr;
    this.width = opts.width ?? 28;
    this.tty = Boolean(this.stream.isTTY) && !process.env.CI;
  }

  /** Seconds since the bar was created. */
  get elapsed(): number {
    return (performance.now() - this.start) / 1000;
  }

  update(done: number, info?: ProgressInfo): void {
    if (this.finished) return;
    this.done = Math.min(done, this.total);
    const now = performance.now();
    if (this.tty) {
      // ~15 redraws per second are plenty and keep the terminal cheap.
      if (now - this.lastDraw < 66 && this.done < this.total) return;
      this.lastDraw = now;
      this.stream.write(`\r\x1b[K${this.render(info)}`);
    } else {
      const decile = Math.floor((10 * this.done) / this.total);
      if (decile > this.lastDecile && decile < 10) {
        this.lastDecile = decile;
        this.stream.write(`${this.render(info)}\n`);
      }
    }
  }

  /** Draws the final state and ends the line. */
  finish(info?: ProgressInfo): void {
    if (this.finished) return;
    this.done = this.total;
    const line = this.render(info, true);
    this.stream.write(this.tty ? `\r\x1b[K${line}\n` : `${line}\n`);
    this.finished = true;
  }

  private render(info: ProgressInfo | undefined, final = false): string {
    const frac = this.done / this.total;
    const filled = Math.round(frac * this.width);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    const t = this.elapsed;
    const eta = final
      ? `${clock(t)} total`
      : `${clock(t)} elapsed, ${clock(frac > 0 ? (t * (1 - frac)) / frac : Infinity)} left`;
    const pct = `${Math.floor(100 * frac)}`.padStart(3);
    const count = `${this.done}/${this.total}`;
    return `${this.label} ${bar} ${pct}% ${count}  ${eta}  ${showInfo(info)}`.trimEnd();
  }
}
