/**
 * Shared machinery of the tests that keep documentation code honest (README blocks, `@example`
 * blocks): compiling many snippets in one TypeScript program, and running a snippet against
 * `@difflab/tensor` with its `// => value` and `// throws ErrorClass` annotations asserted.
 */
import { join } from 'node:path';
import ts from 'typescript';
import * as lib from '../../src/index.js';
import { Tensor } from '../../src/index.js';

/** Strict options every snippet program starts from; callers add module paths. */
export const SNIPPET_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
};

/**
 * One program holding every snippet as a virtual module `<dir>/<prefix><i>.ts` (its text passed
 * through `rewrite`, e.g. to map package names to relative sources), plus `roots`.
 */
export function snippetProgram(
  codes: readonly string[],
  opts: {
    dir: string;
    prefix: string;
    options?: ts.CompilerOptions;
    rewrite?: (code: string) => string;
    roots?: string[];
  },
): { program: ts.Program; files: Map<string, number> } {
  const options = { ...SNIPPET_OPTIONS, ...opts.options };
  const files = new Map<string, number>();
  codes.forEach((_, i) => files.set(join(opts.dir, `${opts.prefix}${i}.ts`), i));
  const rewrite = opts.rewrite ?? ((c: string) => c);
  const text = (f: string) => `${rewrite(codes[files.get(f)!]!)}\nexport {};\n`;
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => (files.has(f) ? text(f) : readFile(f));
  host.getSourceFile = (f, lang, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, text(f), lang) : getSourceFile(f, lang, ...rest);
  return { program: ts.createProgram([...files.keys(), ...(opts.roots ?? [])], options, host), files };
}

/**
 * The snippets' own syntactic and semantic diagnostics (checking every source file again would
 * triple the time), as (snippet index, 1-based line inside the snippet, message).
 */
export function snippetDiagnostics(
  program: ts.Program,
  files: Map<string, number>,
): { index: number; line: number; message: string }[] {
  return [...files].flatMap(([file, index]) => {
    const sf = program.getSourceFile(file)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => ({
      index,
      line: sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
  });
}

/** Points a snippet written against the published name at the sources (from a file in test/). */
export const tensorToSrc = (code: string): string => code.replaceAll("'@difflab/tensor'", "'../src/index.js'");

/** Matches value and type imports from '@difflab/tensor' (group 1 marks `import type`). */
export const TENSOR_IMPORT = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'@difflab\/tensor';\s*$/gm;

/** Local name -> exported name of every value imported from '@difflab/tensor'. */
function importedValues(code: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of code.matchAll(TENSOR_IMPORT)) {
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

/** Tensors and typed arrays as nested plain arrays, for comparison with a written value. */
export function plain(v: unknown): unknown {
  if (v instanceof Tensor) return v.toArray();
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Written values are rounded: numbers compare to 1e-4 relative (absolute below 1). */
export function close(actual: unknown, expected: unknown): boolean {
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

/**
 * Runs a snippet with its '@difflab/tensor' imports bound to the sources; `at(line)` names a
 * line of the snippet (1-based, 0 for the snippet itself) in failure messages.
 */
export async function runSnippet(code: string, at: (line: number) => string): Promise<void> {
  const __check = (actual: unknown, expectedSrc: string, line: number) => {
    const expected = plain(new Function(`return (${expectedSrc});`)());
    const got = plain(actual);
    if (!close(got, expected)) throw new Error(`${at(line)}: expected ${expectedSrc}, got ${JSON.stringify(got)}`);
  };
  const __throws = (fn: () => void, cls: string, line: number) => {
    const Ctor = (lib as Record<string, unknown>)[cls] as (new (...a: never[]) => Error) | undefined;
    if (!Ctor) throw new Error(`${at(line)}: '${cls}' is not exported by @difflab/tensor`);
    try {
      fn();
    } catch (e) {
      if (e instanceof Ctor) return;
      throw new Error(`${at(line)}: expected ${cls}, got ${String(e)}`);
    }
    throw new Error(`${at(line)}: expected ${cls}, but nothing was thrown`);
  };
  const imports = importedValues(code);
  for (const [, name] of imports)
    if (!(name in lib)) throw new Error(`${at(0)}: '${name}' is not exported by @difflab/tensor`);
  // Import lines become blank lines (not removed) so reported line numbers stay those of the snippet.
  const body = code.replace(TENSOR_IMPORT, (m) => m.replace(/[^\n]/g, ''));
  const js = ts.transpileModule(instrument(body), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  const fn = new AsyncFunction('__check', '__throws', ...imports.keys(), js);
  await fn(__check, __throws, ...[...imports.values()].map((n) => (lib as Record<string, unknown>)[n]));
}
