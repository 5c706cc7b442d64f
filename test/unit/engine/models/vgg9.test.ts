import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, weightTensors, randomBatch } from './tf-setup';
import { buildVgg9 } from '../../../../src/main/engine/models/vgg9';
import { countParams } from '../../../../src/main/engine/models/registry';

test('VGG-9: output [batch, classes] for EMNIST and CIFAR shapes, both layouts', () => {
  for (const layout of ['authors', 'fedma'] as const) {
    for (const [shape, classes] of [
      [[28, 28, 1], 26],
      [[32, 32, 3], 10],
    ] as [[number, number, number], number][]) {
      const def = buildVgg9(shape, classes, { layout });
      const w = weightTensors(def);
      const y = tf.tidy(() => def.forward(w, randomBatch(1, shape)));
      assert.deepEqual(y.shape, [1, classes], `${layout} ${shape}`);
      tf.dispose([y, ...w]);
    }
  }
});

test("VGG-9 (authors' layout): parameters and count on 28x28x1 / 10", () => {
  const def = buildVgg9([28, 28, 1], 10);
  const conv = (cin: number, cout: number) => 3 * 3 * cin * cout + cout;
  const gn = (c: number) => 2 * c; // affine gamma + beta
  const expected =
    conv(1, 64) +
    gn(64) +
    conv(64, 64) +
    gn(64) + // block 1, 28 -> 14
    conv(64, 128) +
    gn(128) +
    conv(128, 128) +
    gn(128) + // block 2, 14 -> 7
    (7 * 7 * 128 * 256 + 256) +
    (256 * 10 + 10); // classifier
  assert.equal(countParams(def), expected);
  assert.equal(countParams(def), 1868234);
  assert.deepEqual(
    def.params.slice(0, 4).map((p) => [p.name, p.shape, p.init]),
    [
      ['conv1.weight', [3, 3, 1, 64], 'kaiming-uniform'],
      ['conv1.bias', [64], 'uniform-0.1'],
      ['gn1.weight', [64], 'uniform-0.1'],
      ['gn1.bias', [64], 'uniform-0.1'],
    ],
  );
});

test('VGG-9 (FedMA layout) on 32x32x3 / 10 has the FedMA count plus GroupNorm affine parameters', () => {
  const def = buildVgg9([32, 32, 3], 10, { layout: 'fedma' });
  const fedma = 3491530; // IBM/FedMA ModerateCNN ("VGG-9"), no norm layers
  const gnAffine = 2 * (32 + 64 + 128 + 128 + 256 + 256);
  assert.equal(countParams(def), fedma + gnAffine);
});
