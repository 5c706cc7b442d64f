/** FedOSD's unlearning cross-entropy against its closed form, and the default loss left untouched. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/main/engine/compute/backend';
import { generateSynthetic } from '../../../../src/main/engine/data/synthetic';
import { toImageSplit } from '../../../../src/main/engine/data/raw';
import { ClientTrainer } from '../../../../src/main/engine/fl/client-trainer';
import {
  perExampleCrossEntropy,
  perExampleLoss,
  perExampleUnlearningCrossEntropy,
} from '../../../../src/main/engine/fl/losses';
import { initWeights } from '../../../../src/main/engine/models/init';
import { buildModel } from '../../../../src/main/engine/models/registry';
import { createRng } from '../../../../src/main/engine/rng';

const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
/** d/dz_j of -log(1 - p_y/2) = p_y (delta_jy - p_j) / (2 - p_y), by the chain rule through softmax. */
const uceGradient = (z: number[], y: number) => {
  const p = softmax(z);
  return p.map((pj, j) => (p[y] * ((j === y ? 1 : 0) - pj)) / (2 - p[y]));
};

const logits = [
  [1, 2, 0.5],
  [0, 0, 0],
  [8, -3, 1],
];
const labels = [1, 2, 0];

test('UCE is -log(1 - p_y / 2) per example, bounded by log 2', async () => {
  await initBackend('cpu');
  const out = tf.tidy(() =>
    perExampleUnlearningCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32')).arraySync(),
  );
  logits.forEach((z, i) => {
    const py = softmax(z)[labels[i]];
    assert.ok(Math.abs(out[i] - -Math.log(1 - py / 2)) < 1e-6, `example ${i}: ${out[i]}`);
    assert.ok(out[i] > 0 && out[i] <= Math.log(2) + 1e-6);
  });
  assert.ok(Math.abs(out[1] - Math.log(1.2)) < 1e-6, 'uniform over 3 classes: -log(1 - 1/6) = log 1.2');
});

test('the gradient of mean UCE with respect to the logits matches the closed form and finite differences', async () => {
  await initBackend('cpu');
  const ys = tf.tensor1d(labels, 'int32');
  const mean = (z: tf.Tensor) => tf.mean<tf.Scalar>(perExampleUnlearningCrossEntropy(z as tf.Tensor2D, ys));
  const grad = tf.grad(mean)(tf.tensor2d(logits)).arraySync() as number[][];
  logits.forEach((z, i) => {
    const expected = uceGradient(z, labels[i]).map((g) => g / logits.length);
    expected.forEach((g, j) => assert.ok(Math.abs(grad[i][j] - g) < 1e-6, `[${i}][${j}] ${grad[i][j]} vs ${g}`));
  });
  // Central differences on one logit, as an independent check of the closed form's sign and size.
  const h = 1e-2;
  const at = (dz: number) =>
    mean(tf.tensor2d(logits.map((row, i) => row.map((x, j) => (i === 0 && j === 1 ? x + dz : x))))).arraySync();
  const fd = (at(h) - at(-h)) / (2 * h);
  assert.ok(Math.abs(fd - grad[0][1]) < 1e-3, `finite difference ${fd} vs ${grad[0][1]}`);
  assert.ok(grad[0][1] > 0, 'descending UCE lowers the true class logit');
  ys.dispose();
});

test("'ce' is the plain cross-entropy, bit for bit", async () => {
  await initBackend('cpu');
  const [a, b] = tf.tidy(() => {
    const z = tf.tensor2d(logits);
    const y = tf.tensor1d(labels, 'int32');
    return [perExampleLoss('ce', z, y).arraySync(), perExampleCrossEntropy(z, y).arraySync()];
  });
  assert.deepEqual(a, b);
});

test("the trainer's gradient job takes the loss it is given: the last bias matches UCE's closed form", async () => {
  await initBackend('cpu');
  const raw = generateSynthetic(createRng(5), { trainSize: 24, testSize: 4 });
  const data = toImageSplit(raw.train, raw.shape);
  const model = buildModel('mlp', raw.shape, 10);
  const trainer = new ClientTrainer(model, data);
  const global = initWeights(model.params, createRng(6));
  const indices = Int32Array.from({ length: 24 }, (_, i) => i);
  const uce = await trainer.gradient(global, indices, 10, 'fedosd-uce');
  const ce = await trainer.gradient(global, indices, 10);
  const ce2 = await trainer.gradient(global, indices, 10, 'ce');
  ce.forEach((t, i) => assert.deepEqual(t, ce2[i], 'no loss given means cross-entropy'));
  // Logits of every example at `global`, then dL/db_j of the last layer = mean_i dL_i/dz_ij.
  trainer.load(global);
  const z = tf.tidy(() => {
    const xs = tf.tensor4d(data.x.subarray(0, 24 * raw.shape[0] * raw.shape[1] * raw.shape[2]), [24, ...raw.shape]);
    return model.forward(trainer.variables, xs).arraySync();
  });
  trainer.dispose();
  const last = model.params.length - 1;
  assert.equal(model.params[last].name, 'fc3.bias');
  const expected = new Array(10).fill(0);
  z.forEach((row, i) => uceGradient(row, data.y[i]).forEach((g, j) => (expected[j] += g / 24)));
  expected.forEach((g, j) => assert.ok(Math.abs(uce[last][j] - g) < 1e-5, `bias ${j}: ${uce[last][j]} vs ${g}`));
  assert.ok(
    uce[last].some((g, j) => Math.abs(g - ce[last][j]) > 1e-4),
    'UCE and CE gradients differ',
  );
});
