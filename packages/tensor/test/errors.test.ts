import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dl from '../src/index.js';
import {
  AxisError,
  DTypeError,
  DeviceError,
  DifflabError,
  GradError,
  ShapeError,
  ValueError,
  cpuBackend,
  grad,
  registerBackend,
  tensor,
  type Backend,
  type Tensor,
} from '../src/index.js';

type ErrorClass = new (...args: any[]) => DifflabError;

/** Runs `fn`, expecting a DifflabError subclass whose message starts with `op:` and mentions each fragment. */
function expectError(fn: () => unknown, cls: ErrorClass, op: string, ...fragments: string[]): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `${op} should throw ${cls.name}`).toBeInstanceOf(cls);
  expect(err).toBeInstanceOf(DifflabError);
  const msg = (err as Error).message;
  expect(msg.startsWith(`${op}`), `message "${msg}" should start with "${op}"`).toBe(true);
  for (const f of fragments) expect(msg, `message "${msg}" should mention ${f}`).toContain(f);
  expect((err as Error).name).toBe(cls.name);
}

const t23 = () => dl.zeros([2, 3]);
const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });

describe('shape errors name the op and the shapes', () => {
  it('broadcasting, matmul, reshape', () => {
    expectError(() => dl.add(t23(), dl.zeros([4])), ShapeError, 'add:', '[2, 3]', '[4]');
    expectError(
      () => dl.where(tensor([true, false, true]), t23(), dl.zeros([2, 2])),
      ShapeError,
      'where:',
      '[3]',
      '[2, 3]',
      '[2, 2]',
    );
    expectError(() => dl.matmul(t23(), dl.zeros([4, 5])), ShapeError, 'matmul:', '[2, 3]', '[4, 5]');
    expectError(() => dl.matmul(dl.zeros([2, 2, 3]), dl.zeros([3, 3, 1])), ShapeError, 'matmul:', '[2]', '[3]');
    expectError(() => dl.matmul(tensor(1), t23()), ShapeError, 'matmul:', '[]', '[2, 3]');
    expectError(() => dl.reshape(t23(), [4]), ShapeError, 'reshape:', '[2, 3]', '[4]');
    expectError(() => dl.reshape(t23(), [-1, -1]), ShapeError, 'reshape:', '[-1, -1]');
    expectError(() => dl.reshape(t23(), [4, -1]), ShapeError, 'reshape:', '[2, 3]', '[4, -1]');
    expectError(() => dl.broadcastTo(t23(), [3, 3]), ShapeError, 'broadcastTo:', '[2, 3]', '[3, 3]');
  });
  it('joins, splits and indexing', () => {
    expectError(() => dl.concat([t23(), dl.zeros([2, 4])], 0), ShapeError, 'concat:', '[2, 3]', '[2, 4]');
    expectError(() => dl.stack([t23(), dl.zeros([3, 2])]), ShapeError, 'stack:', '[2, 3]', '[3, 2]');
    expectError(() => dl.split(t23(), 2, 1), ShapeError, 'split:', '[2, 3]');
    expectError(() => dl.split(t23(), [1, 1], 1), ShapeError, 'split:', '[2, 3]');
    expectError(() => dl.squeeze(t23(), 0), ShapeError, 'squeeze:', '[2, 3]');
    expectError(() => dl.slice(t23(), 0, 0, 0), ShapeError, 'slice:', '[2, 3]');
    expectError(() => dl.slice(t23(), 2), ShapeError, 'slice:', '[2, 3]');
    expectError(() => dl.gather(t23(), [0, 3], 1), ShapeError, 'gather:', '3', '[2, 3]');
    expectError(() => dl.scatterAdd(t23(), [0, 1, 2], 0, [4, 3]), ShapeError, 'scatterAdd:', '[2, 3]', '[4, 3]');
    expectError(() => dl.takeAlongAxis(t23(), i32([0]), 1), ShapeError, 'takeAlongAxis:', '[1]', '[2, 3]');
    expectError(() => dl.einsum('ij,jk->ik', t23(), dl.zeros([2, 2])), ShapeError, 'einsum:', '[2, 3]', '[2, 2]');
    expectError(() => tensor([[1, 2], [3]]), ShapeError, 'tensor:');
    expectError(() => dl.fromTypedArray(new Float32Array(5), [2, 3]), ShapeError, 'fromTypedArray:', '[2, 3]');
  });
});

