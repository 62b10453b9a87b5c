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
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';
import { Tensor } from '../src/index.js';

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

const IMPORT = /^import\s+\{([^}]*)\}\s+from\s+'@difflab\/tensor';\s*$/gm;

/** Local name -> exported name of every value imported from '@difflab/tensor'. */
function importedValues(code: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of code.matchAll(IMPORT)) {
    for (const part of m[1]!.split(',')) {
      const spec = part.trim();
      if (!spec || spec.startsWith('type ')) continue;
      const [imported, local] = spec.split(/\s+as\s+/);
      names.set((local ?? imported)!.trim(), imported!.trim());
    }
  }
  return names;
}

/** `expr; // => value`, `const name = expr; // => value` and `expr; // throws ErrorClass` become checks. */
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

/** Comments show rounded values: numbers compare to 1e-4 relative (absolute below 1). */
function close(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    if (!Number.isFinite(expected)) return actual === expected;
    return Math.abs(actual - expected) <= 1e-4 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(expected))
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => close(actual[i], e));
  return actual === expected;
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...a: unknown[]) => Promise<void>;

async function runBlock(block: Block): Promise<void> {
  const __check = (actual: unknown, expectedSrc: string, line: number) => {
    const expected = plain(new Function(`return (${expectedSrc});`)());
    const got = plain(actual);
    if (!close(got, expected))
      throw new Error(`${block.where} +${line}: expected ${expectedSrc}, got ${JSON.stringify(got)}`);
  };
  const __throws = (fn: () => void, cls: string, line: number) => {
    const Ctor = (lib as Record<string, unknown>)[cls] as (new (...a: never[]) => Error) | undefined;
    if (!Ctor) throw new Error(`${block.where} +${line}: '${cls}' is not exported by @difflab/tensor`);
    try {
      fn();
    } catch (e) {
      if (e instanceof Ctor) return;
      throw new Error(`${block.where} +${line}: expected ${cls}, got ${String(e)}`);
    }
    throw new Error(`${block.where} +${line}: expected ${cls}, but nothing was thrown`);
  };
  const imports = importedValues(block.code);
  for (const [, name] of imports)
    if (!(name in lib)) throw new Error(`${block.where}: '${name}' is not exported by @difflab/tensor`);
  const js = ts.transpileModule(instrument(block.code.replace(IMPORT, '')), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const fn = new AsyncFunction('__check', '__throws', ...imports.keys(), js);
  await fn(__check, __throws, ...[...imports.values()].map((n) => (lib as Record<string, unknown>)[n]));
}

/** Diagnostics of every block, compiled in one strict program with '@difflab/tensor' mapped to src. */
function typecheck(): string[] {
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
  blocks.forEach((b, i) => files.set(join(PKG, 'test', `__core_doc_block_${i}.ts`), b));
  const text = (f: string) =>
    `${files.get(f)!.code.replaceAll("'@difflab/tensor'", "'../src/index.js'")}\nexport {};\n`;
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => (files.has(f) ? text(f) : readFile(f));
  host.getSourceFile = (f, lang, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, text(f), lang) : getSourceFile(f, lang, ...rest);
  const program = ts.createProgram([...files.keys()], options, host);
  // Only the examples' own diagnostics: checking every source file again would triple the time.
  return [...files.keys()]
    .flatMap((f) => {
      const sf = program.getSourceFile(f)!;
      return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    })
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${files.get(d.file!.fileName)!.where} +${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
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
        await runBlock(b);
      } catch (e) {
        const msg = (e as Error).message ?? String(e);
        failures.push(msg.startsWith(b.where) ? msg : `${b.where}: ${msg}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
