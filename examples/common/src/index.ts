// Helpers that work in Node and in the browser. Node-only helpers (progress bars, files) are in
// '@difflab-examples/common/node'.
export {
  linePlot,
  pixelGrid,
  niceTicks,
  logTicks,
  PALETTE,
  type Series,
  type LinePlotOptions,
  type PixelImage,
  type PixelGridOptions,
} from './svg.js';
export { formatTable, formatSeconds, type Cell } from './table.js';
export { parseDigits, type Digits, type DigitsJson } from './digits.js';