describe('dtype errors', () => {
  it('where needs a bool condition; indices must be int32; float-only ops reject ints', () => {
    expectError(() => dl.where(dl.ones([2]), dl.ones([2]), 0), DTypeError, 'where:', 'float32', '[2]');
    expectError(() => dl.gather(t23(), tensor([0, 1]), 0), DTypeError, 'gather:', 'float32', '[2]');
    expectError(() => dl.scatterAdd(t23(), tensor([0, 1]), 0, [2, 3]), DTypeError, 'scatterAdd:', 'float32');
    expectError(() => dl.takeAlongAxis(t23(), dl.zeros([2, 1]), 1), DTypeError, 'takeAlongAxis:', 'float32', '[2, 1]');
    expectError(() => dl.oneHot(tensor([0.5]), 3), DTypeError, 'oneHot:', 'float32', '[1]');
    expectError(() => dl.logicalNot(i32([1])), DTypeError, 'logicalNot:', 'int32', '[1]');
    expectError(() => dl.softmax(i32([1, 2])), DTypeError, 'softmax:', 'int32', '[2]');
    expectError(() => dl.logsumexp(i32([1, 2])), DTypeError, 'logsumexp:', 'int32', '[2]');
    expectError(() => dl.var(i32([1, 2])), DTypeError, 'var:', 'int32', '[2]');
    expectError(() => dl.norm(i32([1, 2])), DTypeError, 'norm:', 'int32', '[2]');
    expectError(() => dl.matmul(tensor([[true]]), tensor([[true]])), DTypeError, 'matmul:', 'bool', '[1, 1]');
    expectError(() => dl.cast(t23(), 'float16' as never), DTypeError, 'cast', 'float16', '[2, 3]');
    expectError(() => dl.zeros([2], { dtype: 'uint8' as never }), DTypeError, 'zeros:', 'uint8');
  });
});

describe('axis errors', () => {
  it('out-of-range and repeated axes name the op, the axis and the shape', () => {
    expectError(() => dl.sum(t23(), 2), AxisError, 'sum:', '2', '[2, 3]');
    expectError(() => dl.mean(t23(), -3), AxisError, 'mean:', '-3', '[2, 3]');
    expectError(() => dl.sum(t23(), [0, -2]), AxisError, 'sum:', 'repeated', '[2, 3]');
    expectError(() => dl.max(t23(), 1.5), AxisError, 'max:', '1.5', '[2, 3]');
    expectError(() => dl.argmax(t23(), 2), AxisError, 'argmax:', '[2, 3]');
    expectError(() => dl.softmax(t23(), 2), AxisError, 'softmax:', '[2, 3]');
    expectError(() => dl.transpose(t23(), [0]), AxisError, 'transpose:', '[2, 3]');
    expectError(() => dl.transpose(t23(), [1, 1]), AxisError, 'transpose:', 'repeated', '[2, 3]');
    expectError(() => dl.expandDims(t23(), 3), AxisError, 'expandDims:', '[2, 3]');
    expectError(() => dl.concat([t23(), t23()], 2), AxisError, 'concat:', '[2, 3]');
    expectError(() => dl.cumsum(t23(), -3), AxisError, 'cumsum:', '[2, 3]');
    expectError(() => dl.flip(t23(), 5), AxisError, 'flip:', '[2, 3]');
    expectError(() => dl.gather(t23(), [0], 2), AxisError, 'gather:', '[2, 3]');
  });
});

