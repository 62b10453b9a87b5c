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

const IMPORT = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'@difflab\/tensor';\s*$/gm;

/** Local name -> exported name of every value imported from '@difflab/tensor'. */
function importedValues(code: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of code.matchAll(IMPORT)) {
    if (m[1]) continue;
    for (const part of m[2]!.split(',')) {
      const spec = part.trim();
      if (!spec || spec.startsWith('type ')) continue;
      const [imported, local] = spec.split(/\s+as\s+/);
      names.set((local ?? imported)!.trim(), imported!.trim());
    }
  }
  return names;
}

/**
 * Turns annotated single-line statements into assertions:
 * `expr; // => value`, `const name = expr; // => value` and `expr; // throws ErrorClass`.
 */
function instrument(code: string): string {
  return code
    .split('\n')
    .map((line, i) => {
      const check = /^(\s*)(.*?);\s*\/\/ => (.*)$/.exec(line);
      if (check) {
        const [, ind, stmt, expected] = check;
        const decl = /^(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=/.exec(stmt!);
        const value = decl ? `${stmt}; __check(${decl[1]}` : `__check((${stmt})`;
        return `${ind}${value}, ${JSON.stringify(expected)}, ${i + 1});`;
      }
      const throws = /^(\s*)(.*?);\s*\/\/ throws (\w+)/.exec(line);
      if (throws) {
        const [, ind, stmt, cls] = throws;
        return `${ind}__throws(() => { ${stmt}; }, ${JSON.stringify(cls)}, ${i + 1});`;
      }
      return line;
    })
    .join('\n');
}

function plain(v: unknown): unknown {
  if (v instanceof Tensor) return v.toArray();
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Values printed in the README are rounded: numbers compare to 1e-4 relative. */
function close(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    if (!Number.isFinite(expected)) return actual === expected;
    return Math.abs(actual - expected) <= 1e-4 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(expected))
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => close(actual[i], e));
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length && keys.every((k) => close((actual as any)[k], (expected as any)[k]))
    );
  }
  return actual === expected;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...a: unknown[]) => Promise<void>;

async function runBlock(block: Block): Promise<void> {
  const where = (line: number) => `README.md:${block.line + line}`;
  const __check = (actual: unknown, expectedSrc: string, line: number) => {
    const expected = plain(new Function(`return (${expectedSrc});`)());
    const got = plain(actual);
    if (!close(got, expected)) throw new Error(`${where(line)}: expected ${expectedSrc}, got ${JSON.stringify(got)}`);
  };
  const __throws = (fn: () => void, cls: string, line: number) => {
    const Ctor = (lib as Record<string, unknown>)[cls] as (new (...a: never[]) => Error) | undefined;
    if (!Ctor) throw new Error(`${where(line)}: '${cls}' is not exported by @difflab/tensor`);
    try {
      fn();
    } catch (e) {
      if (e instanceof Ctor) return;
      throw new Error(`${where(line)}: expected ${cls}, got ${String(e)}`);
    }
    throw new Error(`${where(line)}: expected ${cls}, but nothing was thrown`);
  };
  const imports = importedValues(block.code);
  for (const [, name] of imports)
    if (!(name in lib)) throw new Error(`README.md:${block.line}: '${name}' is not exported by @difflab/tensor`);
  const body = instrument(block.code.replace(IMPORT, ''));
  const js = ts.transpileModule(body, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const locals = [...imports.keys()];
  const fn = new AsyncFunction('__check', '__throws', ...locals, js);
  await fn(__check, __throws, ...[...imports.values()].map((n) => (lib as Record<string, unknown>)[n]));
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
      await runBlock(block);
    });
  }
});

/** One program holding the sources and every README block, with '@difflab/tensor' mapped to src. */
function readmeProgram(): { program: ts.Program; files: Map<string, Block> } {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const files = new Map<string, Block>();
  blocks.forEach((b, i) => files.set(join(PKG, 'test', `__readme_block_${i}.ts`), b));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const text = (f: string) =>
    `${files.get(f)!.code.replaceAll("'@difflab/tensor'", "'../src/index.js'")}\nexport {};\n`;
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => (files.has(f) ? text(f) : readFile(f));
  host.getSourceFile = (f, lang, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, text(f), lang) : getSourceFile(f, lang, ...rest);
  return { program: ts.createProgram([...files.keys()], options, host), files };
}

describe('README reference', () => {
  const { program, files } = readmeProgram();

  it('every block typechecks', () => {
    const problems: string[] = [];
    for (const [file, block] of files) {
      const sf = program.getSourceFile(file)!;
      for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
        const { line } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
        problems.push(`README.md:${block.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      }
    }
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
