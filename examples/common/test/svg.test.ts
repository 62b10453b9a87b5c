import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linePlot, logTicks, niceTicks, pixelGrid } from '../src/svg.js';

test('niceTicks steps by 1, 2 or 5 times a power of ten and covers the range', () => {
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
  assert.deepEqual(niceTicks(-5, 10), [-5, 0, 5, 10]);
  assert.deepEqual(niceTicks(3, 3), [3]);
});

test('logTicks adds 2x and 5x ticks only on short ranges', () => {
  assert.deepEqual(logTicks(-1, 1), [0.1, 0.2, 0.5, 1, 2, 5, 10]);
  assert.deepEqual(logTicks(-6, 0), [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]);
});

test('linePlot draws one polyline per series through every finite point', () => {
  const svg = linePlot(
    [
      { name: 'a', x: [0, 1, 2], y: [1, 2, 3] },
      { name: 'b <&>', x: [0, 1, 2], y: [3, NaN, 1], dashed: true },
    ],
    { title: 'T', xLabel: 'x', yLabel: 'y' },
  );
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length);
  assert.deepEqual(lines, [3, 2]);
  assert.match(svg, /stroke-dasharray/);
  assert.match(svg, /b &lt;&amp;&gt;/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
});

test('linePlot maps the data range onto the plot area (log axis drops non-positive values)', () => {
  const svg = linePlot([{ name: 's', x: [1, 10], y: [0.01, 1] }], {
    logY: true,
    width: 200,
    height: 200,
    yRange: [0.01, 1],
  });
  const pts = /points="([^"]*)"/
    .exec(svg)![1]!
    .split(' ')
    .map((p) => p.split(',').map(Number));
  // Left and right edges of the plot area (margins 64 and 16), bottom and top (margins 36 and 48).
  assert.deepEqual(pts, [
    [64, 152],
    [184, 36],
  ]);
  const dropped = linePlot([{ name: 's', x: [1, 2, 3], y: [0, -1, 5] }], { logY: true });
  assert.equal(/points="([^"]*)"/.exec(dropped)![1]!.split(' ').length, 1);
});

test('pixelGrid draws every pixel with ink proportional to its value', () => {
  const svg = pixelGrid(
    [
      { pixels: [0, 1, 0.5, 2], width: 2, height: 2, label: 'one' },
      { pixels: [1, 1, 1, 1], width: 2, height: 2 },
    ],
    { columns: 2, scale: 4, rowLabels: ['row'] },
  );
  const fills = [...svg.matchAll(/width="4" height="4" fill="rgb\((\d+),/g)].map((m) => Number(m[1]));
  assert.deepEqual(fills, [255, 0, 128, 0, 0, 0, 0, 0]);
  assert.match(svg, />one</);
  assert.match(svg, />row</);
});
