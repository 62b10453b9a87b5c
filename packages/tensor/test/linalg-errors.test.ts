import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  DeviceError,
  GradError,
  LinAlgError,
  ShapeError,
  ValueError,
  grad,
  linalg,
  registerBackend,
  sum,
  tensor,
  zeros,
  type View,
  type Tensor,
} from '../src/index.js';
import { CpuBackend } from '../src/backend/cpu/index.js';
import { randomTensor, spdMatrix } from './linalg-helpers.js';

/** A host-memory device that, like WebGPU, offers no synchronous reads. */
class AsyncOnlyBackend extends CpuBackend {
  kernels?: Record<string, (...args: never[]) => unknown>;
  constructor(name = 'async-only') {
    super();
    (this as { name: string }).name = name;
    (this as { readSync?: unknown }).readSync = undefined;
  }
  peek(t: Tensor): Float64Array {
    return t.storage.data as Float64Array;
  }
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('linalg error cases', () => {
  it('cholesky of a non-positive-definite matrix: LinAlgError naming the op, shape, batch index and minor', () => {
    const bad = tensor(
      [
        [
          [4, 0],
          [0, 1],
        ],
        [
          [1, 2],
          [2, 1],
        ],
      ],
      { dtype: 'float64' },
    );
    const e = thrown(() => linalg.cholesky(bad));
    expect(e).toBeInstanceOf(LinAlgError);
    expect(e.message).toMatch(/^cholesky: /);
    expect(e.message).toContain('[2, 2, 2]');
    expect(e.message).toContain('batch index [1]');
    expect(e.message).toContain('order 2');
    expect(() => linalg.cholesky(tensor([[NaN]], { dtype: 'float64' }))).toThrow(LinAlgError);
  });

  it('non-square input where a square matrix is required: ShapeError', () => {
    const rect = randomTensor([3, 4]);
    for (const f of [
      () => linalg.cholesky(rect),
      () => linalg.inv(rect),
      () => linalg.det(rect),
      () => linalg.slogdet(rect),
      () => linalg.eigh(rect),
      () => linalg.solve(rect, randomTensor([3, 1])),
      () => linalg.triangularSolve(rect, randomTensor([3, 1])),
    ]) {
      const e = thrown(f);
      expect(e).toBeInstanceOf(ShapeError);
      expect(e.message).toContain('[3, 4]');
    }
    expect(() => linalg.svd(randomTensor([4]))).toThrow(ShapeError);
    expect(() => linalg.qr(randomTensor([4]))).toThrow(/at least|matrices/);
  });

  it('mismatched right-hand sides: ShapeError with both shapes', () => {
    const A = spdMatrix(3);
    const e = thrown(() => linalg.solve(A, randomTensor([4, 2])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain('[3, 3]');
    expect(e.message).toContain('[4, 2]');
    expect(() => linalg.triangularSolve(A, randomTensor([2, 2]), { left: false })).toThrow(ShapeError);
    expect(() => linalg.lstsq(randomTensor([5, 3]), randomTensor([4, 1]))).toThrow(ShapeError);
    expect(() => linalg.solve(spdMatrix(3, 1, 1, [2]), randomTensor([3, 3, 1]))).toThrow(ShapeError);
  });

  it('int and bool inputs: DTypeError', () => {
    const i = tensor(
      [
        [2, 1],
        [1, 2],
      ],
      { dtype: 'int32' },
    );
    const b = tensor([
      [true, false],
      [false, true],
    ]);
    for (const x of [i, b]) {
      for (const f of [linalg.cholesky, linalg.inv, linalg.det, linalg.eigh, linalg.svd, linalg.qr] as ((
        x: Tensor,
      ) => unknown)[]) {
        const e = thrown(() => f(x));
        expect(e).toBeInstanceOf(DTypeError);
        expect(e.message).toContain(x.dtype);
      }
      expect(() => linalg.solve(spdMatrix(2), x)).toThrow(DTypeError);
      expect(() => linalg.lstsq(spdMatrix(2), x)).toThrow(DTypeError);
    }
  });

  it('singular systems: LinAlgError from solve, inv and triangularSolve; det/slogdet return 0 / -inf', () => {
    const S = tensor(
      [
        [1, 2],
        [2, 4],
      ],
      { dtype: 'float64' },
    );
    expect(thrown(() => linalg.solve(S, tensor([1, 1], { dtype: 'float64' }))).message).toMatch(/^solve: .*singular/);
    expect(thrown(() => linalg.inv(S))).toBeInstanceOf(LinAlgError);
    expect(
      thrown(() =>
        linalg.triangularSolve(
          tensor(
            [
              [1, 0],
              [3, 0],
            ],
            { dtype: 'float64' },
          ),
          tensor([[1], [1]], { dtype: 'float64' }),
        ),
      ).message,
    ).toMatch(/^triangularSolve: .*singular/);
    expect(linalg.det(S).item()).toBe(0);
    const ge = thrown(() => grad((x: Tensor) => linalg.det(x))(S));
    expect(ge).toBeInstanceOf(LinAlgError);
    expect(ge.message).toMatch(/^det: the gradient at an exactly singular matrix/);
    const { sign, logabsdet } = linalg.slogdet(S);
    expect(sign.item()).toBe(0);
    expect(logabsdet.item()).toBe(-Infinity);
  });

  it('non-finite input to eigh / svd / lstsq: LinAlgError instead of NaN output', () => {
    const bad = tensor(
      [
        [1, NaN],
        [NaN, 1],
      ],
      { dtype: 'float64' },
    );
    expect(() => linalg.eigh(bad)).toThrow(LinAlgError);
    expect(() => linalg.svd(bad)).toThrow(LinAlgError);
    expect(() => linalg.lstsq(bad, tensor([1, 1], { dtype: 'float64' }))).toThrow(LinAlgError);
  });

  it('invalid options: ValueError; undefined gradients: GradError', () => {
    expect(() => linalg.qr(randomTensor([3, 2]), { mode: 'r' as 'reduced' })).toThrow(ValueError);
    expect(() => linalg.lstsq(randomTensor([3, 2]), randomTensor([3]), { rcond: -1 })).toThrow(ValueError);
    const e = thrown(() => grad((x: Tensor) => sum(linalg.qr(x, { mode: 'complete' }).Q))(randomTensor([4, 2])));
    expect(e).toBeInstanceOf(GradError);
    expect(e.message).toContain('[4, 2]');
  });

  it('a device without linalg kernels or synchronous reads: DeviceError', () => {
    registerBackend('async-only', new AsyncOnlyBackend());
    const onDevice = zeros([2, 2], { dtype: 'float64', device: 'async-only' });
    const e = thrown(() => linalg.cholesky(onDevice));
    expect(e).toBeInstanceOf(DeviceError);
    expect(e.message).toContain("'async-only'");
    expect(e.message).toContain('linalg.cholesky');
  });

  it('a device may provide its own kernel under Backend.kernels (used instead of the host path)', () => {
    const calls: string[] = [];
    const dev = new AsyncOnlyBackend('with-kernels');
    dev.kernels = {
      'linalg.det': ((inputs: readonly View[]) => {
        calls.push(`det ${JSON.stringify(inputs[0]!.shape)}`);
        return [dev.fromHost(new Float64Array([42]), 'float64')];
      }) as (...args: never[]) => unknown,
    };
    registerBackend('with-kernels', dev);
    const x = zeros([2, 2], { dtype: 'float64', device: 'with-kernels' });
    const d = linalg.det(x);
    expect(d.device).toBe('with-kernels');
    expect(Array.from(dev.peek(d))).toEqual([42]);
    expect(calls).toEqual(['det [2,2]']);
  });
});
