// Node-only helpers for the example CLIs: progress bars, the digits file, output files and flags.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDigits, type Digits, type DigitsJson } from './digits.js';

export { ProgressBar, type ProgressOptions, type ProgressInfo } from './progress.js';

const DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data');

/** The committed 8x8 digits split (1347 train / 450 test), pixels scaled to [0, 1]. */
export function loadDigits(): Digits {
  return parseDigits(JSON.parse(readFileSync(path.join(DATA_DIR, 'digits.json'), 'utf8')) as DigitsJson);
}

/**
 * Where plots go: `--out <dir>` if given, else `out/` in the directory the command was started
 * from (pnpm and npm pass it as INIT_CWD, so `pnpm start` in an example writes next to it).
 */
export function outDir(argv: readonly string[] = process.argv.slice(2)): string {
  const i = argv.indexOf('--out');
  const dir = i >= 0 && argv[i + 1] ? argv[i + 1]! : path.join(process.env.INIT_CWD ?? process.cwd(), 'out');
  return path.resolve(dir);
}

/** Writes `content` to `dir/name` (creating `dir`) and returns the absolute path. */
export function writeOutput(dir: string, name: string, content: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** True when `--<name>` is among the arguments. */
export function hasFlag(name: string, argv: readonly string[] = process.argv.slice(2)): boolean {
  return argv.includes(`--${name}`);
}

/**
 * Path relative to the directory the command was started from (INIT_CWD under npm/pnpm, else the
 * current directory) when the file is inside it, for printing.
 */
export function displayPath(file: string): string {
  const rel = path.relative(process.env.INIT_CWD ?? process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
