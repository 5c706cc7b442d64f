import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, weightTensors, randomBatch } from './tf-setup';
import { buildResNet } from '../../../../src/main/engine/models/resnet';
import { countParams } from '../../../../src/main/engine/models/registry';

test('ResNet-18 (CIFAR stem, GroupNorm without affine): parameter count on 32x32x3 / 10', () => {
  const def = buildResNet(18, [32, 32, 3], 10);
  const c3 = (cin: number, cout: number) => 3 * 3 * cin * cout;
  const stem = c3(3, 64);
  const layer1 = 4 * c3(64, 64);
  const layer2 = c3(64, 128) + 3 * c3(128, 128) + 64 * 128; // + 1x1 projection
  const layer3 = c3(128, 256) + 3 * c3(256, 256) + 128 * 256;
  const layer4 = c3(256, 512) + 3 * c3(512, 512) + 256 * 512;
  const fc = 512 * 10 + 10;
  assert.equal(countParams(def), stem + layer1 + layer2 + layer3 + layer4 + fc);
  // = the familiar 11,173,962 of BatchNorm ResNet-18 on CIFAR-10 minus its 9,600 norm affine parameters.
  assert.equal(countParams(def), 11173962 - 9600);
  // No conv biases: the only rank-1 tensor is the classifier bias.
  assert.deepEqual(
    def.params.filter((p) => p.shape.length === 1).map((p) => p.name),
    ['fc.bias'],
  );
  assert.ok(def.params.some((p) => p.name === 'layer2.0.downsample.0.weight'));
  assert.ok(!def.params.some((p) => p.name.startsWith('layer1.0.downsample')));
});

test("ResNet-18 with the ImageNet stem and affine norms has torchvision's 11,689,512 parameters", () => {
  const def = buildResNet(18, [224, 224, 3], 1000, { stem: 'imagenet', affine: true });
  assert.equal(countParams(def), 11689512);
  assert.deepEqual(def.params[0].shape, [7, 7, 3, 64]);
});

test('ResNet-34 parameter count on 32x32x3 / 100', () => {
  const def = buildResNet(34, [32, 32, 3], 100);
  const c3 = (cin: number, cout: number) => 3 * 3 * cin * cout;
  const expected =
    c3(3, 64) +
    6 * c3(64, 64) +
    (c3(64, 128) + 7 * c3(128, 128) + 64 * 128) +
    (c3(128, 256) + 11 * c3(256, 256) + 128 * 256) +
    (c3(256, 512) + 5 * c3(512, 512) + 256 * 512) +
    (512 * 100 + 100);
  assert.equal(countParams(def), expected);
});

test('ResNet: ImageNet-stem forward works and forward inside tidy leaves no tensors behind', () => {
  for (const def of [buildResNet(18, [16, 16, 3], 10, { stem: 'imagenet' }), buildResNet(34, [8, 8, 3], 10)]) {
    const w = weightTensors(def);
    const x = randomBatch(1, def.inputShape);
    const before = tf.memory().numTensors;
    const shape = tf.tidy(() => def.forward(w, x).shape);
    assert.deepEqual(shape, [1, 10]);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, ...w]);
  }
});
