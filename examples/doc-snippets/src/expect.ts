// The checks that instrumented snippets call (see extract.ts).

function close(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    if (!Number.isFinite(expected)) return actual === expected;
    // Four significant digits, as the annotations are written.
    const scale = Math.max(Math.abs(expected), 1e-300);
    return Math.abs(actual - expected) <= 5e-4 * scale + 1e-12;
  }
  if (ArrayBuffer.isView(actual) && !(actual instanceof DataView))
    actual = Array.from(actual as unknown as ArrayLike<number>);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => close(actual[i], e));
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return false;
    const keys = Object.keys(expected);
    return keys.every((k) => close((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return Object.is(actual, expected);
}

export function __expect(actual: unknown, expected: unknown, where: string): void {
  if (!close(actual, expected)) {
    throw new Error(
      `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v))}`,
    );
  }
}

export function __throws(fn: () => unknown, name: string, where: string): void {
  try {
    fn();
  } catch (err) {
    const got = (err as Error)?.name ?? (err as object)?.constructor?.name;
    if (got !== name)
      throw new Error(`${where}: expected ${name} to be thrown, got ${got}: ${(err as Error)?.message}`);
    return;
  }
  throw new Error(`${where}: expected ${name} to be thrown, but nothing was thrown`);
}
