#!/usr/bin/env node
// Doc-comment contract checker (issue 10: "every export has a doc comment with an example").
//
// For each package under packages/ (or the directory names given as arguments) it
//   1. enumerates every export of src/index.ts, following `export *` and re-exports, types included;
//   2. requires a JSDoc comment with an `@example` tag holding a fenced ```ts block on the exported
//      declaration (one overload suffices; for `export { x as y }` the original declaration counts);
//   3. extracts every example block into a virtual module and type-checks all of them in ONE
//      TypeScript program (strict, NodeNext, top-level await allowed) in which `@difflab/<pkg>`
//      resolves to packages/<pkg>/src/index.ts, so examples are checked against the current source
//      without a build. Errors are reported with the owning export and the comment's file:line.
//
// Usage: node scripts/check-doc-examples.mjs [--run] [--quiet] [pkg-dir-name ...]
//   --run    also execute every example (transpiled, `@difflab/*` imports pointed at each
//            package's dist/, so build first) in this process, each bounded by a timeout; a
//            statement annotated `// throws ErrorName` (the README convention) must throw that
//            error class or a subclass
//   --quiet  print only the per-package counts and the problems
//   --verbose  with --run, let the examples' console output through (silenced otherwise)
// Exit status 1 when any export lacks a documented example or any example fails.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// DOC_EXAMPLES_ROOT points the checker at another repository layout (its own test uses a fixture).
const ROOT = path.resolve(
  process.env.DOC_EXAMPLES_ROOT ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
);
const require = createRequire(import.meta.url);
const ts = require('typescript');

const args = process.argv.slice(2);
const runMode = args.includes('--run');
const quiet = args.includes('--quiet');
const verbose = args.includes('--verbose');
const RUN_TIMEOUT_MS = Number(process.env.DOC_EXAMPLE_TIMEOUT_MS ?? 60_000);

const allPackages = readdirSync(path.join(ROOT, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(ROOT, 'packages', d.name, 'src', 'index.ts')))
  .map((d) => d.name)
  .sort();
const requested = args.filter((a) => !a.startsWith('--'));
for (const name of requested) {
  if (!allPackages.includes(name)) {
    console.error(`unknown package directory "${name}" (have: ${allPackages.join(', ')})`);
    process.exit(2);
  }
}
const selected = requested.length ? requested : allPackages;

const rel = (f) => path.relative(ROOT, f).split(path.sep).join('/');

/** Type declaration files the package sources compile against (their tsconfigs name node and webgpu). */
function ambientTypeFiles() {
  const candidates = [];
  for (const pkg of allPackages) {
    const base = path.join(ROOT, 'packages', pkg, 'node_modules');
    candidates.push(path.join(base, '@types', 'node', 'index.d.ts'));
    candidates.push(path.join(base, '@webgpu', 'types', 'dist', 'index.d.ts'));
  }
  const seen = new Map();
  for (const c of candidates) {
    const key = c.split(path.sep).slice(-3).join('/');
    if (!seen.has(key) && existsSync(c)) seen.set(key, c);
  }
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------
// Example extraction: raw comment text, so fenced code keeps its indentation and line numbers.

/**
 * The `@example` fenced ts blocks of one JSDoc node: [{ code, line }] where `line` is the 1-based
 * line in the source file of the block's first code line.
 */
function examplesOf(jsDoc, sourceFile) {
  const text = sourceFile.text.slice(jsDoc.pos, jsDoc.end);
  const startLine = sourceFile.getLineAndCharacterOfPosition(jsDoc.pos).line; // 0-based
  const lines = text.split('\n').map((l) =>
    l
      .replace(/^\s*\/\*\*\s?/, '')
      .replace(/\s*\*\/\s*$/, '')
      .replace(/^\s*\*\s?/, ''),
  );
  const blocks = [];
  let inExample = false;
  let fence = null; // { lang, lines, line }
  let hasExampleTag = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      if (/^\s*```\s*$/.test(line)) {
        if (inExample && /^(ts|typescript)$/i.test(fence.lang))
          blocks.push({ code: fence.lines.join('\n'), line: fence.line });
        fence = null;
      } else fence.lines.push(line);
      continue;
    }
    const open = /^\s*```\s*([\w-]*)/.exec(line);
    if (open) {
      fence = { lang: open[1] ?? '', lines: [], line: startLine + i + 2 };
      continue;
    }
    const tag = /^\s*@(\w+)/.exec(line);
    if (tag) {
      inExample = tag[1] === 'example';
      if (inExample) hasExampleTag = true;
    }
  }
  return { hasExampleTag, blocks };
}

/** The JSDoc nodes that document a declaration (the statement's, for variables). */
function jsDocsOf(decl) {
  let node = decl;
  if (ts.isVariableDeclaration(node)) node = node.parent?.parent ?? node; // VariableStatement
  return (node.jsDoc ?? []).filter((d) => d.kind === ts.SyntaxKind.JSDoc);
}

// ---------------------------------------------------------------------------------------------

const pathsMap = Object.fromEntries(allPackages.map((p) => [`@difflab/${p}`, [`packages/${p}/src/index.ts`]]));
const options = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  allowImportingTsExtensions: false,
  types: [],
  baseUrl: ROOT,
  paths: pathsMap,
};

