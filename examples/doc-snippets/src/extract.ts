// Pulls the runnable code blocks out of the guides and turns their `// =>` annotations into checks.
//
// A block fenced as ```ts or ```js is a snippet: a complete ES module (imports at the top) that
// the test type-checks and runs. Inside it,
//   expr; // => value        asserts that expr equals value (numbers to 4 significant digits,
//                            arrays and objects element-wise);
//   expr; // throws Name     asserts that expr throws an error whose name is Name.
// A block right after a `<!-- snippet: skip -->` line is left alone (used for fragments that
// need context, such as a placeholder loss). ```sh and other languages are never run.

export interface Snippet {
  /** Markdown file the snippet came from (as given). */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: 'ts' | 'js';
  code: string;
}

export function extractSnippets(markdown: string, file: string): Snippet[] {
  const lines = markdown.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|js|typescript|javascript)\s*$/.exec(lines[i]!);
    if (!open) {
      // Skip over other fenced blocks entirely, so a fence inside them cannot confuse us.
      if (/^```/.test(lines[i]!)) {
        const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
        if (end < 0) throw new Error(`${file}:${i + 1}: unterminated code block`);
        i = end;
      }
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}:${i + 1}: unterminated code block`);
    const skip =
      /<!--\s*snippet:\s*skip\s*-->/.test(lines[i - 1] ?? '') ||
      /<!--\s*snippet:\s*skip\s*-->/.test(lines[i - 2] ?? '');
    if (!skip) {
      const lang = open[1]!.startsWith('t') ? 'ts' : 'js';
      out.push({ file, line: i + 1, lang, code: lines.slice(i + 1, end).join('\n') });
    }
    i = end;
  }
  return out;
}

const STATEMENT = /^\s*(const|let|var|import|export|return|if|for|while|function|class|type|interface|await\s+using)\b/;

/**
 * Rewrites `expr; // => value` into `__expect(expr, value, 'file:line');` and
 * `expr; // throws Name` into `__throws(() => expr, 'Name', 'file:line');`. Other lines are kept.
 */
export function instrument(s: Snippet): string {
  return s.code
    .split('\n')
    .map((text, k) => {
      const where = JSON.stringify(`${s.file}:${s.line + 1 + k}`);
      const expect = /^(\s*)(.+?);\s*\/\/ => (.+)$/.exec(text);
      if (expect && !STATEMENT.test(expect[2]!)) return `${expect[1]}__expect(${expect[2]}, ${expect[3]}, ${where});`;
      const throws = /^(\s*)(.+?);\s*\/\/ throws (\w+)\s*$/.exec(text);
      if (throws && !STATEMENT.test(throws[2]!))
        return `${throws[1]}__throws(() => ${throws[2]}, ${JSON.stringify(throws[3])}, ${where});`;
      return text;
    })
    .join('\n');
}
