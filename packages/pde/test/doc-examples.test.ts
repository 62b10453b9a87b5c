/**
 * Keeps the documentation compiling: every ```ts block of README.md and every `@example` of the
 * sources typechecks against the current sources (with '@difflab/pde', '@difflab/tensor' and
 * '@difflab/optim' mapped to their src). Numerical claims of the README are covered by the
 * acceptance and unit tests; running the training snippets here would take minutes.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

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
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    // The package sources import '@difflab/tensor' too: resolve both to src, as tsconfig.json does.
    baseUrl: PKG,
    paths: {
      '@difflab/pde': ['src/index.ts'],
      '@difflab/tensor': ['../tensor/src/index.ts'],
      '@difflab/optim': ['../optim/src/index.ts'],
    },
  };
  const files = new Map<string, Snippet>();
  snippets.forEach((s, i) => files.set(join(PKG, 'test', `__doc_example_${i}.ts`), s));
  const text = (f: string) => `${files.get(f)!.code}\nexport {};\n`;
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => (files.has(f) ? text(f) : readFile(f));
  host.getSourceFile = (f, lang, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, text(f), lang, true) : getSourceFile(f, lang, ...rest);
  const program = ts.createProgram([...files.keys(), join(PKG, 'src', 'index.ts')], options, host);
  const checker = program.getTypeChecker();
  const index = checker.getSymbolAtLocation(program.getSourceFile(join(PKG, 'src', 'index.ts'))!)!;
  const exports = checker.getExportsOfModule(index).map((s) => s.name);
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => {
      const s = files.get(d.file!.fileName)!;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${s.where} (+${line + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
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
