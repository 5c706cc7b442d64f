/**
 * The doctor's conv training-step figure: one step of a small conv net (forward, gradients through
 * tf.variableGrads, an SGD update) on MNIST-shaped inputs, repeated for about `seconds` on the active backend.
 * The loss is read with `await data()` each step, so an asynchronous backend (webgpu, where dataSync does not
 * work) is timed to the end of its work, like the matrix product beside it in doctor.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { trainStepRates, type TrainStepResult } from '../../../shared/compute-bench';

const SIDE = 28;
const CLASSES = 10;

export async function benchmarkTrainStep(seconds: number, batch = 32, filters = 32): Promise<TrainStepResult> {
  const x = tf.randomUniform([batch, SIDE, SIDE, 1], 0, 1, 'float32', 3);
  const labels = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, CLASSES, 'int32', 4), CLASSES));
  const flat = (SIDE - 2) * (SIDE - 2) * filters;
  const vars = [
    tf.variable(tf.randomNormal([3, 3, 1, filters], 0, 0.3, 'float32', 5)),
    tf.variable(tf.zeros([filters])),
    tf.variable(tf.randomNormal([flat, CLASSES], 0, 0.01, 'float32', 6)),
    tf.variable(tf.zeros([CLASSES])),
  ] as const;
  const [w1, b1, w2, b2] = vars;
  const optimizer = tf.train.sgd(0.01);
  try {
    const step = async (): Promise<number> => {
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const h = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'valid'), b1));
          const logits = tf.add(tf.matMul(tf.reshape(h, [batch, flat]), w2 as tf.Tensor2D), b2);
          return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(labels, logits);
        });
        optimizer.applyGradients(grads);
        return value;
      });
      const [v] = await loss.data();
      loss.dispose();
      return v;
    };
    await step(); // warm-up: shaders compile and memory is allocated outside the timed loop
    let steps = 0;
    let loss = NaN;
    const start = performance.now();
    let elapsed = 0;
    do {
      loss = await step();
      steps++;
      elapsed = (performance.now() - start) / 1000;
    } while (elapsed < seconds);
    return { batch, filters, steps, seconds: elapsed, ...trainStepRates(batch, steps, elapsed), loss };
  } finally {
    optimizer.dispose();
    for (const t of [x, labels, ...vars]) t.dispose();
  }
}
