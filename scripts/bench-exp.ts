import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/main/engine/compute/backend';
import { createOptimizer } from '../src/main/engine/compute/fused-optimizer';
await initBackend('wasm');
const b = tf.backend();
for (let rep = 0; rep < 4; rep++) {
  const v = tf.variable(tf.tensor([1, 2, 3, 4, 5, 6, 7], [7]));
  const opt = createOptimizer({ optimizer: 'adam', lr: 0.5, momentum: 0 }, rep % 2 === 0);
  for (let i = 0; i < 3; i++) tf.tidy(() => {
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(v)) as tf.Scalar, [v]);
    opt.applyGradients([v], grads);
  });
  opt.dispose();
  v.dispose();
  console.log(rep, b.numDataIds(), tf.memory().numTensors);
}
