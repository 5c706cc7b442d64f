/**
 * Our wasm Conv2DBackpropFilter / Conv2DBackpropInput against the cpu backend's reference kernels
 * (dW over each of its im2col and GEMM paths, chosen by channel counts and stride).
 * Only one backend is active at a time, so each case runs on cpu, then on wasm, and compares arrays.
 * IS_TEST makes the engine check every kernel for leaked data ids, so each case is a leak check too.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import {
  registerWasmTrainingKernels,
  unregisterWasmTrainingKernels,
  wasmTrainingKernelsRegistered,
} from '../../../../src/main/engine/compute/wasm-kernels';
import { prng, randInt, size, values, type Pad } from './compare';

interface Case {
  x: [number, number, number, number];
  k: number;
  co: number;
  stride: number;
  pad: Pad;
}

/** dx and dW of sum(conv2d(x, w) * r): the gradient path training uses, through our kernels on wasm. */
function convGrads(c: Case, xv: Float32Array, wv: Float32Array, rv: Float32Array): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.x);
    const w = tf.tensor4d(wv, [c.k, c.k, c.x[3], c.co]);
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
    const y = f(x, w);
    const r = tf.tensor(rv.subarray(0, y.size), y.shape);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), r)))([x, w]);
    return [dx.dataSync() as Float32Array, dw.dataSync() as Float32Array];
  });
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let maxRef = 0;
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
  }
  assert.ok(maxDiff <= 1e-4 * Math.max(1, maxRef), `${what}: max |diff| ${maxDiff} (max |ref| ${maxRef})`);
}

async function onBoth<T>(f: () => T): Promise<{ cpu: T; wasm: T }> {
  await tf.setBackend('cpu');
  const cpu = f();
  await tf.setBackend('wasm');
  return { cpu, wasm: f() };
}

/** 8 random cases for every kernel size x stride x padding kind, within the brief's ranges. */
function gridCases(): Case[] {
  const r = prng(20240611);
  const cases: Case[] = [];
  for (const k of [1, 3, 5]) {
    for (const stride of [1, 2]) {
      for (const kind of ['valid', 'same', 'explicit', 'number'] as const) {
        for (let i = 0; i < 8; i++) {
          const x: Case['x'] = [randInt(r, 1, 3), randInt(r, 5, 9), randInt(r, 5, 9), randInt(r, 1, 3)];
          // Explicit pads up to k so that pads wider than the filter (the crop path) are covered too.
          const p = () => randInt(r, 0, k);
          const pad: Pad =
            kind === 'explicit'
              ? [
                  [0, 0],
                  [p(), p()],
                  [p(), p()],
                  [0, 0],
                ]
              : kind === 'number'
                ? randInt(r, 0, 2)
                : kind;
          cases.push({ x, k, co: randInt(r, 1, 4), stride, pad });
        }
        // dW's other paths: input channels that are multiples of 4 (vector im2col), a single
        // channel (row copies), output channels that are multiples of 8 (our GEMM, not XNNPACK's).
        for (const [ci, co] of [
          [4, randInt(r, 1, 6)],
          [8, 8],
          [1, 16],
          [3, 8],
          [4, 16],
        ]) {
          const x: Case['x'] = [randInt(r, 1, 3), randInt(r, 5, 9), randInt(r, 5, 9), ci];
          const p = () => randInt(r, 0, k);
          const pad: Pad =
            kind === 'explicit'
              ? [
                  [0, 0],
                  [p(), p()],
                  [p(), p()],
                  [0, 0],
                ]
              : kind === 'number'
                ? randInt(r, 0, 2)
                : kind;
          cases.push({ x, k, co, stride, pad });
        }
      }
    }
  }
  // Stride 3 is not used by our models, but the constructions are general; keep them honest.
  cases.push({ x: [2, 9, 8, 2], k: 3, co: 3, stride: 3, pad: 'same' });
  cases.push({ x: [1, 9, 7, 3], k: 1, co: 2, stride: 3, pad: 'valid' });
  return cases;
}

const label = (c: Case) => `x=[${c.x}] k=${c.k} co=${c.co} s=${c.stride} pad=${JSON.stringify(c.pad)}`;