const t0 = Date.now();
const indexFiles = selected.map((p) => path.join(ROOT, 'packages', p, 'src', 'index.ts'));
const ambient = ambientTypeFiles();

// Pass 1: a program over the package sources only, to enumerate exports and collect examples.
const host = ts.createCompilerHost(options, true);
const virtual = new Map(); // absolute path -> source text of an example module
const origGetSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (fileName, lang, onError, create) => {
  const v = virtual.get(path.resolve(fileName));
  if (v !== undefined) return ts.createSourceFile(fileName, v, lang, true);
  return origGetSourceFile(fileName, lang, onError, create);
};
const origFileExists = host.fileExists.bind(host);
host.fileExists = (f) => virtual.has(path.resolve(f)) || origFileExists(f);
const origReadFile = host.readFile.bind(host);
host.readFile = (f) => virtual.get(path.resolve(f)) ?? origReadFile(f);

const srcProgram = ts.createProgram({ rootNames: [...ambient, ...indexFiles], options, host });
const checker = srcProgram.getTypeChecker();

/** Per package: { name, total, documented, problems: string[], examples: [...] } */
const reports = [];
const exampleByFile = new Map(); // virtual path -> { pkg, exportName, file, line, code }
const declSeen = new Map(); // "file:pos" -> virtual paths of its examples (shared across packages)
// Examples live in a hidden directory under the repository so that NodeNext sees root package.json
// ("type": "module": ESM, top-level await allowed).
const VDIR = path.join(ROOT, '.doc-examples');

