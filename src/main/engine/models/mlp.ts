/**
 * A two-hidden-layer perceptron (flatten -> 200 -> 200 -> classes, ReLU), the classic FedAvg MNIST MLP
 * (McMahan et al. 2017, "2NN"). Cheap enough for CPU-only presets.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDef } from '../types';
import { ParamList, defineModel, dense, flatten } from './layers';

export const MLP_HIDDEN = 200;

export function buildMlp(inputShape: [number, number, number], numClasses: number): ModelDef {
  const ps = new ParamList();
  const inDim = inputShape[0] * inputShape[1] * inputShape[2];
  const fc1 = ps.dense('fc1', inDim, MLP_HIDDEN);
  const fc2 = ps.dense('fc2', MLP_HIDDEN, MLP_HIDDEN);
  const fc3 = ps.dense('fc3', MLP_HIDDEN, numClasses);
  const params = ps.specs;
  return defineModel(
    'mlp',
    inputShape,
    numClasses,
    params,
    (p, x) => {
      const h = tf.relu(dense(p, fc1, flatten(x)));
      return tf.relu(dense(p, fc2, h));
    },
    fc3,
  );
}