describe('value errors', () => {
  it('non-finite, negative or fractional sizes (regression: zeros printed NaN as null and blamed "full")', () => {
    expectError(() => dl.zeros([2, NaN]), ValueError, 'zeros:', '[2, NaN]');
    expectError(() => dl.ones([-1, 2]), ValueError, 'ones:', '[-1, 2]');
    expectError(() => dl.full([Infinity], 1), ValueError, 'full:', '[Infinity]');
    expectError(() => dl.zeros([1.5]), ValueError, 'zeros:', '[1.5]');
    expectError(() => dl.reshape(t23(), [NaN, 6]), ValueError, 'reshape:', '[NaN, 6]', '[2, 3]');
    expectError(() => dl.reshape(t23(), [-2, -3]), ValueError, 'reshape:', '[-2, -3]');
    expectError(() => dl.broadcastTo(t23(), [2, -3]), ValueError, 'broadcastTo:');
    expectError(() => dl.eye(-2), ValueError, 'eye:');
  });
  it('other invalid arguments', () => {
    expectError(() => dl.arange(0, 5, 0), ValueError, 'arange:');
    expectError(() => dl.arange(0, Infinity), ValueError, 'arange:');
    expectError(() => dl.linspace(0, 1, -3), ValueError, 'linspace:');
    expectError(() => t23().item(), ValueError, 'item:', '[2, 3]');
    expectError(() => dl.topk(t23(), 4), ValueError, 'topk:', '[2, 3]');
    expectError(() => dl.oneHot(i32([0, 5]), 3), ValueError, 'oneHot:', '5', '[2]');
    expectError(() => dl.pad(t23(), [[-1, 0]]), ValueError, 'pad:', '[2, 3]');
    expectError(() => dl.slice(t23(), '::0'), ValueError, 'slice:', '[2, 3]');
    expectError(() => dl.slice(t23(), '...', '...'), ValueError, 'slice:', '[2, 3]');
    // An array is not a range: it used to select the whole axis silently.
    expectError(() => dl.slice(t23(), [0, 1] as never), ValueError, 'slice:', '[2, 3]');
    expectError(() => dl.mean(dl.zeros([0])), ValueError, 'mean:', '[0]');
    expectError(() => dl.max(dl.zeros([2, 0]), 1), ValueError, 'max:', '[2, 0]');
    expectError(() => dl.add(t23(), 'x' as never), ValueError, 'add:');
    expectError(() => dl.einsum('ij->k', t23()), ValueError, 'einsum:');
  });
});

describe('autodiff misuse throws GradError', () => {
  const x = dl.ones([3], { dtype: 'float64' });
  it('grad of a non-scalar function, of an integer output, with respect to an int32 input', () => {
    expectError(() => grad((v: Tensor) => dl.mul(v, 2))(x), GradError, 'grad:', '[3]');
    expectError(() => grad((v: Tensor) => dl.argmax(v))(x), GradError, 'grad:', 'int32');
    expectError(() => grad((v: Tensor) => dl.sum(v))(i32([1, 2])), GradError, 'grad:', 'int32', '[2]');
    expectError(() => grad((v: Tensor) => dl.sum(v))(tensor([true])), GradError, 'grad:', 'bool', '[1]');
    expectError(() => grad((v: Tensor) => v.shape.length as never)(x), GradError, 'grad:');
    expectError(() => grad((v: Tensor) => dl.sum(v), { argnums: 1 })(x), GradError, 'grad:', 'argnums');
    expectError(() => grad((_v: unknown) => dl.sum(x))({ a: 1 }), GradError, 'grad:', 'no Tensor');
    expectError(() => grad((v: Tensor) => dl.sum(v) as never, { hasAux: true })(x), GradError, 'grad:', 'aux');
  });
  it('jacobian / jvp / vjp / hvp structure and shape mismatches', () => {
    expectError(() => dl.jacobian((v: Tensor) => dl.argmax(v))(x), GradError, 'jacobian:', 'int32');
    expectError(
      () => dl.jvp((v: Tensor) => v, [x], [dl.ones([2], { dtype: 'float64' })]),
      GradError,
      'jvp:',
      '[2]',
      '[3]',
    );
    expectError(() => dl.jvp((v: Tensor) => v, [x], []), GradError, 'jvp:');
    expectError(() => dl.hvp((v: Tensor) => dl.sum(v), [x], []), GradError, 'hvp:');
    const [, pullback] = dl.vjp((v: Tensor) => dl.mul(v, 2), x);
    expectError(() => pullback(dl.ones([4])), GradError, 'vjp:', '[4]', '[3]');
  });
});

