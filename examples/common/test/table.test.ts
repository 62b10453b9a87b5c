import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSeconds, formatTable } from '../src/table.js';

test('formatTable pads columns, right-aligns numeric columns and rules the header', () => {
  const t = formatTable(
    ['name', 'value'],
    [
      ['a', 0.5],
      ['longer', 12],
    ],
  );
  assert.equal(t, ['name     value', '------  ------', 'a       0.5000', 'longer      12'].join('\n'));
});

test('formatTable writes tiny and huge numbers in exponent form, headers of number columns right-aligned', () => {
  assert.equal(formatTable(['v'], [[1e-5], [123456.7]]), ['      v', '-------', '1.00e-5', '1.23e+5'].join('\n'));
});

test('formatSeconds', () => {
  assert.equal(formatSeconds(12.34), '12.3 s');
  assert.equal(formatSeconds(125), '2 min 05 s');
});
