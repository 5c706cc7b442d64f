/**
 * Our replacements for wasm kernels a training step calls (MaxPoolGrad, transposed BatchMatMul, Sum
 * over leading axes, buffer-sharing Identity/Cast) and the fused conv+bias+ReLU op, against the cpu
 * backend over grids of shapes. IS_TEST makes the engine check every kernel for leaked data ids.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import { conv2dBiasRelu, CONV2D_BIAS_RELU } from '../../../../src/main/engine/compute/fused-conv';
import { simdKernels } from '../../../../src/main/engine/compute/simd-kernels';
import { assertClose, onBoth, prng, randInt, size, values } from './compare';

type Shape4 = [number, number, number, number];

describe('wasm training-step kernels', () => {
  before(async () => {
    await initBackend('wasm');
    tf.env().set('IS_TEST', true);
  });

  it('have their SIMD module available on wasm', () => {
    assert.ok(simdKernels(tf.engine().findBackend('wasm')), 'simd-kernels.ts compiled and bound to the wasm memory');
  });

  it('MaxPoolGrad matches cpu for pool sizes, strides, paddings and channel counts (SIMD and JS paths)', async () => {
    const r = prng(101);
    let cases = 0;
    for (const filter of [2, 3]) {
      for (const stride of [1, 2]) {
        for (const pad of ['valid', 'same'] as const) {
          for (const c of [1, 3, 4, 8]) {
            const shape: Shape4 = [randInt(r, 1, 3), randInt(r, 4, 9), randInt(r, 4, 9), c];
            // Quantised values make ties (several maxima in a window) common: the first must win.
            const xv = values(r, size(shape)).map((v) => Math.round(v * 3) / 3);
            const f = () =>
              tf.tidy(() => {
                const x = tf.tensor4d(xv, shape);
                const y = tf.maxPool(x, filter, stride, pad);
                const dy = tf.tensor(values(prng(size(shape)), y.size), y.shape);
                return tf
                  .grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, filter, stride, pad), dy)))(x)
                  .dataSync() as Float32Array;
              });
            const { cpu, wasm } = await onBoth(f);
            assertClose(wasm, cpu, `maxPool grad x=[${shape}] f=${filter} s=${stride} ${pad}`);
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 32);
  });

  it('MaxPoolGrad on the CNN shapes (2x2 pools of 16 and 32 channels) matches cpu', async () => {
    const r = prng(103);
    for (const shape of [
      [2, 28, 28, 16],
      [3, 14, 14, 32],
      [2, 7, 7, 4],
    ] as Shape4[]) {
      const xv = values(r, size(shape));
      const dyv = values(r, size(shape));
      const f = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(xv, shape);
          const y = tf.maxPool(x, 2, 2, 'valid');
          const dy = tf.tensor(dyv.subarray(0, y.size), y.shape);
          return tf
            .engine()
            .runKernel<tf.Tensor>(
              'MaxPoolGrad',
              { dy, input: x, output: y },
              { filterSize: 2, strides: 2, pad: 'valid' },
            )
            .dataSync() as Float32Array;
        });
      const { cpu, wasm } = await onBoth(f);
      assertClose(wasm, cpu, `MaxPoolGrad [${shape}]`, 0);
    }
  });

  it('BatchMatMul with and without transposes matches cpu, 2-D and batched', async () => {
    const r = prng(202);
    // Column counts that are multiples of 8 take our SIMD GEMM (rows not a multiple of 4 included).
    for (const [batch, m, k, n] of [
      [1, 5, 7, 3],
      [1, 64, 33, 10],
      [3, 4, 6, 5],
      [1, 7, 9, 8],
      [1, 64, 100, 16],
      [1, 1, 5, 24],
      [3, 5, 4, 8],
    ]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const aShape = batch === 1 ? (ta ? [k, m] : [m, k]) : ta ? [batch, k, m] : [batch, m, k];
          const bShape = batch === 1 ? (tb ? [n, k] : [k, n]) : tb ? [batch, n, k] : [batch, k, n];
          const av = values(r, size(aShape));
          const bv = values(r, size(bShape));
          const { cpu, wasm } = await onBoth(() =>
            tf.tidy(() => tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), ta, tb).dataSync() as Float32Array),
          );
          assertClose(wasm, cpu, `matMul b=${batch} [${aShape}]x[${bShape}] tA=${ta} tB=${tb}`);
        }
      }
    }
  });

  it('Sum matches cpu over leading, trailing and mixed axes, with and without keepDims', async () => {
    const r = prng(303);
    const xv = values(r, 3 * 5 * 4 * 8);
    const axesList: (number | number[])[] = [0, [0, 1], [0, 1, 2], [1], [2, 3], [0, 2], -1, [0, 1, 2, 3]];
    for (const shape of [
      [3, 5, 4, 8],
      [3, 5, 4, 6],
      [3, 5, 8, 3],
    ] as Shape4[]) {
      for (const axis of axesList) {
        for (const keepDims of [false, true]) {
          const { cpu, wasm } = await onBoth(() =>
            tf.tidy(() => {
              const y = tf.sum(tf.tensor4d(xv.subarray(0, size(shape)), shape), axis, keepDims);
              return { shape: y.shape, data: y.dataSync() as Float32Array };
            }),
          );
          assert.deepEqual(wasm.shape, cpu.shape);
          assertClose(wasm.data, cpu.data, `sum [${shape}] axis=${JSON.stringify(axis)} keepDims=${keepDims}`);
        }
      }
    }
  });

  it('Identity and same-dtype Cast share the buffer; other casts convert', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = tf.tensor([1.5, -2.5, 3]);
    const buffers = backend.numDataIds();
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    assert.equal(backend.numDataIds(), buffers, 'no new buffer');
    assert.deepEqual([...y.dataSync()], [1.5, -2.5, 3]);
    x.dispose();
    assert.deepEqual([...z.dataSync()], [1.5, -2.5, 3], 'a clone outlives its source');
    const i = tf.cast(z, 'int32');
    assert.equal(i.dtype, 'int32');
    assert.deepEqual([...i.dataSync()], [1, -2, 3]);
    tf.dispose([y, z, i]);
    assert.equal(backend.numDataIds(), buffers - 1);
  });

  it('conv2dBiasRelu: forward and dx/dW/db match the cpu composition over a grid (SIMD and JS paths)', async () => {
    const r = prng(404);
    let cases = 0;
    for (const k of [1, 3]) {
      for (const stride of [1, 2]) {
        for (const pad of ['same', 'valid', 1] as const) {
          for (const co of [3, 4, 8]) {
            const xShape: Shape4 = [randInt(r, 1, 3), randInt(r, 5, 9), randInt(r, 5, 9), randInt(r, 1, 5)];
            const wShape: Shape4 = [k, k, xShape[3], co];
            const [xv, wv, bv] = [values(r, size(xShape)), values(r, size(wShape)), values(r, co)];
            const rv = values(r, size(xShape) * co);
            const f = () =>
              tf.tidy(() => {
                const [x, w, b] = [tf.tensor4d(xv, xShape), tf.tensor4d(wv, wShape), tf.tensor1d(bv)];
                const y = conv2dBiasRelu(x, w, b, stride, pad);
                const rt = tf.tensor(rv.subarray(0, y.size), y.shape);
                const loss = (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
                  tf.sum(tf.mul(conv2dBiasRelu(a as tf.Tensor4D, c as tf.Tensor4D, d, stride, pad), rt));
                const grads = tf.grads(loss)([x, w, b]);
                return [y, ...grads].map((t) => t.dataSync() as Float32Array);
              });
            const { cpu, wasm } = await onBoth(f);
            ['y', 'dx', 'dW', 'db'].forEach((what, i) =>
              assertClose(wasm[i], cpu[i], `${what} x=[${xShape}] k=${k} co=${co} s=${stride} pad=${pad}`),
            );
            cases++;
          }
        }
      }
    }
    assert.equal(cases, 36);
    assert.ok(tf.getKernel(CONV2D_BIAS_RELU, 'wasm'), 'the wasm runs used the fused kernel');
  });

  it('conv2dBiasRelu computes no dx for an input that needs none, and leaks nothing', async () => {
    await tf.setBackend('wasm');
    const r = prng(505);
    const x = tf.tensor4d(values(r, 2 * 6 * 6 * 1), [2, 6, 6, 1]);
    const w = tf.variable(tf.tensor4d(values(r, 9 * 4), [3, 3, 1, 4]));
    const b = tf.variable(tf.tensor1d(values(r, 4)));
    const calls: string[] = [];
    const f = () => tf.sum<tf.Scalar>(conv2dBiasRelu(x, w, b, 1, 'same'));
    tf.dispose(tf.variableGrads(f)); // warm-up
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    const engine = tf.engine();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as is; called via .call(this)
    const original = engine.runKernel;
    engine.runKernel = function (this: typeof engine, name: string, ...rest: unknown[]) {
      calls.push(name);
      return (original as (...a: unknown[]) => unknown).call(this, name, ...rest);
    } as typeof original;
    try {
      const { value, grads } = tf.variableGrads(f);
      tf.dispose([value, ...Object.values(grads)]);
    } finally {
      engine.runKernel = original;
    }
    assert.ok(calls.includes('Conv2DBackpropFilter'));
    assert.ok(!calls.includes('Conv2DBackpropInput'), `kernels run: ${calls.join(', ')}`);
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(tf.backend().numDataIds(), buffers);
    tf.dispose([x, w, b]);
  });
});
