/**
 * The workbench's default small CNN for CPU presets (MNIST-sized input):
 * conv3x3 16 'same' + ReLU + maxpool2, conv3x3 32 'same' + ReLU + maxpool2, dense 64 + ReLU, dense classes.
 * No normalisation layer: it is small enough to train without one, and it is the net `npm run bench` measures.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDef } from '../types';
import { ParamList, convRelu, defineModel, dense, flatten, maxPool2 } from './layers';

export function buildCnn(inputShape: [number, number, number], numClasses: number): ModelDef {
  const [h, w, c] = inputShape;
  const ps = new ParamList();
  const conv1 = ps.conv('conv1', 3, c, 16, true);
  const conv2 = ps.conv('conv2', 3, 16, 32, true);
  const flat = Math.floor(Math.floor(h / 2) / 2) * Math.floor(Math.floor(w / 2) / 2) * 32;
  if (flat === 0) throw new Error(`cnn: input ${h}x${w} is too small for two 2x2 pools`);
  const fc1 = ps.dense('fc1', flat, 64);
  const fc2 = ps.dense('fc2', 64, numClasses);
  const params = ps.specs;
  return defineModel(
    'cnn',
    inputShape,
    numClasses,
    params,
    (p, x) => {
      let y = maxPool2(convRelu(p, conv1, x));
      y = maxPool2(convRelu(p, conv2, y));
      return tf.relu(dense(p, fc1, flatten(y)));
    },
    fc2,
  );
}
