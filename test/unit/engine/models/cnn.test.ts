import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, weightTensors, randomBatch, gradNorms } from './tf-setup';
import { buildCnn } from '../../../../src/main/engine/models/cnn';
import { countParams } from '../../../../src/main/engine/models/registry';

test('CNN: output [batch, classes] for MNIST and CIFAR shapes', () => {
  for (const [shape, classes] of [
    [[28, 28, 1], 10],
    [[32, 32, 3], 100],
    [[9, 7, 2], 3],
  ] as [[number, number, number], number][]) {
    const def = buildCnn(shape, classes);
    const w = weightTensors(def);
    const y = tf.tidy(() => def.forward(w, randomBatch(2, shape)));
    assert.deepEqual(y.shape, [2, classes]);
    tf.dispose([y, ...w]);
  }
});

test('CNN: parameter count on 28x28x1 / 10 matches the hand count', () => {
  const def = buildCnn([28, 28, 1], 10);
  const conv1 = 3 * 3 * 1 * 16 + 16; // 160
  const conv2 = 3 * 3 * 16 * 32 + 32; // 4,640
  const flat = 7 * 7 * 32; // 28 -> pool 14 -> pool 7; 1,568
  const fc1 = flat * 64 + 64; // 100,416
  const fc2 = 64 * 10 + 10; // 650
  assert.equal(countParams(def), conv1 + conv2 + fc1 + fc2);
  assert.equal(countParams(def), 105866);
  assert.deepEqual(
    def.params.map((p) => p.name),
    ['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'],
  );
  assert.deepEqual(def.params[0].shape, [3, 3, 1, 16]); // [KH, KW, Cin, Cout]
  assert.deepEqual(def.params[4].shape, [1568, 64]); // [in, out]
});

test('CNN: every parameter receives a nonzero gradient', () => {
  const def = buildCnn([28, 28, 1], 10);
  const x = randomBatch(2, [28, 28, 1]);
  const norms = gradNorms(def, x);
  def.params.forEach((p, i) => assert.ok(norms[i] > 0, `${p.name}: gradient norm ${norms[i]}`));
  x.dispose();
});

test('CNN: forward inside tidy leaves no tensors behind', () => {
  const def = buildCnn([28, 28, 1], 10);
  const w = weightTensors(def);
  const x = randomBatch(2, [28, 28, 1]);
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    def.forward(w, x);
  });
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, ...w]);
});

test('CNN: too-small input is rejected at build time', () => {
  assert.throws(() => buildCnn([3, 3, 1], 10), /too small/);
});
