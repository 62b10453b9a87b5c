/**
 * Keeps README.md honest: every ```ts block runs (its `// =>` and `// throws` annotations are
 * asserted), every block typechecks against the sources, and every export of the package is
 * mentioned. A block fenced as ```ts norun is only typechecked (it needs e.g. a GPU).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';
import { Tensor } from '../src/index.js';
import { close, plain, runSnippet, snippetDiagnostics, snippetProgram, tensorToSrc } from './helpers/doc-blocks.js';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const README = readFileSync(join(PKG, 'README.md'), 'utf8');

interface Block {
  code: string;
  /** 1-based line of the opening fence, for failure messages. */
  line: number;
  run: boolean;
}

function readmeBlocks(md: string): Block[] {
  const out: Block[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)(\s+norun)?\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i]!);
    out.push({ code: body.join('\n'), line: start + 1, run: !open[2] });
  }
  return out;
}

const blocks = readmeBlocks(README);

/** Table rows of the form | `name` | method | `expression` (note) | → `value` |. */
function tableExamples(md: string): { expr: string; expected: string; line: number }[] {
  const rows: { expr: string; expected: string; line: number }[] = [];
  md.split('\n').forEach((text, i) => {
    const m = /^\|[^|]*\|[^|]*\|\s*`([^`]+)`[^|]*\|\s*→ `([^`]+)`\s*\|\s*$/.exec(text);
    if (m) rows.push({ expr: m[1]!, expected: m[2]!, line: i + 1 });
  });
  return rows;
}

/** Every export usable as a parameter name (`var` is a keyword; `variance` is the same function). */
const scope = Object.entries(lib).filter(([name]) => name !== 'var');

describe('README examples', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThan(20);
  });

  it('table examples evaluate to the values shown', () => {
    const rows = tableExamples(README);
    expect(rows.length).toBeGreaterThan(50);
    const bad: string[] = [];
    for (const { expr, expected, line } of rows) {
      const got = plain(new Function(...scope.map(([n]) => n), `return (${expr});`)(...scope.map(([, v]) => v)));
      const want = plain(new Function(`return (${expected});`)());
      if (!close(got, want))
        bad.push(`README.md:${line}: ${expr} gave ${JSON.stringify(got)}, README says ${expected}`);
    }
    expect(bad).toEqual([]);
  });

  for (const block of blocks.filter((b) => b.run)) {
    it(`block at README.md:${block.line} runs`, async () => {
      await runSnippet(block.code, (line) => `README.md:${block.line + line}`);
    });
  }
});

/** One program holding the sources and every README block, with '@difflab/tensor' mapped to src. */
function readmeProgram(): { program: ts.Program; files: Map<string, number> } {
  return snippetProgram(
    blocks.map((b) => b.code),
    { dir: join(PKG, 'test'), prefix: '__readme_block_', rewrite: tensorToSrc },
  );
}

describe('README reference', () => {
  const { program, files } = readmeProgram();

  it('every block typechecks', () => {
    const problems = snippetDiagnostics(program, files).map(
      (d) => `README.md:${blocks[d.index]!.line + d.line}: ${d.message.replaceAll('\n', ' ')}`,
    );
    expect(problems).toEqual([]);
  }, 30_000);

  /** Text of the README with `name` looked up as a whole identifier. */
  const mentions = (name: string) => new RegExp(`(^|[^\\w$])${name.replace('$', '\\$')}([^\\w$]|$)`).test(README);

  it('mentions every export, type included', () => {
    const checker = program.getTypeChecker();
    const index = program.getSourceFile(join(PKG, 'src', 'index.ts'))!;
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(index)!).map((s) => s.name);
    expect(exported.length).toBeGreaterThan(200);
    expect(exported.filter((n) => !mentions(n))).toEqual([]);
  });

  it('mentions every namespace member as ns.member', () => {
    const namespaces = { linalg: lib.linalg, fft: lib.fft, random: lib.random, nn: lib.nn, tree: lib.tree };
    const missing = Object.entries(namespaces).flatMap(([ns, obj]) =>
      Object.keys(obj)
        .filter((k) => !README.includes(`${ns}.${k}`))
        .map((k) => `${ns}.${k}`),
    );
    expect(missing).toEqual([]);
  });

  it('mentions every Tensor method and property as .member', () => {
    const names = new Set(Object.getOwnPropertyNames(Tensor.prototype).filter((n) => n !== 'constructor'));
    for (const n of Object.keys(lib.tensor([1]))) if (!n.startsWith('_')) names.add(n);
    const missing = [...names].filter((n) => !new RegExp(`\\.${n.replace('$', '\\$')}\\b`).test(README));
    expect(missing).toEqual([]);
  });
});
