/**
 * FLOP counting (compute/flops.ts): hand-worked convolution and matrix-product counts, and a counted training-style
 * computation on the cpu backend against the closed form of its forward and backward convolutions.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { countFlops, kernelFlops } from '../../../../src/main/engine/compute/flops';
import { ensureGradients } from '../../../../src/main/engine/compute/gradients';

describe('kernelFlops', () => {
  it('counts a 3x3 convolution as 2 * outputs * taps * input channels', () => {
    // [1,4,4,2] -> [1,4,4,3], 3x3 'same': 48 outputs, each 9*2 multiply-adds.
    assert.equal(kernelFlops('Conv2D', { x: [1, 4, 4, 2], filter: [3, 3, 2, 3] }, {}, [1, 4, 4, 3]), 2 * 48 * 18);
    // Stride 2 halves each side: 12 outputs... of [1,2,2,3].
    assert.equal(kernelFlops('Conv2D', { x: [1, 4, 4, 2], filter: [3, 3, 2, 3] }, {}, [1, 2, 2, 3]), 2 * 12 * 18);
  });

  it('counts both conv gradients as the forward convolution they mirror', () => {
    const fwd = kernelFlops('Conv2D', { x: [2, 8, 8, 4], filter: [3, 3, 4, 8] }, {}, [2, 4, 4, 8]);
    const dx = kernelFlops('Conv2DBackpropInput', { dy: [2, 4, 4, 8], filter: [3, 3, 4, 8] }, {}, [2, 8, 8, 4]);
    const dw = kernelFlops(
      'Conv2DBackpropFilter',
      { x: [2, 8, 8, 4], dy: [2, 4, 4, 8] },
      { filterShape: [3, 3, 4, 8] },
      [3, 3, 4, 8],
    );
    assert.deepEqual([dx, dw], [fwd, fwd]);
  });

  it('counts matrix products with either operand transposed, and nothing for element-wise kernels', () => {
    assert.equal(kernelFlops('BatchMatMul', { a: [1, 5, 7], b: [1, 7, 3] }, {}, [1, 5, 3]), 2 * 5 * 3 * 7);
    assert.equal(
      kernelFlops('BatchMatMul', { a: [1, 7, 5], b: [1, 7, 3] }, { transposeA: true }, [1, 5, 3]),
      2 * 5 * 3 * 7,
    );
    assert.equal(kernelFlops('Add', { a: [100], b: [100] }, {}, [100]), 0);
  });
});

describe('countFlops', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await ensureGradients();
  });

  it('counts a conv layer forward and its two gradients, once each, and restores the engine', async () => {
    const [n, h, ci, co] = [3, 6, 2, 4];
    const x = tf.randomNormal<tf.Rank.R4>([n, h, h, ci]);
    const w = tf.randomNormal<tf.Rank.R4>([3, 3, ci, co]);
    const { flops } = await countFlops(async () => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')),
      );
      tf.dispose(g([x, w]));
    });
    const forward = 2 * n * h * h * co * 9 * ci;
    assert.equal(flops, 3 * forward);
    const again = await countFlops(async () => tf.dispose(tf.conv2d(x, w, 1, 'same')));
    assert.equal(again.flops, forward);
    assert.equal(Object.prototype.hasOwnProperty.call(tf.engine(), 'runKernel'), false);
    tf.dispose([x, w]);
  });
});
