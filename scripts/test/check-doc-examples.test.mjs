// Tests of scripts/check-doc-examples.mjs against a fixture repository with one package whose
// exports cover each rule: documented and not, @example without a ts fence, overloads, renamed
// re-exports, `export type *`, an example with a type error, one with a relative import, and
// (with --run) one that throws. Run with `node --test scripts/test/`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'check-doc-examples.mjs');
let root;

const FILES = {
  'package.json': JSON.stringify({ name: 'fixture', private: true, type: 'module' }),
  'packages/demo/src/index.ts': `export { inner as renamed } from './inner.js';
export type * from './types.js';

/**
 * Doubles a number.
 *
 * @example
 * \`\`\`ts
 * import { double } from '@difflab/demo';
 * const y: number = double(2); // 4
 * const z = await Promise.resolve(double(y));
 * \`\`\`
 */
export function double(x: number): number;
export function double(x: string): string;
export function double(x: number | string): number | string {
  return typeof x === 'number' ? 2 * x : x + x;
}

/** A constant without an example. */
export const noExample = 1;

export const noDoc = 2;

/**
 * Has an example tag but no fenced ts block.
 *
 * @example
 * noFence(1)
 */
export function noFence(x: number): number {
  return x;
}

/**
 * Its example does not type-check.
 *
 * @example
 * \`\`\`ts
 * import { badType } from '@difflab/demo';
 * const s: string = badType();
 * \`\`\`
 */
export function badType(): number {
  return 1;
}

/**
 * Its example throws when run.
 *
 * @example
 * \`\`\`ts
 * import { throws } from '@difflab/demo';
 * throws();
 * \`\`\`
 */
export function throws(): void {
  throw new RangeError('boom');
}
`,
  'packages/demo/src/inner.ts': `/**
 * Documented under its original name.
 *
 * @example
 *   \`\`\`ts
 *   import { renamed } from '@difflab/demo';
 *   renamed();
 *   \`\`\`
 */
export function inner(): void {}
`,
  'packages/demo/src/types.ts': `/**
 * An options type; its example imports a relative path.
 *
 * @example
 * \`\`\`ts
 * import type { Opts } from './types.js';
 * const o: Opts = { a: 1 };
 * \`\`\`
 */
export interface Opts {
  a: number;
}

export type Undocumented = string;
`,
  // A built "dist" for --run: the same behaviour as the source, in JavaScript.
  'packages/demo/dist/index.js': `export const double = (x) => (typeof x === 'number' ? 2 * x : x + x);
export const noExample = 1;
export const noDoc = 2;
export const noFence = (x) => x;
export const badType = () => 1;
export const throws = () => { throw new RangeError('boom'); };
export const renamed = () => {};
`,
};

function check(...args) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], {
    env: { ...process.env, DOC_EXAMPLES_ROOT: root },
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'doc-examples-fixture-'));
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

test('reports every rule violation with the export and file:line, and exits 1', () => {
  const { status, out } = check();
  assert.equal(status, 1, out);
  // double, renamed, badType, throws and Opts have ts examples; noExample, noDoc, noFence and
  // Undocumented do not.
  assert.match(out, /@difflab\/demo\s+FAIL documented 5\/9 exports, 5 example block\(s\)/);
  assert.match(out, /noExample \(packages\/demo\/src\/index\.ts:21\): doc comment has no @example/);
  assert.match(out, /noDoc \(packages\/demo\/src\/index\.ts:23\): no doc comment/);
  assert.match(out, /noFence \(packages\/demo\/src\/index\.ts:31\): @example has no fenced ```ts block/);
  assert.match(out, /Undocumented \(packages\/demo\/src\/types\.ts:14\): no doc comment/);
  // The type error points at the offending line of the comment, not at the virtual file.
  assert.match(
    out,
    /badType \(packages\/demo\/src\/index\.ts:41\): example: TS2322: Type 'number' is not assignable to type 'string'/,
  );
  assert.match(out, /Opts \(packages\/demo\/src\/types\.ts:6\): example imports a relative path/);
  assert.match(out, /Opts \(packages\/demo\/src\/types\.ts:6\): example: TS2307/);
  // Overloads, a renamed re-export and top-level await are fine.
  assert.doesNotMatch(out, /\bdouble\b/);
  assert.doesNotMatch(out, /\brenamed\b/);
  // Not run without --run.
  assert.doesNotMatch(out, /threw/);
});

test('--run executes the examples against dist and reports the ones that throw', () => {
  const { status, out } = check('--run', 'demo');
  assert.equal(status, 1, out);
  // A run-time failure points at the example's first line.
  assert.match(out, /throws \(packages\/demo\/src\/index\.ts:53\): example threw RangeError: boom/);
  assert.doesNotMatch(out, /double .*threw/);
});

test('an unknown package name is a usage error', () => {
  const { status, out } = check('nope');
  assert.equal(status, 2);
  assert.match(out, /unknown package directory "nope"/);
});
