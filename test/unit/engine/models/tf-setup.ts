/**
 * Test setup for the model tests: the pure-JS cpu backend, plus tfjs-core's gradient registrations.
 * tfjs-core's Node entry (dist/tf-core.node.js) registers no gradients; its dist/register_all_gradients.js
 * is ESM with extensionless imports that Node's ESM resolver rejects, so it is loaded through require
 * (tsx transforms it). The gradient and kernel registries are global, so this copy's registrations serve
 * the main copy's engine too.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRequire } from 'node:module';
import type { ModelDef } from '../../../../src/main/engine/types';
import { initWeights } from '../../../../src/main/engine/models/init';
import { createRng } from '../../../../src/main/engine/rng';

createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients');
tf.env().set('IS_TEST', true); // silences the "install tfjs-node" banner
await tf.setBackend('cpu');

export { tf };

/** Weights as tensors in ParamSpec order, from a seeded init. */
export function weightTensors(def: ModelDef, seed = 1): tf.Tensor[] {
  return initWeights(def.params, createRng(seed)).map((a, i) => tf.tensor(a, def.params[i].shape));
}

export function randomBatch(n: number, shape: [number, number, number], seed = 7): tf.Tensor4D {
  return tf.randomUniform<tf.Rank.R4>([n, ...shape], 0, 1, 'float32', seed);
}

/** Softmax cross-entropy against labels 0..n-1 (mod classes), averaged. */
export function xentLoss(logits: tf.Tensor2D): tf.Scalar {
  const [n, k] = logits.shape;
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: n }, (_, i) => i % k),
      'int32',
    ),
    k,
  );
  return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

/** L2 norms of d(loss)/d(param) for every parameter tensor. */
export function gradNorms(def: ModelDef, x: tf.Tensor4D, seed = 1): number[] {
  const w = weightTensors(def, seed);
  const grads = tf.grads((...ps: tf.Tensor[]) => xentLoss(def.forward(ps, x)))(w);
  const norms = grads.map((g) => tf.tidy(() => tf.norm(g).dataSync()[0]));
  tf.dispose([...grads, ...w]);
  return norms;
}
