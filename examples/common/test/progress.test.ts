import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressBar } from '../src/progress.js';

function sink() {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY: false, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream };
}

test('without a terminal the bar prints one line per tenth and a final line', () => {
  const { chunks, stream } = sink();
  const bar = new ProgressBar({ label: 'train', total: 50, stream, width: 10 });
  for (let i = 1; i < 50; i++) bar.update(i, { loss: 1 / i });
  bar.finish({ loss: 0.02 });
  assert.equal(chunks.length, 11);
  assert.match(chunks[0]!, /^train ░{10}\s+2% 1\/50 .* loss 1\n$/);
  assert.match(chunks.at(-1)!, /^train █{10} 100% 50\/50 +0:00 total {2}loss 0\.02\n$/);
  bar.update(10);
  bar.finish();
  assert.equal(chunks.length, 11, 'a finished bar stays finished');
});

test('on a terminal the bar redraws in place', () => {
  const chunks: string[] = [];
  const stream = { isTTY: true, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream;
  const ci = process.env.CI;
  delete process.env.CI;
  try {
    const bar = new ProgressBar({ label: 'x', total: 4, stream, width: 4 });
    bar.update(1);
    bar.finish();
  } finally {
    if (ci !== undefined) process.env.CI = ci;
  }
  assert.equal(chunks.length, 2);
  assert.ok(chunks.every((c) => c.startsWith('\r\x1b[K')));
  assert.ok(chunks[1]!.endsWith('\n'));
});
