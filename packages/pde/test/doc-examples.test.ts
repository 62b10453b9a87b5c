/**
 * Keeps the documentation compiling: every ```ts block of README.md and every `@example` of the
 * sources typechecks against the current sources (with '@difflab/pde', '@difflab/tensor' and
 * '@difflab/optim' mapped to their src). Numerical claims of the README are covered by the
 * acceptance and unit tests; running the training snippets here would take minutes.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { snippetDiagnostics, snippetProgram } from '../../tensor/test/helpers/doc-blocks.js';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Snippet {
  code: string;
  /** file:line of the opening fence. */
  where: string;
}

function fenced(text: string, file: string, strip: (line: string) => string): Snippet[] {
  const out: Snippet[] = [];
  const lines = text.split('\n').map(strip);
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!.trim())) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !lines[i]!.trim().startsWith('```')) body.push(lines[i]!);
    out.push({ code: body.join('\n'), where: `${file}:${start + 1}` });
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const readme = fenced(readFileSync(join(PKG, 'README.md'), 'utf8'), 'README.md', (l) => l);
// JSDoc lines look like ` * code`; only text inside comments can hold fences.
const examples = sources(join(PKG, 'src')).flatMap((f) =>
  fenced(readFileSync(f, 'utf8'), relative(PKG, f), (l) => l.replace(/^\s*\* ?/, '')),
);

function typecheck(snippets: Snippet[]): { errors: string[]; exports: string[] } {
  const index = join(PKG, 'src', 'index.ts');
  const { program, files } = snippetProgram(
    snippets.map((s) => s.code),
    {
      dir: join(PKG, 'test'),
      prefix: '__doc_example_',
      // The package sources import '@difflab/tensor' too: resolve both to src, as tsconfig.json does.
      options: {
        baseUrl: PKG,
        paths: {
          '@difflab/pde': ['src/index.ts'],
          '@difflab/tensor': ['../tensor/src/index.ts'],
          '@difflab/optim': ['../optim/src/index.ts'],
        },
      },
      roots: [index],
    },
  );
  const checker = program.getTypeChecker();
  const exports = checker
    .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(index)!)!)
    .map((s) => s.name);
  const errors = snippetDiagnostics(program, files).map(
    (d) => `${snippets[d.index]!.where} (+${d.line}): ${d.message}`,
  );
  return { errors, exports };
}

describe('documentation examples', () => {
  it('every snippet typechecks and the README API tables name every export', () => {
    expect(examples.length).toBeGreaterThan(140);
    expect(readme.length).toBeGreaterThan(5);
    const { errors, exports } = typecheck([...readme, ...examples]);
    expect(errors).toEqual([]);
    expect(exports.length).toBeGreaterThan(140);
    const md = readFileSync(join(PKG, 'README.md'), 'utf8');
    expect(exports.filter((name) => !md.includes(`\`${name}\``))).toEqual([]);
  });
});
