// The 8x8 digits data set (scikit-learn's `load_digits`, 1797 images) with a fixed stratified
// split, as committed in data/digits.json by scripts/fixtures/examples_digits.py.
import { tensor, type Tensor } from '@difflab/tensor';

/** The JSON layout of data/digits.json (pixels are integers 0..pixelMax, row-major). */
export interface DigitsJson {
  width: number;
  height: number;
  classes: number;
  pixelMax: number;
  xTrain: number[];
  yTrain: number[];
  xTest: number[];
  yTest: number[];
}

export interface Digits {
  /** [1347, 64] float32 in [0, 1]. */
  xTrain: Tensor;
  /** [1347] int32 labels 0..9. */
  yTrain: Tensor;
  /** [450, 64] float32 in [0, 1]. */
  xTest: Tensor;
  /** [450] int32. */
  yTest: Tensor;
  width: number;
  height: number;
  classes: number;
}

export function parseDigits(raw: DigitsJson): Digits {
  const d = raw.width * raw.height;
  const images = (px: number[]) => {
    const a = new Float32Array(px.length);
    for (let i = 0; i < px.length; i++) a[i] = px[i]! / raw.pixelMax;
    return tensor(a).reshape([px.length / d, d]);
  };
  return {
    xTrain: images(raw.xTrain),
    yTrain: tensor(Int32Array.from(raw.yTrain)),
    xTest: images(raw.xTest),
    yTest: tensor(Int32Array.from(raw.yTest)),
    width: raw.width,
    height: raw.height,
    classes: raw.classes,
  };
}
