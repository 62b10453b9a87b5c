/**
 * Keeps the API reference of the core (Tensor, errors, dtypes, shapes, ops) honest: every ```ts
 * block under an `@example` tag of those sources typechecks against the current sources and runs,
 * with its `// => value` annotations asserted and `// throws ErrorClass` lines required to throw.
 * `scripts/check-doc-examples.mjs` only typechecks (and runs without checking values), so a wrong
 * value in a comment would otherwise go unnoticed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSnippet, snippetDiagnostics, snippetProgram, tensorToSrc } from './helpers/doc-blocks.js';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = [
  'src/tensor.ts',
  'src/errors.ts',
  'src/dtype.ts',
  'src/shape.ts',
  ...readdirSync(join(PKG, 'src/ops'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `src/ops/${f}`),
];

interface Block {
  code: string;
  /** file:line of the opening fence. */
  where: string;
}

/** The fenced ts blocks inside JSDoc comments (lines look like ` * code`). */
function exampleBlocks(file: string): Block[] {
  const lines = readFileSync(join(PKG, file), 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !/^\s*\*\s*```\s*$/.test(lines[i]!)) body.push(lines[i]!.replace(/^\s*\* ?/, ''));
    out.push({ code: body.join('\n'), where: `${file}:${start + 1}` });
  }
  return out;
}

const blocks = FILES.flatMap(exampleBlocks);

/** Diagnostics of every block, compiled in one strict program with '@difflab/tensor' mapped to src. */
function typecheck(): string[] {
  const { program, files } = snippetProgram(
    blocks.map((b) => b.code),
    { dir: join(PKG, 'test'), prefix: '__core_doc_block_', rewrite: tensorToSrc },
  );
  return snippetDiagnostics(program, files).map((d) => `${blocks[d.index]!.where} +${d.line}: ${d.message}`);
}

describe('core API doc examples', () => {
  it('every documented core file has examples', () => {
    expect(blocks.length).toBeGreaterThan(240);
    for (const f of FILES.filter((f) => !/ops\/(core|index|layout)\.ts$/.test(f)))
      expect(
        blocks.some((b) => b.where.startsWith(`${f}:`)),
        f,
      ).toBe(true);
  });

  it('every example typechecks', () => {
    expect(typecheck()).toEqual([]);
  });

  it('every example runs and shows the values it computes', async () => {
    const failures: string[] = [];
    for (const b of blocks) {
      try {
        await runSnippet(b.code, (line) => (line ? `${b.where} +${line}` : b.where));
      } catch (e) {
        const msg = (e as Error).message ?? String(e);
        failures.push(msg.startsWith(b.where) ? msg : `${b.where}: ${msg}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
