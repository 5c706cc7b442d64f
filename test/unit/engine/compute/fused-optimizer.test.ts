/**
 * The fused wasm Adam / momentum against tf.train's optimizers on the same small problem: weights
 * after 20 steps agree bit for bit (the fused pass does tf.train's float32 operations in the same
 * order, and wasm float arithmetic is IEEE-exact), including variables whose size is not a multiple
 * of 4 (the JS tail); no leaks.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import { createOptimizer, type OptimizerSettings } from '../../../../src/main/engine/compute/fused-optimizer';
import { assertClose, prng, values } from './compare';

const SHAPES = [[3, 5], [5], [6, 4], [7]] as const;

/** Weights after `steps` steps of a small least-squares problem through a nonlinearity. */
function train(settings: OptimizerSettings, fused: boolean, steps: number): Float32Array[] {
  const r = prng(9);
  const vars = SHAPES.map((s, i) =>
    tf.tidy(() =>
      tf.variable(
        tf.tensor(
          values(
            r,
            s.reduce((a, b) => a * b, 1),
          ),
          [...s],
        ),
        true,
        `v${i}_${fused}_${settings.optimizer}`,
      ),
    ),
  );
  const x = tf.tensor2d(values(r, 6 * 3), [6, 3]);
  const target = tf.tensor2d(values(r, 6 * 4), [6, 4]);
  const opt = createOptimizer(settings, fused);
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const h = tf.relu(tf.add(tf.matMul(x, vars[0] as tf.Tensor2D), vars[1]));
        const y = tf.add(tf.matMul(h, tf.slice(vars[2], [0, 0], [5, 4]) as tf.Tensor2D), tf.sum(vars[3]));
        return tf.mean<tf.Scalar>(tf.square(tf.sub(y, target)));
      }, vars);
      opt.applyGradients(vars, grads);
    });
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  opt.dispose();
  tf.dispose([x, target, ...vars]);
  return out;
}

describe('fused optimizer', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const settings of [
    { optimizer: 'adam', lr: 0.01, momentum: 0 },
    { optimizer: 'sgd', lr: 0.05, momentum: 0.9 },
    { optimizer: 'sgd', lr: 0.05, momentum: 0 },
  ] as OptimizerSettings[]) {
    it(`${settings.optimizer} (momentum ${settings.momentum}) matches tf.train over 20 steps`, () => {
      const ours = train(settings, true, 20);
      const theirs = train(settings, false, 20);
      const initial = train(settings, false, 0);
      ours.forEach((w, i) => {
        assertClose(w, theirs[i], `variable ${i}`, 0);
        assert.ok(
          w.some((v, j) => v !== initial[i][j]),
          `variable ${i} was updated`,
        );
      });
    });
  }

  it('is the fused one on wasm and leaks neither tensors nor buffers', () => {
    const settings: OptimizerSettings = { optimizer: 'adam', lr: 0.01, momentum: 0 };
    train(settings, true, 2);
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    train(settings, true, 3);
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(tf.backend().numDataIds(), buffers);
    assert.equal(createOptimizer(settings).constructor.name, 'FusedOptimizer');
  });
});