/** A second device: the CPU kernels under another name, so tensors can live on two devices. */
const fake: Backend = Object.create(cpuBackend, { name: { value: 'fake' } });

describe('mixing devices', () => {
  let prev: string;
  beforeAll(() => {
    registerBackend('fake', fake);
    prev = dl.getDefaultDevice();
  });
  afterAll(() => dl.setDefaultDevice(prev));

  it('tensors move between devices and ops run on the second device', () => {
    const a = tensor([1, 2, 3]).to('fake');
    expect(a.device).toBe('fake');
    expect(dl.listDevices()).toContain('fake');
    expect(dl.add(a, a).device).toBe('fake');
    expect(dl.add(a, 1).toArray()).toEqual([2, 3, 4]);
    expect(dl.sum(dl.matmul(a.reshape([3, 1]), a.reshape([1, 3]))).item()).toBe(36);
    // Moving is differentiable: the gradient comes back to the original device.
    const g = grad((v: Tensor) => dl.sum(dl.square(v.to('fake'))))(tensor([1, 2], { dtype: 'float64' })) as Tensor;
    expect(g.device).toBe('cpu');
    expect(g.toArray()).toEqual([2, 4]);
  });

  it('mixing devices throws DeviceError naming the op, devices and shapes', () => {
    const cpu = dl.ones([2, 3]);
    const other = dl.ones([3]).to('fake');
    expectError(() => dl.add(cpu, other), DeviceError, 'add:', 'cpu [2, 3]', 'fake [3]');
    expectError(() => dl.mul(other, cpu), DeviceError, 'mul:', 'cpu', 'fake');
    expectError(() => dl.where(tensor([true, false, true]), other, dl.ones([3])), DeviceError, 'where:', 'fake [3]');
    expectError(() => dl.matmul(cpu, dl.ones([3, 1]).to('fake')), DeviceError, 'matmul:', '[2, 3]', '[3, 1]');
    expectError(() => dl.concat([dl.ones([3]), other]), DeviceError, 'concat:', 'fake [3]');
    expectError(() => dl.einsum('ij,j->i', cpu, other), DeviceError, 'einsum:', 'cpu [2, 3]', 'fake [3]');
    expectError(() => dl.gather(cpu, i32([0]).to('fake'), 0), DeviceError, 'gather:', '[1]', 'fake', 'cpu');
    expectError(
      () => dl.takeAlongAxis(cpu, tensor([[0]], { dtype: 'int32' }).to('fake'), 1),
      DeviceError,
      'takeAlongAxis:',
      'fake',
    );
  });

  it('a device without a sort kernel: DeviceError naming sort and the shape (regression: was a DTypeError)', () => {
    registerBackend('nosort', Object.create(cpuBackend, { name: { value: 'nosort' }, sort: { value: undefined } }));
    expectError(() => dl.sort(tensor([3, 1, 2]).to('nosort')), DeviceError, 'sort:', 'nosort', '[3]');
  });

  it('unknown devices throw DeviceError', () => {
    expectError(() => dl.ones([2]).to('nope'), DeviceError, 'to', 'nope', '[2]');
    expectError(() => dl.zeros([2], { device: 'nope' }), DeviceError, 'zeros:', 'nope');
    expectError(() => dl.setDefaultDevice('nope'), DeviceError, 'setDefaultDevice:', 'nope');
    dl.setDefaultDevice('fake');
    expect(dl.zeros([1]).device).toBe('fake');
    dl.setDefaultDevice('cpu');
  });
});