describe('wasm training kernels', () => {
  before(async () => {
    await initBackend('wasm');
    tf.env().set('IS_TEST', true);
  });

  it('match the cpu backend for dx and dW over the shape/stride/padding grid', async () => {
    const cases = gridCases();
    const r = prng(7);
    for (const c of cases) {
      const xv = values(r, size(c.x));
      const wv = values(r, c.k * c.k * c.x[3] * c.co);
      const rv = values(r, c.x[0] * (c.x[1] + 10) * (c.x[2] + 10) * c.co); // pads can grow the output
      const { cpu, wasm } = await onBoth(() => convGrads(c, xv, wv, rv));
      assertClose(wasm[0], cpu[0], `dx ${label(c)}`);
      assertClose(wasm[1], cpu[1], `dW ${label(c)}`);
    }
    assert.ok(cases.length >= 310);
  });

  it('dW over many position blocks (the blocked im2col + GEMM path) matches cpu', async () => {
    const r = prng(23);
    for (const [x, co, stride, pad] of [
      [[8, 20, 20, 16], 8, 1, 'same'],
      [[12, 21, 19, 8], 16, 2, 'valid'],
    ] as [Case['x'], number, number, Pad][]) {
      const c: Case = { x, k: 3, co, stride, pad };
      const xv = values(r, size(c.x));
      const wv = values(r, 9 * x[3] * co);
      const rv = values(r, size(c.x) * co);
      const { cpu, wasm } = await onBoth(() => convGrads(c, xv, wv, rv));
      assertClose(wasm[1], cpu[1], `dW ${label(c)}`);
    }
  });

  it('honour dimRoundingMode with numeric pads (direct kernel calls)', async () => {
    const r = prng(11);
    for (const mode of ['floor', 'ceil', 'round'] as const) {
      const xShape: Case['x'] = [2, 8, 7, 2];
      const fShape: [number, number, number, number] = [3, 3, 2, 3];
      const info = tf.backend_util.computeConv2DInfo(xShape, fShape, 2, 1, 1, mode);
      const attrs = { strides: 2, pad: 1, dataFormat: 'NHWC', dimRoundingMode: mode };
      const xv = values(r, size(xShape));
      const wv = values(r, size(fShape));
      const dyv = values(r, size(info.outShape));
      const run = () =>
        tf.tidy(() => {
          const dy = tf.tensor4d(dyv, info.outShape);
          const dw = tf
            .engine()
            .runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xv, xShape), dy }, { ...attrs, filterShape: fShape });
          const dx = tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy, filter: tf.tensor4d(wv, fShape) },
              { ...attrs, inputShape: xShape },
            );
          return [(dx as tf.Tensor).dataSync() as Float32Array, (dw as tf.Tensor).dataSync() as Float32Array];
        });
      const { cpu, wasm } = await onBoth(run);
      assertClose(wasm[0], cpu[0], `dx rounding=${mode}`);
      assertClose(wasm[1], cpu[1], `dW rounding=${mode}`);
    }
  });

  it('leak no tensors or wasm buffers across repeated backward passes', async () => {
    await tf.setBackend('wasm');
    const r = prng(3);
    const c: Case = { x: [3, 9, 9, 3], k: 3, co: 4, stride: 2, pad: 'same' };
    const xv = values(r, size(c.x));
    const wv = values(r, 3 * 3 * 3 * 4);
    const rv = values(r, size(c.x) * 4);
    convGrads(c, xv, wv, rv); // warm-up: first calls may allocate kernel-side caches
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 5; i++) convGrads(c, xv, wv, rv);
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(tf.backend().numDataIds(), buffers);
  });

  it('reject unsupported attributes with a clear error instead of wrong numbers', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 3, 3, 3]);
    assert.throws(
      () =>
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] },
          ),
      /Conv2DBackpropFilter.*does not support dataFormat 'NCHW'/,
    );
    tf.dispose([x, dy]);
  });

  // Runs before any unregister/register cycle: the built-in was pulled before the backend ran its setup.
  it('hand NCHW dx to the built-in kernel, which gets the numbers right', async () => {
    const r = prng(13);
    const inputShape: Case['x'] = [2, 3, 7, 6]; // N, C, H, W
    const fShape: [number, number, number, number] = [3, 3, 3, 2];
    const info = tf.backend_util.computeConv2DInfo(inputShape, fShape, 2, 1, 'same', undefined, false, 'channelsFirst');
    const dyv = values(r, size(info.outShape));
    const wv = values(r, size(fShape));
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape };
    const { cpu, wasm } = await onBoth(() =>
      tf.tidy(() => {
        const inputs = { dy: tf.tensor4d(dyv, info.outShape), filter: tf.tensor4d(wv, fShape) };
        return tf.engine().runKernel<tf.Tensor>('Conv2DBackpropInput', inputs, attrs).dataSync() as Float32Array;
      }),
    );
    assertClose(wasm, cpu, 'NCHW dx');
  });

  it('train a small conv layer with optimizer.minimize on wasm', async () => {
    await tf.setBackend('wasm');
    const r = prng(5);
    const x = tf.tensor4d(values(r, 4 * 8 * 8 * 2), [4, 8, 8, 2]);
    const target = tf.tensor4d(values(r, 4 * 4 * 4 * 3), [4, 4, 4, 3]);
    const w = tf.variable(tf.tensor4d(values(r, 3 * 3 * 2 * 3), [3, 3, 2, 3]).mul(0.1));
    const opt = tf.train.sgd(0.05);
    const loss = () =>
      tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(target, tf.conv2d(x, w as tf.Tensor4D, 2, 'same'));
    const first = tf.tidy(() => loss().dataSync()[0]);
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) tf.tidy(() => void opt.minimize(loss));
    assert.equal(tf.memory().numTensors, tensors);
    const last = tf.tidy(() => loss().dataSync()[0]);
    assert.ok(last < first * 0.9, `loss ${first} -> ${last}`);
    tf.dispose([x, target, w]);
    opt.dispose();
  });

  it('registers idempotently and can restore the built-in kernels', async () => {
    await tf.setBackend('wasm');
    const r = prng(17);
    const dy = tf.tensor4d(values(r, 2 * 4 * 4 * 3), [2, 4, 4, 3]);
    const filter = tf.tensor4d(values(r, 3 * 3 * 2 * 3), [3, 3, 2, 3]);
    const dx = () =>
      tf.tidy(() => {
        const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 8, 8, 2] };
        return tf
          .engine()
          .runKernel<tf.Tensor>('Conv2DBackpropInput', { dy, filter }, attrs)
          .dataSync() as Float32Array;
      });
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    assert.ok(wasmTrainingKernelsRegistered());
    const ours = tf.getKernel('Conv2DBackpropInput', 'wasm');
    const oursDx = dx();
    unregisterWasmTrainingKernels();
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
    assert.notEqual(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc, ours?.kernelFunc);
    assertClose(oursDx, dx(), 'ours vs built-in dx');
    registerWasmTrainingKernels();
    assert.equal(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc, ours?.kernelFunc);
    tf.dispose([dy, filter]);
  });
});