for (const pkg of selected) {
  const index = path.join(ROOT, 'packages', pkg, 'src', 'index.ts');
  const sf = srcProgram.getSourceFile(index);
  const report = { name: pkg, total: 0, documented: 0, problems: [], examples: [] };
  reports.push(report);
  const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
  if (!moduleSymbol) {
    report.problems.push(`${rel(index)}: not a module (no exports)`);
    continue;
  }
  const exports = checker.getExportsOfModule(moduleSymbol).sort((a, b) => a.name.localeCompare(b.name));
  for (const exp of exports) {
    const target = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    const decls = (target.declarations ?? []).filter((d) => !ts.isSourceFile(d));
    report.total++;
    if (decls.length === 0) {
      report.problems.push(`${exp.name}: no declaration found`);
      continue;
    }
    const where = (d) => {
      const s = d.getSourceFile();
      return `${rel(s.fileName)}:${s.getLineAndCharacterOfPosition(d.getStart(s)).line + 1}`;
    };
    let best = null; // the declaration whose comment has the most example blocks
    let anyDoc = false;
    let anyTag = false;
    for (const d of decls) {
      const docs = jsDocsOf(d);
      if (docs.length === 0) continue;
      anyDoc = true;
      const doc = docs[docs.length - 1];
      const { hasExampleTag, blocks } = examplesOf(doc, d.getSourceFile());
      anyTag ||= hasExampleTag;
      if (blocks.length && (!best || blocks.length > best.blocks.length)) best = { d, blocks };
    }
    if (!best) {
      const why = !anyDoc
        ? 'no doc comment'
        : !anyTag
          ? 'doc comment has no @example'
          : '@example has no fenced ```ts block';
      report.problems.push(`${exp.name} (${where(decls[0])}): ${why}`);
      continue;
    }
    report.documented++;
    const s = best.d.getSourceFile();
    const key = `${s.fileName}:${best.d.pos}`;
    if (declSeen.has(key)) continue; // re-exported from another package: checked once
    const vfiles = [];
    best.blocks.forEach((b, i) => {
      const relImport = /from\s+['"]\.{1,2}\//.exec(b.code) || /import\s*\(\s*['"]\.{1,2}\//.exec(b.code);
      if (relImport)
        report.problems.push(
          `${exp.name} (${rel(s.fileName)}:${b.line}): example imports a relative path; import from the public package name`,
        );
      const vpath = path.join(VDIR, pkg, `${exp.name}.${i}.ts`);
      // `export {}` keeps an example without imports a module (own scope, top-level await).
      virtual.set(vpath, `${b.code}\nexport {};\n`);
      const info = { pkg, exportName: exp.name, file: s.fileName, line: b.line, code: b.code, vpath };
      exampleByFile.set(vpath, info);
      report.examples.push(info);
      vfiles.push(vpath);
    });
    declSeen.set(key, vfiles);
  }
}
const tEnum = Date.now();

// Pass 2: one program with every example, reusing pass 1's program for the unchanged sources.
const exProgram = ts.createProgram({
  rootNames: [...ambient, ...indexFiles, ...exampleByFile.keys()],
  options,
  host,
  oldProgram: srcProgram,
});
for (const [vpath, info] of exampleByFile) {
  const vsf = exProgram.getSourceFile(vpath);
  const diags = [...exProgram.getSyntacticDiagnostics(vsf), ...exProgram.getSemanticDiagnostics(vsf)];
  const report = reports.find((r) => r.name === info.pkg);
  for (const dg of diags) {
    const msg = ts.flattenDiagnosticMessageText(dg.messageText, '\n    ');
    let line = info.line;
    if (dg.file && dg.start !== undefined) line = info.line + dg.file.getLineAndCharacterOfPosition(dg.start).line;
    report.problems.push(`${info.exportName} (${rel(info.file)}:${line}): example: TS${dg.code}: ${msg}`);
  }
}
const tCheck = Date.now();

/**
 * Wraps each single-line statement annotated `// throws Name` so the example passes only when it
 * throws an error whose class (or a base class) is called Name; documenting a failure mode would
 * otherwise abort the example at that line.
 */
function expectThrows(code) {
  let n = 0;
  const out = code.split('\n').map((line) => {
    const m = /^(\s*)(.*?);\s*\/\/ throws (\w+)/.exec(line);
    if (!m) return line;
    n++;
    const [, ind, stmt, cls] = m;
    return `${ind}__expectThrows(() => { ${stmt}; }, ${JSON.stringify(cls)});`;
  });
  if (!n) return code;
  const helper =
    'function __expectThrows(fn, cls) { try { fn(); } catch (e) { ' +
    'for (let p = Object.getPrototypeOf(e); p; p = Object.getPrototypeOf(p)) if (p.constructor?.name === cls) return; ' +
    'throw e; } throw new Error(`expected ${cls}, but nothing was thrown`); }';
  return `${out.join('\n')}\n${helper}\n`;
}

// --run: execute the examples against the built packages.
if (runMode) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'difflab-doc-examples-'));
  const distUrl = (p) => pathToFileURL(path.join(ROOT, 'packages', p, 'dist', 'index.js')).href;
  // Examples print their results; that output would bury the report, so it is dropped unless asked.
  const saved = { log: console.log, info: console.info, warn: console.warn, table: console.table };
  if (!verbose) for (const k of Object.keys(saved)) console[k] = () => {};
  // A promise an example forgot to await must not kill the run; it is charged to that example.
  let current = null;
  const onStray = (err) => {
    if (!current) return;
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    reports
      .find((r) => r.name === current.pkg)
      .problems.push(
        `${current.exportName} (${rel(current.file)}:${current.line}): unhandled rejection ${msg.split('\n')[0]}`,
      );
  };
  process.on('unhandledRejection', onStray);
  try {
    for (const [vpath, info] of exampleByFile) {
      const report = reports.find((r) => r.name === info.pkg);
      const js = ts
        .transpileModule(expectThrows(virtual.get(vpath)), {
          compilerOptions: {
            module: ts.ModuleKind.ESNext,
            target: ts.ScriptTarget.ES2022,
            verbatimModuleSyntax: false,
          },
        })
        .outputText.replace(/(['"])@difflab\/([\w-]+)\1/g, (m, q, p) => {
          if (!existsSync(path.join(ROOT, 'packages', p, 'dist', 'index.js'))) return m;
          return `${q}${distUrl(p)}${q}`;
        });
      const file = path.join(dir, `${info.pkg}-${path.basename(vpath, '.ts')}.mjs`);
      writeFileSync(file, js);
      current = info;
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${RUN_TIMEOUT_MS} ms`)), RUN_TIMEOUT_MS);
      });
      try {
        await Promise.race([import(pathToFileURL(file).href), timeout]);
      } catch (err) {
        const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        report.problems.push(
          `${info.exportName} (${rel(info.file)}:${info.line}): example threw ${msg.split('\n')[0]}`,
        );
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    Object.assign(console, saved);
    process.off('unhandledRejection', onStray);
    rmSync(dir, { recursive: true, force: true });
  }
}
const tRun = Date.now();

let failed = 0;
for (const r of reports) {
  const status = r.problems.length ? 'FAIL' : 'ok';
  console.log(
    `${`@difflab/${r.name}`.padEnd(18)} ${status.padEnd(4)} documented ${r.documented}/${r.total} exports, ${r.examples.length} example block(s), ${r.problems.length} problem(s)`,
  );
  for (const p of r.problems) console.log(`    ${p}`);
  if (r.problems.length) failed++;
}
if (!quiet) {
  console.log(
    `\n${exampleByFile.size} examples; enumerate ${((tEnum - t0) / 1000).toFixed(1)} s, type-check ${((tCheck - tEnum) / 1000).toFixed(1)} s` +
      (runMode ? `, run ${((tRun - tCheck) / 1000).toFixed(1)} s` : ''),
  );
}
process.exit(failed ? 1 : 0);
